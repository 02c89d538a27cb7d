import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../../src/core/errors.js';
import { JobMasterRouter } from '../../../src/jobmanager/dispatcher/job-master-router.js';
import { validateTaskMetricsReport, type TaskMetricsReport } from '../../../src/rpc/gateways/task-metrics-report.js';
import { asAttemptId, asJobId, asResourceId, asVertexId } from '../../helpers/ids.js';

const VALID: TaskMetricsReport = {
  jobId: asJobId('0123456789abcdef0123456789abcdef'),
  resourceId: asResourceId('tm-1'),
  tasks: [
    {
      vertexId: asVertexId('v'),
      subtaskIndex: 0,
      attemptNumber: 1,
      attemptId: asAttemptId('a'),
      metrics: { numRecordsIn: 5, currentInputWatermark: -(2 ** 63) },
      operators: [{ id: 'o', name: 'Source: x', metrics: { pendingRecords: 3 } }],
    },
  ],
};

describe('task metrics reports from the wire', () => {
  it('accepts a well-formed report', () => {
    assert.equal(validateTaskMetricsReport(VALID), VALID);
  });

  const garbage: Array<[string, unknown]> = [
    ['null', null],
    ['an array', []],
    ['no job id', { ...VALID, jobId: undefined }],
    ['tasks not a list', { ...VALID, tasks: {} }],
    ['a negative subtask index', { ...VALID, tasks: [{ ...VALID.tasks[0], subtaskIndex: -1 }] }],
    ['a metric that is not a number', { ...VALID, tasks: [{ ...VALID.tasks[0], metrics: { numRecordsIn: '5' } }] }],
    ['a null metric (NaN on the sender)', { ...VALID, tasks: [{ ...VALID.tasks[0], metrics: { numRecordsIn: null } }] }],
    ['an operator without a name', { ...VALID, tasks: [{ ...VALID.tasks[0], operators: [{ id: 'o', metrics: {} }] }] }],
    ['too many tasks', { ...VALID, tasks: Array.from({ length: 5000 }, () => VALID.tasks[0]) }],
    ['a huge metric name', { ...VALID, tasks: [{ ...VALID.tasks[0], metrics: { ['x'.repeat(600)]: 1 } }] }],
  ];
  for (const [what, report] of garbage) {
    it(`refuses ${what} with an RpcError`, () => {
      assert.throws(
        () => validateTaskMetricsReport(report),
        (error: unknown) =>
          error instanceof RpcError && error.code === 'RPC_PROTOCOL' && /malformed task metrics report/.test(error.message),
      );
    });
  }

  it('is refused by the JobMaster router before any job sees it; a valid report of an unknown job answers false', async () => {
    const router = new JobMasterRouter(() => []);
    await assert.rejects(router.reportTaskMetrics({ jobId: 5 } as unknown as TaskMetricsReport), RpcError);
    assert.equal(await router.reportTaskMetrics(VALID), false);
  });
});
