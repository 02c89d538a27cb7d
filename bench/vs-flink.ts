import { currentEnvironment, quickMode, type BenchResult, type Target } from './benchmark.js';
import { Figures } from './vs-flink/figures.js';
import { ensureFlink, type FlinkDistribution } from './vs-flink/flink-distribution.js';
import { FLINK_SMALLEST_MEMORY } from './vs-flink/flink-cluster.js';
import {
  measureRescale,
  measureRestP99,
  measureStartup,
  measureThroughput,
  type ClusterFactory,
  type RescaleSample,
  type RescaleScenario,
  type RescaleStep,
  TUNED_FOR_RESCALING,
} from './vs-flink/scenarios.js';
import { flinkCluster, tsflinkCluster, type ClusterConfig } from './vs-flink/systems.js';

/** Registry name: `npm run bench vs-flink`. Not part of a plain `npm run bench`: it needs Java and Maven. */
export const name = 'vs-flink';

const MB = 1024 * 1024;
const PAIRS = quickMode() ? 1 : 3;
const THROUGHPUT_RECORDS = quickMode() ? 2_000_000 : 10_000_000;
/** Runs of the throughput job per cluster; the JVM's later runs are JIT-warm, so every run counts. */
const THROUGHPUT_RUNS = 2;
const REST_SECONDS = quickMode() ? 3 : 10;
/** Records/s per source subtask of the keyed-state job, as in the rescale benchmark. */
const STATE_RATE = 50_000;

/** The Elastic Scaling page's options, each system's defaults otherwise (Flink: 50 s heartbeat timeout, 30 s cooldown). */
const PAGE_DEFAULTS: ClusterConfig = { 'scheduler-mode': 'reactive', 'execution.checkpointing.interval': '10 s' };
const FULL_CYCLE: readonly RescaleStep[] = ['up', 'stop', 'up', 'kill'];

/** A labelled rescale scenario. */
export interface NamedScenario extends RescaleScenario {
  readonly label: string;
}

const stateArgs = (keys: number, payload: number) => ['--keys', String(keys), '--payload', String(payload), '--rate', String(STATE_RATE)];

const SCENARIOS: readonly NamedScenario[] = [
  { label: 'TopSpeedWindowing, defaults', job: 'topSpeed', args: [], config: PAGE_DEFAULTS, steps: FULL_CYCLE, sourceRate: 10 },
  { label: 'TopSpeedWindowing, tuned', job: 'topSpeed', args: [], config: TUNED_FOR_RESCALING, steps: FULL_CYCLE, sourceRate: 10 },
  {
    label: 'state job ~0 state, defaults',
    job: 'state',
    args: stateArgs(1000, 0),
    config: PAGE_DEFAULTS,
    steps: FULL_CYCLE,
    sourceRate: STATE_RATE,
  },
  {
    label: 'state job ~0 state, tuned',
    job: 'state',
    args: stateArgs(1000, 0),
    config: TUNED_FOR_RESCALING,
    steps: FULL_CYCLE,
    sourceRate: STATE_RATE,
  },
  {
    label: 'state job 10 MB, tuned',
    job: 'state',
    args: stateArgs(11_000, 1000),
    config: TUNED_FOR_RESCALING,
    steps: ['up', 'stop'],
    sourceRate: STATE_RATE,
    fillBytes: 10 * MB,
  },
  {
    label: 'state job 100 MB, tuned',
    job: 'state',
    args: stateArgs(110_000, 1000),
    config: TUNED_FOR_RESCALING,
    steps: ['up', 'stop'],
    sourceRate: STATE_RATE,
    fillBytes: 100 * MB,
  },
];

const at = (value: number): Target => ({ comparison: '≤', value });
const atLeast = (value: number): Target => ({ comparison: '≥', value });

async function startupPair(figures: Figures, tsflink: ClusterFactory, flink: ClusterFactory): Promise<void> {
  const record = (system: 'tsflink' | 'flink', s: Awaited<ReturnType<typeof measureStartup>>, memory: string) => {
    if (memory === 'default') {
      figures.add('JobManager start → REST answers', 'ms', system, [s.jobManagerMs], at(0.2));
      figures.add('TaskManager start → registered', 'ms', system, [s.taskManagerMs], at(0.2));
    }
    figures.add(`JobManager idle RSS, Flink ${memory} memory`, 'MB', system, [s.jobManagerRssMb], at(0.2));
    figures.add(`TaskManager idle RSS, Flink ${memory} memory`, 'MB', system, [s.taskManagerRssMb], at(0.2));
  };
  const ts = await measureStartup(tsflink, {});
  record('tsflink', ts, 'default');
  record('flink', await measureStartup(flink, {}), 'default');
  // tsflink has no memory model to shrink; its one figure stands beside both of Flink's.
  record('tsflink', ts, 'smallest');
  record('flink', await measureStartup(flink, FLINK_SMALLEST_MEMORY), 'smallest');
}

