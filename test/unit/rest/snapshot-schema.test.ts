import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callSpec, schemaProblems } from './snapshot-schema.js';

const NONE = { omitted: new Set<string>(), nullable: new Set<string>() };

describe('the snapshot schema check', () => {
  const { schema, status } = callSpec('GET', '/jobs/overview');
  const job = {
    jid: 'x',
    name: 'n',
    jobType: 'STREAMING',
    schedulerType: 'Adaptive',
    'start-time': 1,
    'end-time': -1,
    duration: 1,
    state: 'RUNNING',
    'last-modification': 2,
    tasks: { total: 2, running: 2 },
    'pending-operators': 0,
  };

  it('accepts a body of the right shape, extra properties included, and knows the status code', () => {
    assert.equal(status, 200);
    assert.deepEqual(schemaProblems({ jobs: [{ ...job, extra: true }] }, schema, NONE), []);
  });

  it('reports missing properties, wrong JSON types, integers that are not, and enum strings out of range', () => {
    const { 'pending-operators': _dropped, ...withoutPending } = job;
    const problems = schemaProblems(
      { jobs: [{ ...withoutPending, duration: 1.5, name: 7, state: 'SLEEPING', tasks: { total: '2' } }] },
      schema,
      NONE,
    );
    assert.deepEqual(problems.sort(), [
      '$.jobs[].duration: 1.5 is not an integer',
      '$.jobs[].name: 7 is not a string',
      '$.jobs[].pending-operators: missing',
      "$.jobs[].state: 'SLEEPING' is not one of INITIALIZING, CREATED, RUNNING, FAILING, FAILED, CANCELLING, CANCELED, FINISHED, RESTARTING, SUSPENDED, RECONCILING",
      '$.jobs[].tasks.*: "2" is not an integer',
    ]);
  });

  it('tolerates only the omissions and nulls it is told about', () => {
    const { 'pending-operators': _dropped, ...withoutPending } = job;
    assert.deepEqual(
      schemaProblems({ jobs: [withoutPending] }, schema, { omitted: new Set(['$.jobs[].pending-operators']), nullable: new Set() }),
      [],
    );
    assert.deepEqual(schemaProblems({ jobs: null }, schema, NONE), ['$.jobs: null where the schema expects array']);
    assert.deepEqual(schemaProblems({ jobs: null }, schema, { omitted: new Set(), nullable: new Set(['$.jobs']) }), []);
  });

  it('follows $ref to definitions elsewhere in the schema', () => {
    const checkpoints = callSpec('GET', '/jobs/:jobid/checkpoints').schema;
    const stats = { min: 1, max: 2, avg: 1, p50: 1.5, p90: 2, p95: 2, p99: 2, p999: 2 };
    const body = {
      counts: { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 },
      summary: {
        checkpointed_size: stats,
        state_size: stats,
        end_to_end_duration: stats,
        alignment_buffered: stats,
        processed_data: stats,
        persisted_data: { ...stats, min: 'x' },
      },
      latest: { completed: null, savepoint: null, failed: null, restored: null },
      history: [],
    };
    const nullable = new Set(['$.latest.completed', '$.latest.savepoint', '$.latest.failed', '$.latest.restored']);
    assert.deepEqual(schemaProblems(body, checkpoints, { omitted: new Set(), nullable }), [
      '$.summary.persisted_data.min: "x" is not an integer',
    ]);
  });
});
