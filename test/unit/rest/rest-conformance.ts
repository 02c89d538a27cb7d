import assert from 'node:assert/strict';
import { callSpec, schemaProblems, type Tolerances } from './snapshot-schema.js';

/**
 * Properties of Flink's response schemas that tsflink leaves out on purpose, by call. Each entry
 * says why; anything else the schema names must be present.
 */
const OMITTED: Readonly<Record<string, readonly string[]>> = {
  'GET /jobs/:jobid': [
    // Applications (Flink 2.3) are not modelled: a tsflink job belongs to no application.
    '$.application-id',
    // tsflink keeps no stream graph apart from the job graph the plan already shows.
    '$.stream-graph',
    ...planOmissions('$.plan'),
  ],
  'GET /jobs/:jobid/plan': planOmissions('$.plan'),
  'GET /jobs/:jobid/vertices/:vertexid': [
    // Flink writes other attempts only under speculative execution, which tsflink does not do.
    '$.subtasks[].other-concurrent-attempts',
  ],
  // Flame graphs are off (Flink's default, and tsflink samples none): Flink then leaves data out too.
  'GET /jobs/:jobid/vertices/:vertexid/flamegraph': ['$.data'],
  // While the job runs there is no result yet; Flink leaves the field out too.
  'GET /jobs/:jobid/execution-result': ['$.job-execution-result'],
  'GET /jobs/:jobid/exceptions': [
    // A failure of the whole job (not of one task) has no task, endpoint or TaskManager; Flink omits them too.
    '$.exceptionHistory.entries[].taskName',
    '$.exceptionHistory.entries[].endpoint',
    '$.exceptionHistory.entries[].taskManagerId',
  ],
};

/** Sources have no `inputs` in Flink's plan either; local strategies and caching belong to batch plans. */
function planOmissions(plan: string): string[] {
  return [`${plan}.nodes[].inputs`, `${plan}.nodes[].inputs[].local_strategy`, `${plan}.nodes[].inputs[].caching`];
}

/** Values Flink itself writes as null when there is nothing to show. */
const NULLABLE: Readonly<Record<string, readonly string[]>> = {
  'GET /jobs/:jobid/checkpoints': [
    '$.latest.completed',
    '$.latest.savepoint',
    '$.latest.failed',
    '$.latest.restored',
    // Only savepoints have a format.
    '$.latest.completed.savepointFormat',
    '$.latest.failed.savepointFormat',
    '$.history[].savepointFormat',
    '$.latest.failed.failure_message',
    '$.latest.restored.external_path',
  ],
  'GET /jobs/:jobid/checkpoints/details/:checkpointid': ['$.savepointFormat'],
  // While the operation runs there is no result yet.
  'GET /jobs/:jobid/savepoints/:triggerid': ['$.operation'],
};

/** The tolerances of one call. */
export function tolerancesOf(method: string, url: string): Tolerances {
  const key = `${method} ${url}`;
  return { omitted: new Set(OMITTED[key] ?? []), nullable: new Set(NULLABLE[key] ?? []) };
}

/**
 * Asserts that a real response of `method url` (a snapshot template such as `/jobs/:jobid`) has
 * the snapshot's status code and matches its response schema.
 */
export function assertConforms(method: string, url: string, status: number, body: unknown): void {
  const spec = callSpec(method, url);
  assert.equal(
    status,
    spec.status,
    `${method} ${url}: HTTP ${status}, Flink answers ${spec.status} (${JSON.stringify(body)?.slice(0, 300)})`,
  );
  // The resource requirements travel without the wrapper property the schema shows (Jackson any-getter in Flink).
  const checked = url === '/jobs/:jobid/resource-requirements' ? { jobVertexResourceRequirements: body } : body;
  const problems = schemaProblems(checked, spec.schema, tolerancesOf(method, url));
  assert.deepEqual(problems, [], `${method} ${url} departs from Flink's schema:\n${problems.join('\n')}`);
}
