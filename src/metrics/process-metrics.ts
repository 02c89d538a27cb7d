import { cpus } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { MetricGroup } from './metric-group.js';
import { StatusMetricNames } from './metric-names.js';

/** One reading of this process's CPU and memory. */
export interface ProcessSample {
  /** Share of all cores used since the previous sample, 0..1 (Flink's Status.JVM.CPU.Load). */
  readonly cpuLoad: number;
  /** CPU time used since the process started, in nanoseconds. */
  readonly cpuTimeNs: number;
  readonly heapUsed: number;
  readonly heapCommitted: number;
  readonly heapMax: number;
  /** Memory of ArrayBuffers and Buffers outside the V8 heap (network batches live here). */
  readonly directUsed: number;
  readonly rss: number;
}

/** The heap limit never changes during a process's life. */
const HEAP_LIMIT = getHeapStatistics().heap_size_limit;
const CORES = Math.max(1, cpus().length);

/**
 * Samples this process at most once per `minIntervalMs`, whoever asks (a scrape, REST, the
 * TaskManager's tick): CPU load needs an interval, and reading it on every request would make the
 * interval as short as the gap between two requests.
 */
export class ProcessSampler {
  private lastCpu = process.cpuUsage();
  private lastTime = performance.now();
  private last: ProcessSample | undefined;

  constructor(private readonly minIntervalMs = 1_000) {}

  sample(): ProcessSample {
    const now = performance.now();
    if (this.last !== undefined && now - this.lastTime < this.minIntervalMs) return this.last;
    const cpu = process.cpuUsage();
    const usedMicros = cpu.user - this.lastCpu.user + cpu.system - this.lastCpu.system;
    const elapsedMicros = (now - this.lastTime) * 1000;
    this.lastCpu = cpu;
    this.lastTime = now;
    const memory = process.memoryUsage();
    this.last = {
      cpuLoad: elapsedMicros > 0 ? Math.min(1, Math.max(0, usedMicros / elapsedMicros / CORES)) : 0,
      cpuTimeNs: (cpu.user + cpu.system) * 1000,
      heapUsed: memory.heapUsed,
      heapCommitted: memory.heapTotal,
      heapMax: HEAP_LIMIT,
      directUsed: memory.arrayBuffers,
      rss: memory.rss,
    };
    return this.last;
  }
}

/** Registers the process's `Status.*` metrics on a JobManager or TaskManager group. */
export function registerProcessMetrics(group: MetricGroup, sampler: ProcessSampler): void {
  group
    .gaugeAt(StatusMetricNames.CPU_LOAD, () => sampler.sample().cpuLoad)
    .gaugeAt(StatusMetricNames.CPU_TIME, () => sampler.sample().cpuTimeNs)
    .gaugeAt(StatusMetricNames.HEAP_USED, () => sampler.sample().heapUsed)
    .gaugeAt(StatusMetricNames.HEAP_COMMITTED, () => sampler.sample().heapCommitted)
    .gaugeAt(StatusMetricNames.HEAP_MAX, () => sampler.sample().heapMax)
    .gaugeAt(StatusMetricNames.DIRECT_USED, () => sampler.sample().directUsed)
    .gaugeAt(StatusMetricNames.RSS, () => sampler.sample().rss);
}
