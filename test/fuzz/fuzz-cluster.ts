import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { initiateHandshake } from '../../src/rpc/handshake.js';
import { connectRpc } from '../../src/rpc/rpc-client.js';
import { createGatewayProxy } from '../../src/rpc/gateway.js';
import { RESOURCE_MANAGER_GATEWAY } from '../../src/rpc/gateways/resource-manager-gateway.js';
import type { ClusterRuntime } from '../../src/rpc/cluster-runtime.js';
import { clusterRuntimeOf, processExists, residentSetBytes } from '../helpers/cluster-probes.js';
import { restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';
import { registerCleanup } from './cleanup.js';
import { FATAL, withDeadline } from './fuzz-target.js';
import { validRegistration } from './rpc-templates.js';
import { Prng } from './prng.js';
import { LogTail } from './targets/log-scan.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';
/** Resident memory above which a process counts as leaking. */
export const RSS_LIMIT_BYTES = 300 * 1024 * 1024;
const PROBE_TIMEOUT_MS = 10_000;

/** Facts about the running job that fuzzers use to reach deeper than "unknown job". */
export interface JobFacts {
  readonly jobId: string;
  readonly vertexIds: readonly string[];
}

/**
 * The cluster the socket and REST fuzzers attack: a Reactive Mode standalone job (TopSpeedWindowing)
 * with one real TaskManager, started through the real bin/ scripts, plus the probes that tell
 * whether it survived a batch of inputs.
 */
export class FuzzCluster {
  readonly dist: TestDist;
  url = '';
  runtime!: ClusterRuntime;
  secret!: Buffer;
  job!: JobFacts;
  jobManagerPid = 0;
  taskManagerPid = 0;
  taskManagerId = '';
  /** The real TaskManager's data socket path. */
  dataSocketPath = '';
  private probes = 0;
  private readonly forget: () => void;

  constructor(extraConfig: Readonly<Record<string, string | number | boolean>> = {}) {
    this.dist = TestDist.create({
      config: {
        ...extraConfig,
        'heartbeat.interval': '1 s',
        'heartbeat.timeout': '20 s',
        // Fuzzed registrations and failures may restart the job many times; it must never end the JobManager.
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.attempts': 1_000_000_000,
        'restart-strategy.fixed-delay.delay': '200 ms',
      },
    });
    this.forget = registerCleanup(() => this.dist.destroy());
  }

  async start(): Promise<void> {
    const savepoints = join(this.dist.dir, 'savepoints');
    this.dist.writeConfig({ 'state.savepoints.dir': savepoints, 'state.checkpoints.dir': join(this.dist.dir, 'checkpoints') });
    this.dist.addExampleJar('TopSpeedWindowing');
    const started = await this.dist.run('standalone-job.sh', [
      'start',
      '-Dscheduler-mode=reactive',
      '-Dexecution.checkpointing.interval=2s',
      '-j',
      TOP_SPEED,
    ]);
    if (started.exitCode !== 0) throw new Error(`standalone-job.sh start failed: ${started.stderr}`);
    this.url = restUrlFrom(started.stdout);
    this.jobManagerPid = this.dist.pids('standalonejob')[0]!;
    this.runtime = clusterRuntimeOf(this.dist);
    this.secret = Buffer.from(readFileSync(this.runtime.secretPath, 'utf8').trim(), 'hex');
    const tm = await this.dist.run('taskmanager.sh', ['start']);
    if (tm.exitCode !== 0) throw new Error(`taskmanager.sh start failed: ${tm.stderr}`);
    this.taskManagerPid = this.dist.pids('taskexecutor')[0]!;
    const line = await waitFor(
      'the TaskManager registration in the JobManager log',
      () => /Registering TaskManager with ResourceID (\S+) \(unix:([^)]+)\)/.exec(this.dist.log('standalonejob', 0)) ?? undefined,
    );
    this.taskManagerId = line[1]!;
    this.dataSocketPath = line[2]!;
    const jobId = await waitFor('the job id', async () => ((await this.getJson('/jobs')) as { jobs: Array<{ id: string }> }).jobs[0]?.id);
    const details = await waitFor(
      'the job to run',
      async () => {
        const json = (await this.getJson(`/jobs/${jobId}`)) as { state: string; vertices: Array<{ id: string }> };
        return json.state === 'RUNNING' ? json : undefined;
      },
      30_000,
    );
    this.job = { jobId, vertexIds: details.vertices.map((v) => v.id) };
  }

  /** Whether the JobManager and the original TaskManager are both still running. */
  get isAlive(): boolean {
    return processExists(this.jobManagerPid) && processExists(this.taskManagerPid);
  }

  async destroy(): Promise<void> {
    this.forget();
    await this.dist.destroy();
  }

  /** Lines of the JobManager log. */
  jobManagerLog(): string {
    return this.dist.log('standalonejob', 0);
  }

  /** Follows the JobManager's log from now on. */
  tailJobManagerLog(): LogTail {
    return new LogTail(this.dist.logDir, 'standalonejob', 0);
  }

  /** Follows the original TaskManager's log from now on. */
  tailTaskManagerLog(): LogTail {
    return new LogTail(this.dist.logDir, 'taskexecutor', 0);
  }

  /** Problems with the JobManager after a batch: dead, not serving REST, memory, or refusing a valid registration. */
  async checkJobManager(): Promise<string[]> {
    const problems: string[] = [];
    if (!processExists(this.jobManagerPid))
      return [
        `${FATAL}the JobManager (pid ${this.jobManagerPid}) died: ${whyItEnded(this.jobManagerLog(), this.dist.log('standalonejob', 0, 'out'))}`,
      ];
    problems.push(...(await checkMemory('JobManager', this.jobManagerPid)));
    for (const path of ['/overview', '/taskmanagers', `/jobs/${this.job.jobId}`, `/jobs/${this.job.jobId}/checkpoints`]) {
      try {
        await withDeadline(this.getJson(path), PROBE_TIMEOUT_MS, `GET ${path}`);
      } catch (error) {
        problems.push(`REST no longer serves ${path}: ${String(error)}`);
      }
    }
    try {
      await withDeadline(this.probeRegistration(), PROBE_TIMEOUT_MS, 'a TaskManager registration');
    } catch (error) {
      problems.push(`a valid TaskManager registration failed: ${String(error)}`);
    }
    return problems;
  }

  /** Problems with the real TaskManager: dead, memory, its data socket refusing an authenticated peer. */
  async checkTaskManager(): Promise<string[]> {
    if (!processExists(this.taskManagerPid))
      return [
        `${FATAL}the TaskManager (pid ${this.taskManagerPid}) died: ${whyItEnded(this.dist.log('taskexecutor', 0), this.dist.log('taskexecutor', 0, 'out'))}`,
      ];
    const problems = await checkMemory('TaskManager', this.taskManagerPid);
    try {
      await withDeadline(this.probeDataHandshake(), PROBE_TIMEOUT_MS, 'a data-socket handshake');
    } catch (error) {
      problems.push(`the data socket no longer accepts a handshake: ${String(error)}`);
    }
    return problems;
  }

  /** Starts one more real TaskManager through bin/taskmanager.sh and checks that the JobManager lists it. */
  async realTaskManagerRegisters(): Promise<string[]> {
    const before = new Set(this.realTaskManagerPids());
    const started = await this.dist.run('taskmanager.sh', ['start']);
    if (started.exitCode !== 0)
      return [
        `bin/taskmanager.sh start failed: exit ${started.exitCode}, stdout: ${started.stdout.trim()} stderr: ${started.stderr.trim()}`,
      ];
    const pid = this.realTaskManagerPids().find((p) => !before.has(p));
    if (pid === undefined) return [`bin/taskmanager.sh start exited 0 but started no process: ${started.stdout.trim()}`];
    try {
      await waitFor(
        `TaskManager pid ${pid} in GET /taskmanagers`,
        async () => {
          const { taskmanagers } = (await this.getJson('/taskmanagers')) as { taskmanagers: Array<{ id: string }> };
          return taskmanagers.some((tm) => tm.id.includes(`:${pid}-`)) ? true : undefined;
        },
        30_000,
      );
      return [];
    } catch (error) {
      return [`a real TaskManager (pid ${pid}) did not register: ${String(error)}`];
    }
  }

  private realTaskManagerPids(): number[] {
    return this.dist.pids('taskexecutor');
  }

  async getJson(path: string): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  }

  /** A well-formed registration over a fresh connection is accepted; the probe then leaves again (its socket closes). */
  private async probeRegistration(): Promise<void> {
    const id = `fuzz-probe-${process.pid}-${this.probes++}`;
    const connection = await connectRpc(this.runtime.jobManagerAddress, this.secret, { role: 'taskmanager', id });
    try {
      const gateway = createGatewayProxy(connection, RESOURCE_MANAGER_GATEWAY);
      const response = await gateway.registerTaskExecutor({ ...validRegistration(new Prng(id), id), numberOfSlots: 1 });
      if (response.status !== 'accepted') throw new Error(`registration rejected: ${response.reason}`);
      // Leaving by closing the socket: disconnectTaskManager is answered by closing the connection, not by a response.
    } finally {
      connection.close('fuzz probe done');
    }
  }

  private async probeDataHandshake(): Promise<void> {
    const socket = connect({ path: this.dataSocketPath });
    socket.on('error', () => undefined);
    try {
      await once(socket, 'connect');
      await initiateHandshake(socket, this.secret, { role: 'taskmanager-data', id: 'fuzz-probe' });
    } finally {
      socket.destroy();
    }
  }
}

