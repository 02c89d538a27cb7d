import type { Metric } from '../types/responses.js';
import {
  aggregateMetrics,
  availableMetricIds,
  formatMetricValue,
  AGGREGATION_MODES,
  type AggregationMode,
} from '../../metrics/metric-aggregation.js';
import type { MetricValue } from '../../metrics/metric-group.js';
import type { MetricEntries, MetricQuery, SubtaskMetrics } from '../../metrics/metric-query.js';
import { parseJobId, resourceIdOf } from '../../core/ids.js';
import { jobIdParam, taskManagerIdParam, vertexIdParam } from '../request-params.js';
import { badRequest } from '../rest-error.js';
import type { RestHandler, RestRequest, RestResponse } from '../router.js';

/** The metric names of `get=a,b`; undefined when the parameter is absent or empty (list every metric). */
function requestedNames(request: RestRequest): string[] | undefined {
  const names = (request.query.get('get') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length === 0 ? undefined : names;
}

/** Flink's MetricCollectionResponseBody: `[{"id"}]` without `get`, `[{"id","value"}]` for the requested ids that exist. */
export function metricCollection(entries: MetricEntries, names: readonly string[] | undefined): RestResponse {
  if (names === undefined) return { status: 200, json: entries.map(([id]): Metric => ({ id })) };
  const lookup = new Map(entries);
  const json = names.flatMap((id): Metric[] => {
    const value = lookup.get(id);
    return value === undefined ? [] : [{ id, value: formatMetricValue(value) }];
  });
  return { status: 200, json };
}

/** Subtask metrics under Flink's vertex ids: `<subtask>.<name>` and `<subtask>.<operator>.<name>`. */
function vertexEntries(subtasks: readonly SubtaskMetrics[]): Array<[string, MetricValue]> {
  return subtasks.flatMap((subtask) =>
    subtask.metrics.map(([name, value]): [string, MetricValue] => [`${subtask.subtaskIndex}.${name}`, value]),
  );
}

/**
 * Adds, for a requested name without subtask prefix, its sum over the subtasks (tsflink's
 * extension: `get=numRecordsInPerSecond` gives the vertex's total, which the web UI reads).
 */
function withVertexTotals(
  entries: Array<[string, MetricValue]>,
  subtasks: readonly SubtaskMetrics[],
  names: readonly string[] | undefined,
): Array<[string, MetricValue]> {
  if (names === undefined) return entries;
  for (const name of names) {
    if (/^\d+\./.test(name)) continue;
    const [total] = aggregateMetrics(
      subtasks.map((subtask) => subtask.metrics),
      [name],
      ['sum'],
    );
    if (total?.sum !== undefined) entries.push([name, total.sum]);
  }
  return entries;
}

/** GET /jobmanager/metrics */
export function jobManagerMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => metricCollection(metrics.jobManagerMetrics(), requestedNames(request));
}

/** GET /jobs/:jobid/metrics: the job's JobManager-side metrics; an unknown job has none, as in Flink. */
export function jobMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => metricCollection(metrics.jobMetrics(jobIdParam(request)) ?? [], requestedNames(request));
}

/** GET /jobs/:jobid/vertices/:vertexid/metrics */
export function vertexMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => {
    const subtasks = metrics.subtaskMetrics(jobIdParam(request), vertexIdParam(request)) ?? [];
    const names = requestedNames(request);
    return metricCollection(withVertexTotals(vertexEntries(subtasks), subtasks, names), names);
  };
}

/** GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics */
export function subtaskMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => {
    const index = subtaskIndexParam(request);
    const subtask = metrics
      .subtaskMetrics(jobIdParam(request), vertexIdParam(request))
      ?.find((candidate) => candidate.subtaskIndex === index);
    return metricCollection(subtask?.metrics ?? [], requestedNames(request));
  };
}

/** GET /jobs/:jobid/vertices/:vertexid/jm-operator-metrics: tsflink has no operator coordinators, so none. */
export function jobManagerOperatorMetricsHandler(): RestHandler {
  return (request) => {
    jobIdParam(request);
    vertexIdParam(request);
    return metricCollection([], requestedNames(request));
  };
}

