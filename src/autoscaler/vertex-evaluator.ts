import type { AutoscalerSettings } from './autoscaler-settings.js';
import type { JobTopology, VertexInfo } from './job-topology.js';
import { isSource } from './job-topology.js';
import type { MetricSample, VertexSample } from './metric-sample.js';

/** What the metric window says about one vertex: its load, true capacity, target rate and scaling thresholds. */
export interface VertexEvaluation {
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Mean records in per second over the window, all subtasks together. */
  readonly inputRate: number;
  /** Mean busy fraction (0..1) over the window, subtasks combined by the busy-time aggregator. */
  readonly load: number;
  /** Mean backpressured fraction (0..1) over the window. */
  readonly backPressure: number;
  /** Records per second the vertex could take at its current parallelism if it were never idle. */
  readonly trueProcessingRate: number;
  /** Records per second that reach it at the sources' current ingestion rate. */
  readonly targetDataRate: number;
  /** Extra records per second needed to clear the sources' backlog within catch-up.duration. */
  readonly catchUpDataRate: number;
  /** The capacity to plan for: the target rate at target utilization, plus catch-up and restart. */
  readonly targetCapacity: number;
  /** Below this true processing rate the vertex is too slow (scale up). */
  readonly scaleUpThreshold: number;
  /** Above this true processing rate the vertex is oversized (scale down). */
  readonly scaleDownThreshold: number;
  /** The latest backlog of a source, when it reports one. */
  readonly pendingRecords?: number;
}

