import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { getJson, restUrlFrom, TestDist, waitFor, runningAt } from '../helpers/test-dist.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';

interface VertexDetails {
  subtasks: Array<{
    subtask: number;
    attempt: number;
    metrics: { 'read-records': number; 'write-records': number; 'accumulated-busy-time': number; 'accumulated-idle-time': number };
  }>;
}

/** `get=` values of a metric endpoint as numbers, by id. */
async function metrics(url: string, path: string, names: readonly string[]): Promise<Record<string, number>> {
  const list = await getJson<Array<{ id: string; value: string }>>(url, `${path}?get=${names.join(',')}`);
  for (const entry of list) assert.equal(typeof entry.value, 'string', `${entry.id} is sent as a string`);
  return Object.fromEntries(list.map((entry) => [entry.id, Number(entry.value)]));
}

/** The ids a metric endpoint lists without `get`. */
async function metricIds(url: string, path: string): Promise<string[]> {
  const list = await getJson<Array<Record<string, unknown>>>(url, path);
  for (const entry of list) assert.deepEqual(Object.keys(entry), ['id']);
  return list.map((entry) => String(entry['id']));
}

const JOB_METRICS = [
  'numRestarts',
  'numRescales',
  'uptime',
  'downtime',
  'restartingTime',
  'numberOfCompletedCheckpoints',
  'numberOfFailedCheckpoints',
  'numberOfInProgressCheckpoints',
  'lastCheckpointDuration',
  'lastCheckpointSize',
  'lastCheckpointRestoreTimestamp',
];

