import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoute, routeHref } from '../../../src/web/hash-route.js';

const JOB = '0123456789abcdef0123456789abcdef';

describe("the dashboard's routes", () => {
  it("reads tsflink's own hashes and round-trips them", () => {
    for (const hash of ['#/overview', `#/jobs/${JOB}`, `#/jobs/${JOB}/vertices/v1`, '#/taskmanagers', '#/taskmanagers/tm-1', '#/submit']) {
      assert.equal(routeHref(parseRoute(hash)), hash, hash);
    }
    assert.deepEqual(parseRoute(''), { page: 'overview' });
  });

  it("takes the addresses of Flink's dashboard a user may have bookmarked", () => {
    assert.deepEqual(parseRoute('#/job/running'), { page: 'overview' });
    assert.deepEqual(parseRoute('#/job/completed'), { page: 'overview' });
    assert.deepEqual(parseRoute(`#/job/${JOB}/overview`), { page: 'job', jobId: JOB, vertexId: undefined });
    assert.deepEqual(parseRoute('#/task-manager'), { page: 'taskmanagers' });
    assert.deepEqual(parseRoute('#/task-manager/tm-1/metrics'), { page: 'taskmanager', taskManagerId: 'tm-1' });
    assert.deepEqual(parseRoute('#/task-manager/tm-1/logs'), { page: 'taskmanager', taskManagerId: 'tm-1', tab: 'logs' });
    assert.deepEqual(parseRoute('#/task-manager/tm-1/stdout'), { page: 'taskmanager', taskManagerId: 'tm-1', tab: 'stdout' });
    assert.deepEqual(parseRoute('#/job-manager'), { page: 'jobmanager', tab: 'config' });
    for (const tab of ['config', 'logs', 'log', 'stdout'] as const) {
      assert.deepEqual(parseRoute(`#/job-manager/${tab}`), { page: 'jobmanager', tab });
      assert.equal(routeHref({ page: 'jobmanager', tab }), `#/job-manager/${tab}`);
    }
  });

  it('names every other address as not available instead of showing the overview', () => {
    for (const hash of ['#/job-manager/metrics', '#/job-manager/logs/extra', '#/submit/extra', '#/nonsense', '#/job/not-a-job-id']) {
      assert.deepEqual(parseRoute(hash), { page: 'not-available', hash }, hash);
    }
  });
});