/**
 * The lines that tell why a process ended: errors, shutdown, the job's final state from its log,
 * and the end of its .out file (where a V8 abort or an uncaught exception lands); else its last lines.
 */
function whyItEnded(log: string, out: string): string {
  const lines = log.split('\n').slice(-300);
  const telling = lines.filter((line) =>
    / ERROR |Uncaught|Unhandled|Shutting down|Terminating|switched from state \w+ to (CANCELED|FAILED|FINISHED)|requested through REST/.test(
      line,
    ),
  );
  const shown = (telling.length > 0 ? telling.slice(-8) : lines.slice(-6)).map((line) => line.slice(0, 300)).join(' | ');
  const outTail = out.trim().split('\n').slice(-5).join(' | ').slice(0, 800);
  return outTail === '' ? shown : `${shown} || .out ends with: ${outTail}`;
}

/**
 * RSS above the limit counts only if it stays there: V8 collects lazily, so one sample right after
 * a burst of large messages may catch garbage that the next collection frees.
 */
async function checkMemory(what: string, pid: number): Promise<string[]> {
  const samples: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      samples.push(residentSetBytes(pid));
      if (samples[i]! <= RSS_LIMIT_BYTES) return [];
      await sleep(3_000);
    }
  } catch (error) {
    return [`cannot read the ${what}'s memory: ${String(error)}`];
  }
  return [
    `unbounded memory: the ${what}'s RSS stayed above ${RSS_LIMIT_BYTES / 1048576} MB for 6 s (${samples.map((b) => Math.round(b / 1048576)).join(', ')} MB)`,
  ];
}
