import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { committedLines } from '../../test/helpers/committed-output.js';
import { TestDist } from '../../test/helpers/test-dist.js';
import { ZooKeeperServer } from '../../test/helpers/zookeeper-server.js';
import { ChaosFleet, seededRandom, TASKMANAGER_EVENT_KINDS, type ChaosEventKind } from './chaos-events.js';
import { ChaosJobManagers, JOBMANAGER_EVENT_KINDS, type JobManagerEventKind } from './chaos-jobmanagers.js';

/** What a chaos run is asked to do. */
export interface ChaosOptions {
  readonly events: number;
  readonly seed: number;
  readonly records: number;
  readonly keys: number;
  /** Records per second per source subtask, so the job outlives the faults. */
  readonly rate: number;
  /** 1: one JobManager in the foreground; more: that many under ZooKeeper HA, killed, stopped, frozen and restarted too. */
  readonly jobManagers?: number;
  readonly log?: (line: string) => void;
}

/** What a chaos run survived and whether its committed output was right. */
export interface ChaosReport {
  readonly events: Record<ChaosEventKind | JobManagerEventKind, number>;
  readonly eventsSurvived: number;
  /** JobManager faults that hit the JobManager leading at that moment. */
  readonly jobManagerFaultsOnLeader: number;
  /** Leadership grants after the first: each one a failover. */
  readonly failovers: number;
  readonly restarts: number;
  readonly rescales: number;
  readonly recordsReplayed: number;
  readonly checkpointIntervalMs: number;
  readonly outputLines: number;
  /** Lines that differ from the reference run: missing ones and unexpected or duplicated ones. */
  readonly missing: string[];
  readonly unexpected: string[];
}

const JOB = 'org.tsflink.fixtures.ChaosJob';
const HEARTBEAT_TIMEOUT_MS = 1500;
const SESSION_TIMEOUT_MS = 3000;
/** The fixed job id every JobManager of an HA run starts, as Flink's application mode needs with HA. */
const HA_JOB_ID = 'c4a05c4a05c4a05c4a05c4a05c4a05c4';

/**
 * Records per second per source subtask so the job outlives `events` faults: about 0.6 s per event
 * at ~3 source subtasks, twice that with JobManager events (a start waits for the new process).
 */
export function chaosRate(records: number, events: number, jobManagers = 1): number {
  const secondsPerEvent = jobManagers > 1 ? 1.2 : 0.6;
  return Math.max(1000, Math.floor(records / (events * secondsPerEvent * 3 * 1.3)));
}

/** The reference: the same job at parallelism 1, default scheduler, no faults. */
async function referenceRun(options: ChaosOptions): Promise<string[]> {
  const dist = TestDist.create();
  try {
    dist.addFixtureJob('chaos-job');
    await dist.run('taskmanager.sh', ['start']);
    const output = join(dist.dir, 'reference');
    const result = await dist.startForeground('standalone-job.sh', [
      '-j',
      JOB,
      '--records',
      String(options.records),
      '--keys',
      String(options.keys),
      '--rate',
      '100000000',
      '--output',
      output,
    ]);
    if (result.exitCode !== 0) throw new Error(`the reference run failed:\n${String(result.all).slice(-2000)}`);
    return committedLines(output);
  } finally {
    await dist.destroy();
  }
}

