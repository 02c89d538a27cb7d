import type { JobTopology, ShipStrategy } from '../../src/autoscaler/job-topology.js';
import type { MetricSample, VertexSample } from '../../src/autoscaler/metric-sample.js';

/** One simulated vertex of a chain pipeline: DS2's linear model, a fixed cost per record per subtask. */
export interface SimulatedVertex {
  readonly id: string;
  /** Records per second one subtask takes when fully busy. */
  readonly capacityPerSubtask: number;
  parallelism: number;
  readonly maxParallelism?: number;
  /** Records out per record in. */
  readonly selectivity?: number;
  /** How records reach it from the previous vertex. */
  readonly ship?: ShipStrategy;
  /** Load of the hottest subtask relative to an even share (1 = even, 1.5 = 50 % more). */
  readonly skew?: number;
}

/** Source arrival rate (records/s) at a time in ms. */
export type LoadSchedule = (timeMs: number) => number;

/** A seeded pseudo-random source so noisy series are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A chain pipeline (first vertex is the source) run in virtual time: records arrive by the schedule,
 * the source reads what the slowest vertex lets through, and the rest waits as pendingRecords.
 * A rescale stops processing for restartMs. Samples carry the metrics Flink's autoscaler reads.
 */
export class PipelineSimulator {
  backlog: number;
  #restartUntilMs = -1;
  readonly #random: () => number;

  constructor(
    readonly vertices: SimulatedVertex[],
    private readonly load: LoadSchedule,
    private readonly options: { noise?: number; restartMs?: number; initialBacklog?: number; seed?: number } = {},
  ) {
    this.backlog = options.initialBacklog ?? 0;
    this.#random = seeded(options.seed ?? 7);
  }

  topology(): JobTopology {
    return {
      vertices: this.vertices.map((v, i) => ({
        id: v.id,
        name: v.id,
        parallelism: v.parallelism,
        maxParallelism: v.maxParallelism ?? 128,
        inputs: i === 0 ? [] : [{ from: this.vertices[i - 1]!.id, ship: v.ship ?? 'HASH' }],
      })),
    };
  }

  /** Applies a decision: new parallelism after restartMs of downtime. */
  rescale(parallelism: Readonly<Record<string, number>>, nowMs: number): void {
    for (const v of this.vertices) v.parallelism = parallelism[v.id] ?? v.parallelism;
    this.#restartUntilMs = nowMs + (this.options.restartMs ?? 5_000);
  }

  /** Source records per second the pipeline can take: the slowest vertex, its hottest subtask first. */
  capacity(): number {
    let selectivity = 1;
    let capacity = Infinity;
    for (const v of this.vertices) {
      capacity = Math.min(capacity, (v.capacityPerSubtask * v.parallelism) / (v.skew ?? 1) / selectivity);
      selectivity *= v.selectivity ?? 1;
    }
    return capacity;
  }

  /** Advances from `fromMs` to `toMs` and returns the sample a collector would read at `toMs`. */
  advance(fromMs: number, toMs: number): MetricSample {
    const seconds = (toMs - fromMs) / 1000;
    const arriving = this.load(fromMs) * seconds;
    const running = toMs > this.#restartUntilMs;
    const processed = running ? Math.min(arriving + this.backlog, this.capacity() * seconds) : 0;
    this.backlog = Math.max(0, this.backlog + arriving - processed);
    const rate = processed / seconds;
    const vertices: Record<string, VertexSample> = {};
    let inRate = rate;
    let bottleneckSeen = false;
    const slowest = this.capacity();
    for (const v of this.vertices) {
      const noise = (): number => 1 + (this.options.noise ?? 0) * (2 * this.#random() - 1);
      const even = inRate / (v.capacityPerSubtask * v.parallelism);
      const hottest = Math.min(1, even * (v.skew ?? 1));
      const outRate = inRate * (v.selectivity ?? 1);
      const isBottleneck: boolean = !bottleneckSeen && Math.abs(this.#capacityOf(v) - slowest) < 1e-9 && rate >= slowest - 1e-6;
      bottleneckSeen ||= isBottleneck;
      // Vertices before a saturated one wait on it: the rest of their time is backpressure.
      const backPressured = rate >= slowest - 1e-6 && !bottleneckSeen ? 1 - even : 0;
      vertices[v.id] = {
        busyTimeMsPerSecond: { max: Math.min(1000, hottest * 1000 * noise()), avg: Math.min(1000, even * 1000 * noise()), min: even * 500 },
        backPressuredTimeMsPerSecond: backPressured * 1000,
        numRecordsInPerSecond: inRate * noise(),
        numRecordsOutPerSecond: outRate,
        ...(v === this.vertices[0] ? { pendingRecords: this.backlog } : {}),
      };
      inRate = outRate;
    }
    return { timeMs: toMs, vertices };
  }

  #capacityOf(target: SimulatedVertex): number {
    let selectivity = 1;
    for (const v of this.vertices) {
      if (v === target) return (v.capacityPerSubtask * v.parallelism) / (v.skew ?? 1) / selectivity;
      selectivity *= v.selectivity ?? 1;
    }
    return Infinity;
  }
}
