/** The fingerprint of a JobGraph: sha256 of a canonical rendering (sorted keys) of everything but the fingerprint. */
import { createHash } from 'node:crypto';
import type { JobGraph } from '../../jobgraph/job-graph.js';

function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** sha256 hex of the graph's canonical form. */
export function graphFingerprint(graph: Omit<JobGraph, 'fingerprint'>): string {
  const { jobName, jobType, vertices, settings } = graph;
  return createHash('sha256').update(canonical({ jobName, jobType, vertices, settings })).digest('hex');
}
