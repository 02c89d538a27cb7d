import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_MANAGER_RPC_PORT } from '../../src/config/options/jobmanager-options.js';
import { resolveClusterRuntime, type ClusterRuntime } from '../../src/rpc/cluster-runtime.js';
import type { TestDist } from './test-dist.js';

/** The runtime dir, socket and secret of a test dist's cluster, derived as its processes derive them. */
export function clusterRuntimeOf(dist: TestDist): ClusterRuntime {
  // TestDist writes jobmanager.rpc.address: localhost and leaves the rpc port at its default.
  return resolveClusterRuntime({
    confDir: dist.confDir,
    tmpDir: dist.tmpDir,
    rpcAddress: 'localhost',
    rpcPort: JOB_MANAGER_RPC_PORT.defaultValue,
  });
}

/** The socket path a JobManager logged in "RPC endpoint listening at unix:<path>.". */
export function rpcSocketFromLog(log: string): string | undefined {
  return /RPC endpoint listening at unix:(\S+)\.$/m.exec(log)?.[1];
}

/** Addresses of this machine that are not loopback (IPv4, and IPv6 outside link-local). */
export function nonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => !entry.internal && (entry.family === 'IPv4' || !entry.address.toLowerCase().startsWith('fe80')))
    .map((entry) => entry.address);
}

/** `kill -0`: whether a pid exists (a stopped or zombie process counts as existing). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `pid` is gone; false after `timeoutMs`. */
export async function waitForProcessExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processExists(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS). */
export function residentSetBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU time (user + system) a process has used so far, in ms; Linux /proc, 10 ms clock ticks. */
export function cpuTimeMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Epoch ms of a log line's leading timestamp (`2026-11-24 10:15:30,123`, local time). */
export function logLineTime(line: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) /.exec(line);
  if (m === null) throw new Error(`no timestamp in log line: ${line}`);
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])).getTime();
}

/** Occurrences of `pattern` in `text`. */
export function countMatches(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))].length;
}