export function recordRescale(figures: Figures, scenario: NamedScenario, system: 'tsflink' | 'flink', sample: RescaleSample): void {
  const defaults = scenario.config === PAGE_DEFAULTS;
  const targets: Record<RescaleStep, Target | undefined> = {
    up: at(0.1),
    stop: at(0.1),
    kill: defaults ? at(0.05) : undefined,
  };
  const words: Record<RescaleStep, string> = {
    up: 'TaskManager start → every subtask running higher',
    stop: 'graceful stop → running lower',
    kill: 'kill -9 → running lower',
  };
  for (const step of ['up', 'stop', 'kill'] as const) {
    const values = sample.steps.filter((s) => s.step === step).map((s) => s.ms);
    if (values.length > 0) figures.add(`${scenario.label}: ${words[step]}`, 'ms', system, values, targets[step]);
  }
  const replayed = sample.steps.map((s) => s.replayed).filter((r): r is number => r !== undefined);
  if (replayed.length > 0) figures.add(`${scenario.label}: records replayed per rescale`, 'records', system, replayed);
  if (scenario.fillBytes !== undefined && sample.checkpointMs !== undefined) {
    figures.add(`${scenario.label}: checkpoint duration`, 'ms', system, [sample.checkpointMs]);
  }
  const restores = sample.steps.map((s) => s.restoreMs).filter((ms): ms is number => ms !== undefined);
  if (scenario.fillBytes !== undefined && restores.length > 0) {
    figures.add(`${scenario.label}: restore time (slowest subtask, INITIALIZING → RUNNING)`, 'ms', system, restores);
  }
}

/** The scenarios with a filled keyed state: checkpoint duration and restore time at 10 and 100 MB. */
export const STATE_SCENARIOS: readonly NamedScenario[] = SCENARIOS.filter((s) => s.fillBytes !== undefined);

/** One scenario on tsflink, then on Flink, into `figures`; both or neither, so the pairs stay aligned. */
export async function rescalePair(
  figures: Figures,
  scenario: NamedScenario,
  tsflink: ClusterFactory,
  flink: ClusterFactory,
): Promise<void> {
  process.stderr.write(`vs-flink: ${scenario.label}\n`);
  const ours = await measureRescale(tsflink, scenario);
  const theirs = await measureRescale(flink, scenario);
  recordRescale(figures, scenario, 'tsflink', ours);
  recordRescale(figures, scenario, 'flink', theirs);
}

export async function run(): Promise<BenchResult> {
  const flinkDist: FlinkDistribution = await ensureFlink();
  const tsflink: ClusterFactory = async (config) => tsflinkCluster(config);
  const flink: ClusterFactory = (config) => flinkCluster(flinkDist, config);
  const figures = new Figures();
  for (let pair = 0; pair < PAIRS; pair++) {
    process.stderr.write(`vs-flink: pair ${pair + 1} of ${PAIRS}\n`);
    await startupPair(figures, tsflink, flink);
    for (const [system, make] of [
      ['tsflink', tsflink],
      ['flink', flink],
    ] as const) {
      const samples = await measureThroughput(make, THROUGHPUT_RECORDS, THROUGHPUT_RUNS);
      figures.add(
        'throughput job, 2 TaskManagers × 1 slot',
        'records/s',
        system,
        samples.map((s) => s.recordsPerSecond),
        atLeast(1),
      );
      figures.add(
        'throughput job: CPU seconds per million records',
        's',
        system,
        samples.map((s) => s.cpuSecondsPerMillion),
      );
    }
    for (const scenario of SCENARIOS) await rescalePair(figures, scenario, tsflink, flink);
    figures.add('REST p99 at 200 req/s', 'ms', 'tsflink', [await measureRestP99(tsflink, REST_SECONDS)]);
    figures.add('REST p99 at 200 req/s', 'ms', 'flink', [await measureRestP99(flink, REST_SECONDS)]);
  }
  return {
    name,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    metrics: figures.metrics(),
    notes: [
      `Apache Flink ${flinkDist.version} from Maven Central (bench/flink), started from its entry points with BashJavaUtils' memory flags, as its scripts do; tsflink through bin/. ${PAIRS} pair(s), tsflink then Flink in each; ratios are of the medians, runs are per-pair ratios.`,
      'Targets are on the ratio. "defaults": the Elastic Scaling page\'s options, each system\'s defaults otherwise (Flink 1.20: heartbeat.timeout 50 s, 30 s cooldown between rescales, 10 s resource stabilization). "tuned": both at heartbeat.timeout 5 s with the cooldown and stabilization waits at 0.',
      "Rescale times run from the action to the JobManager log line at which every subtask runs at the new parallelism (tsflink logs it; for Flink, each subtask's INITIALIZING → RUNNING line).",
      "Records replayed: tsflink's exact count from its log; Flink's is an estimate, the sources' rate × (old run's end − restored checkpoint's trigger time).",
      `Idle RSS after 2 s. "smallest memory" is ${Object.entries(FLINK_SMALLEST_MEMORY)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}. tsflink has no memory model; its one figure stands beside both.`,
      `Throughput: ${THROUGHPUT_RECORDS.toLocaleString('en')} records per run, ${THROUGHPUT_RUNS} runs per cluster, submitted through /jars; RUNNING → FINISHED from /jobs/:id timestamps; CPU of the JobManager and both TaskManagers.`,
      `REST: ${REST_SECONDS} s at 200 req/s over /overview, /jobs/:id, /jobs/:id/checkpoints, /taskmanagers while the keyed-state job runs.`,
    ],
  };
}