/** Multiset difference, both ways. */
function compare(expected: readonly string[], actual: readonly string[]): { missing: string[]; unexpected: string[] } {
  const counts = new Map<string, number>();
  for (const line of expected) counts.set(line, (counts.get(line) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const line of actual) {
    const left = counts.get(line) ?? 0;
    if (left === 0) unexpected.push(line);
    else counts.set(line, left - 1);
  }
  const missing = [...counts].flatMap(([line, n]) => Array.from({ length: n }, () => line));
  return { missing, unexpected };
}

/** The JobManager side of a run: one in the foreground, or several under ZooKeeper HA. */
interface JobManagerSide {
  readonly finished: boolean;
  possible(): JobManagerEventKind[];
  apply(kind: JobManagerEventKind, random: () => number): Promise<void>;
  /** Waits for the job's end; resolves with the JobManagers' output, throws when the job failed. */
  finish(): Promise<string>;
  readonly leaderHits: number;
}

/** One JobManager running the job in the foreground: nothing to inject, it ends with the job. */
function foregroundJobManager(dist: TestDist, jobArgs: readonly string[]): JobManagerSide {
  const job = dist.startForeground('standalone-job.sh', jobArgs);
  let finished = false;
  const markFinished = (): void => {
    finished = true;
  };
  job.then(markFinished, markFinished);
  return {
    get finished() {
      return finished;
    },
    possible: () => [],
    apply: () => Promise.reject(new Error('one JobManager in the foreground takes no JobManager events')),
    finish: async () => {
      const result = await job;
      const jobLog = String(result.all);
      if (result.exitCode !== 0) throw new Error(`the chaos job failed (exit ${result.exitCode}):\n${jobLog.slice(-3000)}`);
      return jobLog;
    },
    leaderHits: 0,
  };
}

/** Options of a dist whose JobManagers elect their leader on `quorum`. */
function highAvailabilityConfig(quorum: string): Record<string, string> {
  return {
    'high-availability.type': 'zookeeper',
    'high-availability.zookeeper.quorum': quorum,
    'high-availability.zookeeper.client.session-timeout': `${SESSION_TIMEOUT_MS} ms`,
    'high-availability.zookeeper.client.retry-wait': '200 ms',
    // As in Flink, only a kept result stops a standby that leads after the end from running the application again.
    'job-result-store.delete-on-commit': 'false',
  };
}

/**
 * Runs the chaos job in Reactive Mode while TaskManagers are started, stopped, killed and frozen at
 * random (seeded), then compares the committed output line for line with the fault-free reference.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const checkpointIntervalMs = 200 + Math.floor(random() * 800);
  const reference = await referenceRun(options);
  log(`Reference run: ${reference.length} lines.`);
  const zookeeper = (options.jobManagers ?? 1) > 1 ? await ZooKeeperServer.start() : undefined;
  try {
    const dist = chaosDist(checkpointIntervalMs, zookeeper);
    try {
      return await chaosAgainst(dist, options, reference, checkpointIntervalMs, random, log);
    } finally {
      await dist.destroy();
    }
  } finally {
    await zookeeper?.stop();
  }
}

/** The chaos cluster's dist: Reactive Mode, short heartbeats, endless restarts; with `zookeeper`, HA on it. */
function chaosDist(checkpointIntervalMs: number, zookeeper: ZooKeeperServer | undefined): TestDist {
  const dist = TestDist.create({
    config: {
      ...(zookeeper === undefined ? {} : highAvailabilityConfig(zookeeper.quorum)),
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': `${checkpointIntervalMs} ms`,
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 1_000_000,
      'restart-strategy.fixed-delay.delay': '50 ms',
      'heartbeat.interval': '300 ms',
      'heartbeat.timeout': `${HEARTBEAT_TIMEOUT_MS} ms`,
    },
  });
  dist.writeConfig({
    'execution.checkpointing.dir': `file://${join(dist.dir, 'checkpoints')}`,
    ...(zookeeper === undefined ? {} : { 'high-availability.storageDir': `file://${join(dist.dir, 'ha')}` }),
  });
  return dist;
}

async function chaosAgainst(
  dist: TestDist,
  options: ChaosOptions,
  reference: readonly string[],
  checkpointIntervalMs: number,
  random: () => number,
  log: (line: string) => void,
): Promise<ChaosReport> {
  dist.addFixtureJob('chaos-job');
  const output = join(dist.dir, 'output');
  const fleet = new ChaosFleet(dist, HEARTBEAT_TIMEOUT_MS);
  const size = ['--records', String(options.records), '--keys', String(options.keys)];
  const jobArgs = ['-j', JOB, ...size, '--rate', String(options.rate), '--output', output];
  const jobManagerCount = options.jobManagers ?? 1;
  let jobManagers: JobManagerSide;
  if (jobManagerCount > 1) {
    const group = new ChaosJobManagers(dist, ['--job-id', HA_JOB_ID, ...jobArgs], jobManagerCount, SESSION_TIMEOUT_MS, log);
    for (let i = 0; i < jobManagerCount; i++) await group.start();
    jobManagers = group;
  } else jobManagers = foregroundJobManager(dist, jobArgs);
  await fleet.start();
  const events = Object.fromEntries(
    [...TASKMANAGER_EVENT_KINDS, ...JOBMANAGER_EVENT_KINDS].map((kind) => [kind, 0]),
  ) as ChaosReport['events'];
  let survived = 0;
  while (survived < options.events && !jobManagers.finished) {
    await sleep(150 + random() * 500);
    const kinds = [...fleet.possible(), ...jobManagers.possible()];
    const kind = kinds[Math.floor(random() * kinds.length)]!;
    if (isJobManagerEvent(kind)) await jobManagers.apply(kind, random);
    else await fleet.apply(kind, random);
    events[kind]++;
    survived++;
    if (survived % 25 === 0) log(`${survived} events, ${fleet.alive.size} TaskManager(s) alive.`);
  }
  await fleet.settle(2);
  const jobLog = await jobManagers.finish();
  const actual = committedLines(output);
  return {
    events,
    eventsSurvived: survived,
    jobManagerFaultsOnLeader: jobManagers.leaderHits,
    failovers: Math.max(0, (jobLog.match(/was granted leadership/g) ?? []).length - 1),
    restarts: (jobLog.match(/switched from state RUNNING to RESTARTING/g) ?? []).length,
    rescales: (jobLog.match(/New run after taskmanager-joined/g) ?? []).length,
    recordsReplayed: [...jobLog.matchAll(/records replayed (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0),
    checkpointIntervalMs,
    outputLines: actual.length,
    ...compare(reference, actual),
  };
}

function isJobManagerEvent(kind: ChaosEventKind | JobManagerEventKind): kind is JobManagerEventKind {
  return kind.startsWith('jm-');
}