/** Reads the job's metrics every 100 ms in the background, so a moment when a count went back would be seen. */
class JobMetricSampler {
  readonly samples: Array<Record<string, number>> = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(url: string, jobId: string) {
    this.loop = (async () => {
      while (this.running) {
        try {
          this.samples.push(await metrics(url, `/jobs/${jobId}/metrics`, JOB_METRICS));
        } catch {
          // a request racing the JobManager's own work is retried on the next round
        }
        await sleep(100);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Starts TopSpeedWindowing in Reactive Mode with frequent checkpoints; returns the REST URL and job id. */
async function startReactiveJob(dist: TestDist): Promise<{ url: string; jobId: string }> {
  dist.addExampleJar('TopSpeedWindowing');
  const started = await dist.run('standalone-job.sh', [
    'start',
    '-Dscheduler-mode=reactive',
    '-Dexecution.checkpointing.interval=300ms',
    '-j',
    TOP_SPEED,
  ]);
  assert.equal(started.exitCode, 0, started.stderr);
  const url = restUrlFrom(started.stdout);
  return { url, jobId: (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]!.id };
}

/** No sample of the background reads saw a count go back. */
function assertNeverDecreased(first: Record<string, number>, samples: ReadonlyArray<Record<string, number>>): void {
  let previous = first;
  for (const sample of samples) {
    assert.ok(sample['numberOfCompletedCheckpoints']! >= previous['numberOfCompletedCheckpoints']!, 'completed checkpoints never go back');
    assert.ok(sample['numRestarts']! >= previous['numRestarts']!, 'restarts never go back');
    previous = sample;
  }
}

describe('metrics of a Reactive Mode job across rescales', () => {
  const dist = TestDist.create({
    config: {
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.delay': '100 ms',
    },
  });
  after(() => dist.destroy());
  let url = '';
  let jobId = '';
  let windowId = '';
  let before: Record<string, number> = {};
  const jobPath = (): string => `/jobs/${jobId}/metrics`;
  const vertexPath = (): string => `/jobs/${jobId}/vertices/${windowId}/metrics`;

  it('has job metrics before the job has slots, and counts checkpoints once it runs', async () => {
    ({ url, jobId } = await startReactiveJob(dist));
    assert.ok((await metricIds(url, jobPath())).includes('numRestarts'), 'job metrics exist before the job has slots');
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    windowId = (await runningAt(url, jobId, 1)).vertices.find((v) => !v.name.startsWith('Source'))!.id;
    before = await waitFor(
      'two completed checkpoints',
      async () => {
        const values = await metrics(url, jobPath(), JOB_METRICS);
        return values['numberOfCompletedCheckpoints']! >= 2 ? values : undefined;
      },
      20_000,
    );
    assert.equal(before['lastCheckpointRestoreTimestamp'], -1, 'nothing restored yet');
    assert.equal(before['downtime'], 0);
    assert.ok(before['uptime']! > 0);
    assert.ok(before['lastCheckpointDuration']! >= 0 && before['lastCheckpointSize']! >= 0);
  });

  it('keeps job metrics cumulative over a scale-up and a scale-down', async () => {
    const sampler = new JobMetricSampler(url, jobId);
    const rescaleStart = Date.now();
    let afterRescales: Record<string, number>;
    try {
      assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
      await runningAt(url, jobId, 2);
      await waitFor('both subtasks of the new run to report', async () => {
        const ids = await metricIds(url, vertexPath());
        return ids.includes('0.numRecordsIn') && ids.includes('1.numRecordsIn') ? true : undefined;
      });
      assert.equal((await dist.run('taskmanager.sh', ['stop'])).exitCode, 0);
      await runningAt(url, jobId, 1);
      const atScaleDown = (await metrics(url, jobPath(), ['numberOfCompletedCheckpoints']))['numberOfCompletedCheckpoints']!;
      afterRescales = await waitFor(
        'checkpoints to complete after the scale-down',
        async () => {
          const values = await metrics(url, jobPath(), JOB_METRICS);
          return values['numberOfCompletedCheckpoints']! >= atScaleDown + 2 ? values : undefined;
        },
        20_000,
      );
    } finally {
      await sampler.stop();
    }
    // Both rescales restart the job (Flink counts every stopped run in numRestarts). Neither was caused
    // by a failure: taskmanager.sh stop is a planned leave, so as in Flink 2.1 both are rescales too.
    assert.equal(afterRescales['numRestarts'], before['numRestarts']! + 2, 'numRestarts counts both rescales');
    assert.equal(afterRescales['numRescales'], before['numRescales']! + 2, 'numRescales counts the scale-up and the planned stop');
    const history = await getJson<{ numRestarts: number; numRescales: number }>(url, `/jobs/${jobId}/parallelism-history`);
    assert.deepEqual([history.numRestarts, history.numRescales], [afterRescales['numRestarts'], afterRescales['numRescales']]);
    assert.ok(afterRescales['numberOfCompletedCheckpoints']! > before['numberOfCompletedCheckpoints']!);
    assert.ok(afterRescales['lastCheckpointRestoreTimestamp']! >= rescaleStart, 'the rescale restored a checkpoint');
    assert.ok(afterRescales['restartingTime']! > 0, 'the last restart took time');
    assert.equal(afterRescales['downtime'], 0, 'no outage while running');
    assert.ok(afterRescales['uptime']! < Date.now() - rescaleStart, 'uptime counts from the last switch to RUNNING');
    assertNeverDecreased(before, sampler.samples);
    // Planned rescales are too short for 100 ms samples to catch the job between runs; what matters
    // is that the samples span both rescales, so the check above watched the counts across them.
    const restartsSeen = new Set(sampler.samples.map((sample) => sample['numRestarts']));
    assert.ok(
      restartsSeen.has(before['numRestarts']) && restartsSeen.has(afterRescales['numRestarts']),
      `the samples span both rescales (numRestarts seen: ${[...restartsSeen].join(', ')})`,
    );
  });

  it('shows the task metrics of the new attempt only', async () => {
    const ids = await waitFor("the old run's subtasks to be gone", async () => {
      const list = await metricIds(url, vertexPath());
      return list.length > 0 && !list.some((id) => id.startsWith('1.')) ? list : undefined;
    });
    for (const name of [
      'numRecordsIn',
      'numRecordsOut',
      'numRecordsInPerSecond',
      'busyTimeMsPerSecond',
      'idleTimeMsPerSecond',
      'backPressuredTimeMsPerSecond',
      'currentInputWatermark',
    ]) {
      assert.ok(ids.includes(`0.${name}`), `vertex metrics list 0.${name}`);
    }
    const records = await waitFor('the new attempt to read records', async () => {
      const values = await metrics(url, vertexPath(), [
        '0.numRecordsIn',
        '0.busyTimeMsPerSecond',
        '0.idleTimeMsPerSecond',
        '0.backPressuredTimeMsPerSecond',
      ]);
      return values['0.numRecordsIn']! > 0 ? values : undefined;
    });
    const times = records['0.busyTimeMsPerSecond']! + records['0.idleTimeMsPerSecond']! + records['0.backPressuredTimeMsPerSecond']!;
    assert.ok(times > 900 && times <= 1000.5, `busy + idle + backpressured is about 1000 ms/s, got ${times}`);
    const details = await getJson<VertexDetails>(url, `/jobs/${jobId}/vertices/${windowId}`);
    assert.equal(details.subtasks.length, 1);
    assert.ok(details.subtasks[0]!.attempt >= 2, 'a new attempt after two rescales');
    const latest = await metrics(url, vertexPath(), ['0.numRecordsIn']);
    assert.ok(details.subtasks[0]!.metrics['read-records'] > 0);
    assert.ok(
      details.subtasks[0]!.metrics['read-records'] <= latest['0.numRecordsIn']!,
      'REST read-records and numRecordsIn count the same attempt',
    );
  });
});

describe('source backlog metrics', () => {
  const dist = TestDist.create({ config: { 'heartbeat.interval': '500 ms', 'heartbeat.timeout': '5 s' } });
  after(() => dist.destroy());

  it('reports pendingRecords of a bounded generator source as what is left to emit', async () => {
    const records = 1_000_000;
    dist.addFixtureJob('keyed-counter');
    const started = await dist.run('standalone-job.sh', ['start', '--records', String(records), '--rate', '2000']);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    const jobId = (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]!.id;
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const job = await runningAt(url, jobId, 1);
    const source = job.vertices.find((v) => v.name.startsWith('Source'))!;
    const path = `/jobs/${jobId}/vertices/${source.id}/metrics`;
    const pendingId = await waitFor('the source to report its backlog', async () =>
      (await metricIds(url, path)).find((id) => id.endsWith('.pendingRecords')),
    );
    assert.match(pendingId, /^0\.Source__numbers\.pendingRecords$/);
    const first = await waitFor('records to flow', async () => {
      const values = await metrics(url, path, [pendingId, '0.numRecordsOut']);
      return values['0.numRecordsOut']! > 0 ? values : undefined;
    });
    assert.equal(first[pendingId]! + first['0.numRecordsOut']!, records, 'pending + emitted = the bound (read in one snapshot)');
    const later = await waitFor('the backlog to shrink', async () => {
      const values = await metrics(url, path, [pendingId]);
      return values[pendingId]! < first[pendingId]! ? values : undefined;
    });
    assert.ok(later[pendingId]! > 0);
    const aggregated = await getJson<Array<{ id: string; sum: number }>>(
      url,
      `/jobs/${jobId}/vertices/${source.id}/subtasks/metrics?get=numRecordsOut&agg=sum`,
    );
    assert.deepEqual(Object.keys(aggregated[0]!), ['id', 'sum']);
    assert.ok(aggregated[0]!.sum >= first['0.numRecordsOut']!);
  });
});

describe('TaskManager metrics of a newly registered TaskManager', () => {
  // A heartbeat interval far longer than the test waits: the metrics must come with registration.
  const dist = TestDist.create({ config: { 'heartbeat.interval': '2 min', 'heartbeat.timeout': '5 min' } });
  after(() => dist.destroy());

  it("answers its heap metrics at once, not a heartbeat interval later (Flink's autoscaler needs them)", async () => {
    const started = await dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await waitFor('the TaskManager to register', async () =>
      (await getJson<{ taskmanagers: unknown[] }>(url, '/taskmanagers')).taskmanagers.length === 1 ? true : undefined,
    );
    const heap = await waitFor('the heap metrics of the TaskManager', async () => {
      const list = await getJson<Array<{ id: string; max?: number }>>(
        url,
        '/taskmanagers/metrics?get=Status.JVM.Memory.Heap.Max,Status.JVM.Memory.Heap.Used&agg=min,max,avg',
      );
      return list.length === 2 ? list : undefined;
    });
    assert.ok(
      heap.every((m) => typeof m.max === 'number' && m.max > 0),
      JSON.stringify(heap),
    );
  });
});
