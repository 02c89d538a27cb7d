import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import type { MetricQuery } from '../../metrics/metric-query.js';
import { MetricNames } from '../../metrics/metric-names.js';
import { jobIdParam, vertexIdParam } from '../request-params.js';
import type { RestHandler } from '../router.js';

/** Flink's back-pressure levels, by the share of time a subtask was back-pressured. */
type BackPressureLevel = 'ok' | 'low' | 'high';

/** Flink's thresholds (JobVertexBackPressureHandler): up to 10 % is ok, up to 50 % low, above that high. */
function levelOf(ratio: number): BackPressureLevel {
  if (ratio <= 0.1) return 'ok';
  if (ratio <= 0.5) return 'low';
  return 'high';
}

const LEVEL_ORDER: readonly BackPressureLevel[] = ['ok', 'low', 'high'];

/** A per-second time metric (ms per s) as a share of time, 0 when not reported yet. */
function share(metrics: ReadonlyArray<readonly [string, number | string]>, name: string): number {
  const value = Number(metrics.find(([key]) => key === name)?.[1]);
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value / 1000)) : 0;
}

/**
 * GET /jobs/:jobid/vertices/:vertexid/backpressure (Flink's JobVertexBackPressureInfo), from the
 * subtasks' back-pressured, idle and busy time per second, as Flink computes it since 1.13.
 */
export function backPressureHandler(jobs: JobGateway, metrics: MetricQuery): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const vertex = jobs.requestJobVertex(jobId, vertexIdParam(request));
    const reported = metrics.subtaskMetrics(jobId, vertex.id) ?? [];
    // Before any subtask reported, Flink answers with the status alone.
    if (reported.length === 0) return { status: 200, json: { status: 'deprecated' } };
    const subtasks = vertex.subtasks.flatMap((subtask) => {
      const values = reported.find((r) => r.subtaskIndex === subtask.subtask)?.metrics;
      if (values === undefined) return [];
      const ratio = share(values, MetricNames.BACK_PRESSURED_TIME_RATE);
      const level = levelOf(ratio);
      return [
        {
          subtask: subtask.subtask,
          'attempt-number': subtask.attempt,
          backpressureLevel: level,
          'backpressure-level': level,
          ratio,
          idleRatio: share(values, MetricNames.IDLE_TIME_RATE),
          busyRatio: share(values, MetricNames.BUSY_TIME_RATE),
          'other-concurrent-attempts': [],
        },
      ];
    });
    const worst = LEVEL_ORDER[Math.max(0, ...subtasks.map((s) => LEVEL_ORDER.indexOf(s.backpressureLevel)))]!;
    return {
      status: 200,
      json: { status: 'ok', backpressureLevel: worst, 'backpressure-level': worst, 'end-timestamp': vertex.now, subtasks },
    };
  };
}

/** GET /jobs/:jobid/vertices/:vertexid/watermarks: each subtask's current input watermark, as Flink's metric list. */
export function watermarksHandler(jobs: JobGateway, metrics: MetricQuery): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const vertex = jobs.requestJobVertex(jobId, vertexIdParam(request));
    const entries = (metrics.subtaskMetrics(jobId, vertex.id) ?? []).flatMap((subtask) => {
      const value = subtask.metrics.find(([key]) => key === MetricNames.CURRENT_INPUT_WATERMARK)?.[1];
      return value === undefined ? [] : [{ id: `${subtask.subtaskIndex}.${MetricNames.CURRENT_INPUT_WATERMARK}`, value: String(value) }];
    });
    return { status: 200, json: entries };
  };
}

/**
 * GET /jobs/:jobid/vertices/:vertexid/flamegraph: tsflink samples no stacks, so it answers as Flink
 * does with `rest.flamegraph.enabled: false` (its default): an end timestamp of -1 and no data.
 */
export function flameGraphHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    jobs.requestJobVertex(jobIdParam(request), vertexIdParam(request));
    return { status: 200, json: { endTimestamp: -1 } };
  };
}
