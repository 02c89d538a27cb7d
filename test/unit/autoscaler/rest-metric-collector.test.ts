import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectJob, RestMetricCollector, runningJobIds, type AutoscalerRestApi } from '../../../src/autoscaler/rest-metric-collector.js';

const JOB = 'a'.repeat(32);
const SRC = '1'.repeat(32);
const WIN = '2'.repeat(32);

/** Answers GETs from a table of path → body and records every path asked. */
class TestingRestApi implements AutoscalerRestApi {
  readonly asked: string[] = [];
  readonly put_: Array<[string, unknown]> = [];
  constructor(private readonly answers: Record<string, unknown>) {}
  get<T>(path: string): Promise<T> {
    this.asked.push(path);
    const [route] = path.split('?');
    const body = this.answers[path] ?? this.answers[route!];
    if (body === undefined) return Promise.reject(new Error(`unexpected GET ${path}`));
    return Promise.resolve(body as T);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    this.put_.push([path, body]);
    return Promise.resolve({} as T);
  }
  post<T>(): Promise<T> {
    return Promise.resolve({} as T);
  }
}

/** Bodies in the shapes tsflink and Flink serve. */
function flinkLikeApi(): TestingRestApi {
  const metrics = `/jobs/${JOB}/vertices`;
  return new TestingRestApi({
    '/jobs': {
      jobs: [
        { id: JOB, status: 'RUNNING' },
        { id: 'b'.repeat(32), status: 'FINISHED' },
      ],
    },
    [`/jobs/${JOB}`]: {
      jid: JOB,
      name: 'Rates',
      state: 'RUNNING',
      maxParallelism: -1,
      vertices: [
        { id: WIN, name: 'Window', parallelism: 2, maxParallelism: 64 },
        { id: SRC, name: 'Source: rates', parallelism: 1, maxParallelism: 128 },
      ],
      plan: { nodes: [{ id: SRC }, { id: WIN, inputs: [{ id: SRC, ship_strategy: 'HASH' }] }] },
    },
    [`${metrics}/${SRC}/subtasks/metrics`]: [
      { id: 'busyTimeMsPerSecond' },
      { id: 'Source__rates.pendingRecords' },
      { id: 'Source__rates.numRecordsInPerSecond' },
    ],
    [`${metrics}/${SRC}/subtasks/metrics?get=busyTimeMsPerSecond,backPressuredTimeMsPerSecond,numRecordsInPerSecond,numRecordsOutPerSecond&agg=min,max,avg,sum`]:
      [
        { id: 'busyTimeMsPerSecond', min: 100, max: 100, avg: 100, sum: 100 },
        { id: 'numRecordsInPerSecond', min: 0, max: 0, avg: 0, sum: 0 },
        { id: 'numRecordsOutPerSecond', min: 900, max: 900, avg: 900, sum: 900 },
      ],
    [`${metrics}/${SRC}/subtasks/metrics?get=Source__rates.numRecordsInPerSecond,Source__rates.pendingRecords&agg=sum`]: [
      { id: 'Source__rates.numRecordsInPerSecond', sum: 1000 },
      { id: 'Source__rates.pendingRecords', sum: 5000 },
    ],
    [`${metrics}/${WIN}/subtasks/metrics?get=busyTimeMsPerSecond,backPressuredTimeMsPerSecond,numRecordsInPerSecond,numRecordsOutPerSecond&agg=min,max,avg,sum`]:
      [
        { id: 'busyTimeMsPerSecond', min: 400, max: 800, avg: 600, sum: 1200 },
        { id: 'backPressuredTimeMsPerSecond', min: 0, max: 20, avg: 10, sum: 20 },
        { id: 'numRecordsInPerSecond', min: 400, max: 500, avg: 450, sum: 900 },
        { id: 'numRecordsOutPerSecond', min: 1, max: 1, avg: 1, sum: 2 },
      ],
  });
}

describe('the REST metric collector', () => {
  it('lists the running jobs only', async () => {
    assert.deepEqual(await runningJobIds(flinkLikeApi()), [JOB]);
  });

  it('builds the topology from the job details and its plan, inputs first', async () => {
    const job = await collectJob(flinkLikeApi(), JOB);
    assert.deepEqual(job.topology.vertices, [
      { id: SRC, name: 'Source: rates', parallelism: 1, maxParallelism: 128, inputs: [] },
      { id: WIN, name: 'Window', parallelism: 2, maxParallelism: 64, inputs: [{ from: SRC, ship: 'HASH' }] },
    ]);
  });

  it("reads subtask aggregates, and a source's rate and backlog from its Source__ operator", async () => {
    const api = flinkLikeApi();
    const job = await collectJob(api, JOB);
    const collector = new RestMetricCollector(api);
    const sample = await collector.sample(job, 7_000);
    assert.equal(sample.timeMs, 7_000);
    assert.deepEqual(sample.vertices[SRC], {
      busyTimeMsPerSecond: { max: 100, avg: 100, min: 100 },
      backPressuredTimeMsPerSecond: 0,
      numRecordsInPerSecond: 1000,
      numRecordsOutPerSecond: 900,
      pendingRecords: 5000,
    });
    assert.deepEqual(sample.vertices[WIN], {
      busyTimeMsPerSecond: { max: 800, avg: 600, min: 400 },
      backPressuredTimeMsPerSecond: 10,
      numRecordsInPerSecond: 900,
      numRecordsOutPerSecond: 2,
    });
    const listings = (): number => api.asked.filter((path) => path.endsWith(`${SRC}/subtasks/metrics`)).length;
    await collector.sample(job, 12_000);
    assert.equal(listings(), 1, 'the source metric ids are looked up once');
  });
});
