import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Finished } from '../../../../../../src/jobmanager/scheduler/adaptive/states/finished.js';
import type { JobResult } from '../../../../../../src/jobmanager/scheduler/scheduler-ng.js';
import { captureLogs, testingError } from '../testing-job.js';

captureLogs();

describe('Finished', () => {
  for (const status of ['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED'] as const) {
    it(`reports ${status} for a job that ended ${status}, and nothing changes that`, () => {
      const result: JobResult = status === 'FAILED' ? { status, error: testingError('boom') } : { status };
      const state = new Finished(result);
      state.cancel();
      state.suspend();
      state.handleGlobalFailure();
      state.onLeave();
      assert.equal(state.jobStatus, status);
      assert.equal(state.result, result);
      assert.deepEqual(state.result, status === 'FAILED' ? { status, error: testingError('boom') } : { status });
    });
  }
});
