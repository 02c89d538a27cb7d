import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { committedLines } from '../../test/helpers/committed-output.js';
import { TestDist } from '../../test/helpers/test-dist.js';
import { ChaosFleet, seededRandom, type ChaosEventKind } from './chaos-events.js';

/** What a chaos run is asked to do. */
export interface ChaosOptions {
  readonly events: number;
  readonly seed: number;
  readonly records: number;
  readonly keys: number;
  /** Records per second per source subtask, so the job outlives the faults. */
  readonly rate: number;
  readonly log?: (line: string) => void;
}

/** What a chaos run survived and whether its committed output was right. */
export interface ChaosReport {
  readonly events: Record<ChaosEventKind, number>;
  readonly eventsSurvived: number;
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
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': `${checkpointIntervalMs} ms`,
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 1_000_000,
      'restart-strategy.fixed-delay.delay': '50 ms',
      'heartbeat.interval': '300 ms',
      'heartbeat.timeout': `${HEARTBEAT_TIMEOUT_MS} ms`,
    },
  });
  dist.writeConfig({ 'execution.checkpointing.dir': `file://${join(dist.dir, 'checkpoints')}` });
  try {
    return await chaosAgainst(dist, options, reference, checkpointIntervalMs, random, log);
  } finally {
    await dist.destroy();
  }
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
  const job = dist.startForeground('standalone-job.sh', [
    '-j',
    JOB,
    '--records',
    String(options.records),
    '--keys',
    String(options.keys),
    '--rate',
    String(options.rate),
    '--output',
    output,
  ]);
  let finished = false;
  const markFinished = (): void => {
    finished = true;
  };
  job.then(markFinished, markFinished);
  await fleet.start();
  const events: Record<ChaosEventKind, number> = { start: 0, stop: 0, kill: 0, 'freeze-short': 0, 'freeze-long': 0 };
  let survived = 0;
  while (survived < options.events && !finished) {
    await sleep(150 + random() * 500);
    const kinds = fleet.possible();
    const kind = kinds[Math.floor(random() * kinds.length)]!;
    await fleet.apply(kind, random);
    events[kind]++;
    survived++;
    if (survived % 25 === 0) log(`${survived} events, ${fleet.alive.size} TaskManager(s) alive.`);
  }
  await fleet.settle(2);
  const result = await job;
  const jobLog = String(result.all);
  if (result.exitCode !== 0) throw new Error(`the chaos job failed (exit ${result.exitCode}):\n${jobLog.slice(-3000)}`);
  const actual = committedLines(output);
  return {
    events,
    eventsSurvived: survived,
    restarts: (jobLog.match(/switched from state RUNNING to RESTARTING/g) ?? []).length,
    rescales: (jobLog.match(/New run after taskmanager-joined/g) ?? []).length,
    recordsReplayed: [...jobLog.matchAll(/records replayed (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0),
    checkpointIntervalMs,
    outputLines: actual.length,
    ...compare(reference, actual),
  };
}
