import { readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { isProcessAlive } from '../daemon/process-control.js';
import { probeUnixSocket } from './rpc-server.js';

const log = getLogger('runtime');

/** The file in a work dir that names the process owning it. */
export const OWNER_FILE = '.owner';

/** Marks `workDir` as this process's, so a later sweep can tell when its owner died. */
export function claimWorkDir(workDir: string): void {
  writeFileSync(join(workDir, OWNER_FILE), String(process.pid), { mode: 0o600 });
}

function ownerOf(dir: string): number | undefined {
  const match = /^jm-(\d+)$/.exec(dir.split('/').at(-1) ?? '');
  if (match !== null) return Number(match[1]);
  try {
    const pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A socket a killed process may leave: a TaskManager's data socket, or the per-process RPC socket of
 * a JobManager of a high-availability cluster (`jm-<pid>.sock`) whose process is gone. The shared
 * `jm.sock` is left alone: the next JobManager takes it over.
 */
function isAbandonedSocketName(name: string): boolean {
  if (/^tm-[0-9a-f]{12}\.sock$/.test(name)) return true;
  const pid = /^jm-(\d+)\.sock$/.exec(name)?.[1];
  return pid !== undefined && Number(pid) !== process.pid && !isProcessAlive(Number(pid));
}

/**
 * Removes what processes killed without a chance to clean up (kill -9, a crash, a lost host) left in
 * the cluster's runtime dir: the work dirs whose owner process is dead, and TaskManager data sockets
 * and JobManager RPC sockets nobody listens on. A graceful stop removes its own; this catches the rest on the next start.
 * Returns what it removed, for the log.
 */
export async function sweepRuntimeDir(runtimeDir: string): Promise<string[]> {
  let entries;
  try {
    entries = readdirSync(runtimeDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const path = join(runtimeDir, entry.name);
    if (entry.isDirectory() && /^(jm|tm)-/.test(entry.name)) {
      const owner = ownerOf(path);
      if (owner === undefined || owner === process.pid || isProcessAlive(owner)) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(entry.name);
    } else if (entry.isSocket() && isAbandonedSocketName(entry.name) && (await probeUnixSocket(path)) === false) {
      try {
        unlinkSync(path);
        removed.push(entry.name);
      } catch {
        // Its TaskManager came back and replaced it meanwhile.
      }
    }
  }
  return removed;
}

/** Sweeps, and says in one line what a killed process had left; a failure to sweep never stops a start. */
export async function sweepAndLog(runtimeDir: string): Promise<void> {
  try {
    const removed = await sweepRuntimeDir(runtimeDir);
    if (removed.length > 0) log.info(`Removed what killed processes left in ${runtimeDir}: ${removed.join(', ')}.`);
  } catch (error) {
    log.warn(`Could not clean up ${runtimeDir}: ${describeError(error)}`);
  }
}
