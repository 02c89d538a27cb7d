import { cpus } from 'node:os';

/** A bound a metric should stay under (or above); ≤ and ≥ for targets stated as "at least" or "no more than". */
export interface Target {
  readonly comparison: '<' | '>' | '≤' | '≥';
  readonly value: number;
}

/** Whether `value` meets `target`. */
export function meets(value: number, target: Target): boolean {
  switch (target.comparison) {
    case '<':
      return value < target.value;
    case '>':
      return value > target.value;
    case '≤':
      return value <= target.value;
    case '≥':
      return value >= target.value;
  }
}

/** A reference measured in the same run, so the metric can be read against the machine's speed. */
export interface Baseline {
  readonly label: string;
  readonly runs: readonly number[];
  readonly median: number;
}

/** One measured quantity of a benchmark: every run, their median, baselines and the target. */
export interface MetricResult {
  readonly metric: string;
  readonly unit: string;
  readonly runs: readonly number[];
  readonly median: number;
  readonly baselines: readonly Baseline[];
  readonly target?: Target;
  /** Whether the median meets the target; absent without a target. */
  readonly met?: boolean;
  /** What was measured alongside, so the row can be read as what it is (e.g. the checkpoint size a rescale restored). */
  readonly measured?: string;
}

/** Where a benchmark ran; results from different machines are not comparable. */
export interface BenchEnvironment {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
}

/** What one benchmark reports. */
export interface BenchResult {
  readonly name: string;
  readonly ranAt: string;
  readonly environment: BenchEnvironment;
  readonly metrics: readonly MetricResult[];
  readonly notes?: readonly string[];
}

/** A benchmark module: `npm run bench [name...]` runs it by name. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<BenchResult>;
}

/** The median of a non-empty sample (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounds for reporting: whole numbers above 100, one decimal below. */
export function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
}

/** Builds a baseline from its runs. */
export function baseline(label: string, runs: readonly number[]): Baseline {
  return { label, runs: runs.map(round), median: round(median(runs)) };
}

/** Builds a metric from its runs, computing the median and whether it meets the target. */
export function metric(
  name: string,
  unit: string,
  runs: readonly number[],
  options: { baselines?: readonly Baseline[]; target?: Target; measured?: string } = {},
): MetricResult {
  const med = round(median(runs));
  const target = options.target;
  const met = target === undefined ? undefined : meets(med, target);
  return {
    metric: name,
    unit,
    runs: runs.map(round),
    median: med,
    baselines: options.baselines ?? [],
    ...(target === undefined ? {} : { target, met }),
    ...(options.measured === undefined ? {} : { measured: options.measured }),
  };
}

/**
 * `TSFLINK_BENCH_QUICK=1`: fewer rounds and records, to check that a benchmark works; its figures
 * are not the ones to publish.
 */
export function quickMode(): boolean {
  return process.env.TSFLINK_BENCH_QUICK === '1';
}

/** Facts about this machine and runtime, recorded with every result. */
export function currentEnvironment(): BenchEnvironment {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
  };
}