/** GET /taskmanagers/:taskmanagerid/metrics */
export function taskManagerMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => metricCollection(metrics.taskManagerMetrics(taskManagerIdParam(request)) ?? [], requestedNames(request));
}

/** GET /jobs/:jobid/vertices/:vertexid/subtasks/metrics?get=&agg=&subtasks= */
export function aggregatedSubtaskMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => {
    const subtasks = metrics.subtaskMetrics(jobIdParam(request), vertexIdParam(request)) ?? [];
    const selected = indexSelection(request.query.get('subtasks'));
    const chosen = subtasks.filter((subtask) => selected === undefined || selected(subtask.subtaskIndex));
    return aggregated(
      request,
      chosen.map((subtask) => subtask.metrics),
    );
  };
}

/** GET /taskmanagers/metrics?get=&agg=&taskmanagers= */
export function aggregatedTaskManagerMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => {
    const ids = idSelection(request, 'taskmanagers')?.map(resourceIdOf) ?? metrics.taskManagerIds();
    return aggregated(
      request,
      ids.map((id) => metrics.taskManagerMetrics(id) ?? []),
    );
  };
}

/** GET /jobs/metrics?get=&agg=&jobs= */
export function aggregatedJobMetricsHandler(metrics: MetricQuery): RestHandler {
  return (request) => {
    // An id that is not a job id (32 hex) names no job, as an unknown one: no metrics.
    const ids = idSelection(request, 'jobs')?.map(parseJobId) ?? metrics.jobIds();
    return aggregated(
      request,
      ids.map((id) => (id === undefined ? undefined : metrics.jobMetrics(id)) ?? []),
    );
  };
}

/** Flink's AggregatedMetricsResponseBody: ids without `get`, else the requested aggregates of each requested metric. */
function aggregated(request: RestRequest, components: readonly MetricEntries[]): RestResponse {
  const names = requestedNames(request);
  if (names === undefined) return { status: 200, json: availableMetricIds(components).map((id) => ({ id })) };
  return { status: 200, json: aggregateMetrics(components, names, aggregationModes(request)) };
}

/** The `agg` modes (every mode when absent); 400 for an unknown one. */
function aggregationModes(request: RestRequest): AggregationMode[] {
  const raw = (request.query.get('agg') ?? '')
    .split(',')
    .map((mode) => mode.trim().toLowerCase())
    .filter((mode) => mode !== '');
  if (raw.length === 0) return [...AGGREGATION_MODES];
  for (const mode of raw) {
    if (!(AGGREGATION_MODES as readonly string[]).includes(mode))
      throw badRequest(
        `Invalid query parameter agg='${request.query.get('agg')}': expected a comma-separated list of min, max, sum, avg, skew.`,
      );
  }
  return raw as AggregationMode[];
}

/** A comma-separated id list query parameter, undefined when absent or empty. */
function idSelection(request: RestRequest, name: string): string[] | undefined {
  const ids = (request.query.get(name) ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return ids.length === 0 ? undefined : ids;
}

/** `subtasks=1,3,5-9` as a predicate; undefined when absent; 400 when malformed. */
function indexSelection(spec: string | null): ((index: number) => boolean) | undefined {
  if (spec === null || spec.trim() === '') return undefined;
  const ranges = spec.split(',').map((part) => {
    const match = /^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$/.exec(part);
    if (match === null) throw badRequest(`Invalid query parameter subtasks='${spec}': expected integer ranges such as 1,3,5-9.`);
    return [Number(match[1]), Number(match[2] ?? match[1])] as const;
  });
  return (index) => ranges.some(([low, high]) => index >= low && index <= high);
}

/** The subtask index of the path; 400 when it is not a non-negative integer. */
function subtaskIndexParam(request: RestRequest): number {
  const value = request.params['subtaskindex'] ?? '';
  if (!/^\d{1,9}$/.test(value)) throw badRequest(`Invalid subtask index '${value}': expected a non-negative integer.`);
  return Number(value);
}