/** All vertices' evaluations, and whether the job is working off a backlog. */
export interface JobEvaluation {
  readonly vertices: ReadonlyMap<string, VertexEvaluation>;
  readonly processingBacklog: boolean;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function seriesOf(samples: readonly MetricSample[], id: string): VertexSample[] {
  return samples.flatMap((s) => s.vertices[id] ?? []);
}

function busyOf(sample: VertexSample, aggregator: AutoscalerSettings['busyTimeAggregator']): number {
  const busy = sample.busyTimeMsPerSecond;
  return aggregator === 'MAX' ? busy.max : aggregator === 'MIN' ? busy.min : busy.avg;
}

/** Backlog growth per second between the first and last samples that report one. */
function lagRate(samples: readonly MetricSample[], id: string): number {
  const withLag = samples.filter((s) => s.vertices[id]?.pendingRecords !== undefined);
  if (withLag.length < 2) return 0;
  const first = withLag[0]!;
  const last = withLag[withLag.length - 1]!;
  const seconds = (last.timeMs - first.timeMs) / 1000;
  if (seconds <= 0) return 0;
  return ((last.vertices[id]?.pendingRecords ?? 0) - (first.vertices[id]?.pendingRecords ?? 0)) / seconds;
}

function latestLag(samples: readonly MetricSample[], id: string): number | undefined {
  for (let i = samples.length - 1; i >= 0; i--) {
    const lag = samples[i]!.vertices[id]?.pendingRecords;
    if (lag !== undefined) return lag;
  }
  return undefined;
}

/**
 * Records per second the vertex must be able to take, given a busy fraction to plan for.
 * Flink's formula: backlog catch-up + the input lost during a restart caught up over catch-up.duration
 * + the target rate divided by the utilization.
 */
export function targetCapacity(
  rates: { targetDataRate: number; catchUpDataRate: number },
  settings: AutoscalerSettings,
  utilization: number,
  withRestart: boolean,
): number {
  const util = Math.min(1, Math.max(0, utilization));
  if (util === 0) return Infinity;
  const catchUpSeconds = settings.catchUpDurationMs / 1000;
  const restartCatchUp = withRestart && catchUpSeconds > 0 ? (rates.targetDataRate * (settings.restartTimeMs / 1000)) / catchUpSeconds : 0;
  return rates.catchUpDataRate + restartCatchUp + rates.targetDataRate / util;
}

/** Records per second reaching a source: read plus backlog growth. */
function ingestionRate(samples: readonly MetricSample[], id: string): number {
  const read = mean(seriesOf(samples, id).map((s) => s.numRecordsInPerSecond));
  return Number.isNaN(read) ? 0 : read + lagRate(samples, id);
}

/** The last control-loop interval (two samples): what the sources read now and how fast their backlog grows now. */
function recentPart(samples: readonly MetricSample[]): readonly MetricSample[] {
  return samples.slice(-2);
}

/** Whether some source's backlog is larger than lag-threshold seconds of its input. */
function isProcessingBacklog(topology: JobTopology, samples: readonly MetricSample[], settings: AutoscalerSettings): boolean {
  return topology.vertices.filter(isSource).some((vertex) => {
    const lag = latestLag(samples, vertex.id) ?? 0;
    const rate = mean(seriesOf(samples, vertex.id).map((s) => s.numRecordsInPerSecond));
    if (!(rate > 0)) return lag > 0;
    return (lag / rate) * 1000 > settings.backlogLagThresholdMs;
  });
}

/** Target and catch-up rates: measured at the sources, carried downstream by each vertex's out/in ratio. */
function propagateRates(
  topology: JobTopology,
  samples: readonly MetricSample[],
  settings: AutoscalerSettings,
): Map<string, { targetDataRate: number; catchUpDataRate: number }> {
  const rates = new Map<string, { targetDataRate: number; catchUpDataRate: number }>();
  const catchUpSeconds = settings.catchUpDurationMs / 1000;
  for (const vertex of topology.vertices) {
    if (isSource(vertex)) {
      // What arrives is what was read plus what piled up unread (backpressure shows up as growing lag).
      // A step up is judged on the last interval as soon as it shows there, so one decision sizes
      // for the new rate rather than for a window half before the step; a step down waits for the
      // whole window to agree. A noisy high reading matters only once the band is already left.
      const recent = recentPart(samples);
      const lag = latestLag(samples, vertex.id) ?? 0;
      rates.set(vertex.id, {
        targetDataRate: Math.max(ingestionRate(samples, vertex.id), ingestionRate(recent, vertex.id), 0),
        catchUpDataRate: catchUpSeconds > 0 ? lag / catchUpSeconds : 0,
      });
      continue;
    }
    let targetDataRate = 0;
    let catchUpDataRate = 0;
    for (const input of vertex.inputs) {
      const upstream = rates.get(input.from);
      if (!upstream) continue;
      const ratio = outputRatio(seriesOf(samples, input.from));
      targetDataRate += upstream.targetDataRate * ratio;
      catchUpDataRate += upstream.catchUpDataRate * ratio;
    }
    rates.set(vertex.id, { targetDataRate, catchUpDataRate });
  }
  return rates;
}

/** Records out per record in. numRecordsOut counts a record once however many edges it is sent down, so each edge carries all of them. */
function outputRatio(series: readonly VertexSample[]): number {
  const inRate = mean(series.map((s) => s.numRecordsInPerSecond));
  const outRate = mean(series.map((s) => s.numRecordsOutPerSecond));
  if (!(inRate > 0)) return 1;
  return outRate / inRate;
}

function evaluateVertex(
  vertex: VertexInfo,
  samples: readonly MetricSample[],
  rates: { targetDataRate: number; catchUpDataRate: number },
  settings: AutoscalerSettings,
  processingBacklog: boolean,
): VertexEvaluation {
  const series = seriesOf(samples, vertex.id);
  const inputRate = mean(series.map((s) => s.numRecordsInPerSecond));
  const load = mean(series.map((s) => busyOf(s, settings.busyTimeAggregator))) / 1000;
  // Nothing flowing means nothing measured: treat the capacity as unbounded until data flows.
  const trueProcessingRate = inputRate > 0 ? inputRate / Math.max(load, 1e-3) : Infinity;
  const boundary = settings.targetUtilizationBoundary;
  const upper = processingBacklog ? 1 : settings.targetUtilization + boundary;
  const lower = processingBacklog ? 0 : settings.targetUtilization - boundary;
  return {
    parallelism: vertex.parallelism,
    maxParallelism: vertex.maxParallelism,
    inputRate: Number.isNaN(inputRate) ? 0 : inputRate,
    load: Number.isNaN(load) ? 0 : load,
    backPressure: (mean(series.map((s) => s.backPressuredTimeMsPerSecond)) || 0) / 1000,
    trueProcessingRate,
    ...rates,
    targetCapacity: targetCapacity(rates, settings, settings.targetUtilization, true),
    scaleUpThreshold: targetCapacity(rates, settings, upper, false),
    scaleDownThreshold: lower <= 0 ? Infinity : targetCapacity(rates, settings, lower, true),
    pendingRecords: latestLag(samples, vertex.id),
  };
}

/** Evaluates a window of samples against the topology (DS2 / Flink's ScalingMetricEvaluator). */
export function evaluateJob(topology: JobTopology, samples: readonly MetricSample[], settings: AutoscalerSettings): JobEvaluation {
  const processingBacklog = isProcessingBacklog(topology, samples, settings);
  const rates = propagateRates(topology, samples, settings);
  const vertices = new Map<string, VertexEvaluation>();
  for (const vertex of topology.vertices) {
    const vertexRates = rates.get(vertex.id) ?? { targetDataRate: 0, catchUpDataRate: 0 };
    vertices.set(vertex.id, evaluateVertex(vertex, samples, vertexRates, settings, processingBacklog));
  }
  return { vertices, processingBacklog };
}

/** Whether the vertex's true rate lies outside the hysteresis band around its target. */
export function isOutsideBand(evaluation: VertexEvaluation): boolean {
  return evaluation.trueProcessingRate < evaluation.scaleUpThreshold || evaluation.trueProcessingRate > evaluation.scaleDownThreshold;
}
