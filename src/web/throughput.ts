import { settle, getJson } from './rest-client.js';
import type { Metric } from '../rest/types/responses.js';

/** Records per second into and out of one vertex; undefined until its metrics are reported. */
export interface VertexThroughput {
  readonly inPerSecond: number | undefined;
  readonly outPerSecond: number | undefined;
}

const RECORDS_IN = 'numRecordsInPerSecond';
const RECORDS_OUT = 'numRecordsOutPerSecond';

/** Reads every vertex's record rates; a vertex whose metrics are missing or fail gets undefined rates. */
export async function fetchThroughput(jobId: string, vertexIds: readonly string[]): Promise<Map<string, VertexThroughput>> {
  const results = await Promise.all(
    vertexIds.map(async (vertexId) => {
      const path = `/jobs/${encodeURIComponent(jobId)}/vertices/${encodeURIComponent(vertexId)}/metrics?get=${RECORDS_IN},${RECORDS_OUT}`;
      const metrics = await settle(getJson<Metric[]>(path));
      return [vertexId, throughputOf(Array.isArray(metrics) ? metrics : [])] as const;
    }),
  );
  return new Map(results);
}

/** Sums a rate over its subtasks: a vertex reports `numRecordsInPerSecond` or per subtask `0.numRecordsInPerSecond`. */
export function throughputOf(metrics: readonly Metric[]): VertexThroughput {
  return { inPerSecond: sumOf(metrics, RECORDS_IN), outPerSecond: sumOf(metrics, RECORDS_OUT) };
}

function sumOf(metrics: readonly Metric[], name: string): number | undefined {
  let total: number | undefined;
  for (const metric of metrics) {
    if (metric.id !== name && !metric.id.endsWith(`.${name}`)) continue;
    const value = Number(metric.value);
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}
