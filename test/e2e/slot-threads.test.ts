import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assignKeyToParallelOperator } from '../../src/runtime/keygroups/index.js';
import { countMatches, processExists } from '../helpers/cluster-probes.js';
import { FLINK_HOME, getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

/**
 * Issue 12: every slot's tasks run on their own worker thread. User code that computes for longer
 * than heartbeat.timeout, never returns, or runs out of heap costs its own task only: the
 * TaskManager keeps heartbeating, stays registered, frees the slot and runs the next job.
 */

const JOBS = join(FLINK_HOME, 'dist', 'test', 'fixtures', 'jobs');
const TERMINAL = new Set(['FINISHED', 'CANCELED', 'FAILED']);

interface TaskManagerInfo {
  id: string;
  slotsNumber: number;
  freeSlots: number;
}

interface JobDetails {
  state: string;
  vertices: Array<{ id: string; name: string; status: string; tasks: Record<string, number> }>;
}

/** `(i,i*i)` for every record of the slow-record fixture, in order. */
const squares = (records: number): string[] => Array.from({ length: records }, (_, i) => `(${i},${i * i})`);

/** Print output of a job at parallelism > 1 without its `n> ` subtask prefixes. */
const withoutPrefix = (lines: readonly string[]): string[] => lines.map((line) => line.replace(/^\d+> /, ''));

/** The last lines of a log, for an assertion message. */
const tail = (log: string, lines = 40): string => log.split('\n').slice(-lines).join('\n');

/** A session cluster of one JobManager and one TaskManager, through jobmanager.sh and taskmanager.sh. */
class Session {
  url = '';
  taskManager: TaskManagerInfo | undefined;
  taskManagerPid = 0;

  constructor(readonly dist: TestDist) {}

  async start(slots: number): Promise<void> {
    const started = await this.dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    this.url = restUrlFrom(started.stdout);
    const tm = await this.dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
    this.taskManagerPid = this.dist.pids('taskexecutor')[0]!;
    this.taskManager = await waitFor('the TaskManager to offer its slots', async () => {
      const [only] = (await getJson<{ taskmanagers: TaskManagerInfo[] }>(this.url, '/taskmanagers')).taskmanagers;
      return only?.slotsNumber === slots ? only : undefined;
    });
  }

  jobManagerLog(): string {
    return this.dist.log('standalonesession', 0);
  }

  taskManagerLog(): string {
    return this.dist.log('taskexecutor', 0);
  }

  /** `flink run -d -p <parallelism> <fixture> args...`; the job's id. */
  async submit(fixture: string, parallelism: number, args: readonly string[]): Promise<string> {
    const run = await this.dist.run('flink', ['run', '-d', '-p', String(parallelism), join(JOBS, `${fixture}.js`), ...args]);
    assert.equal(run.exitCode, 0, `${run.stdout}\n${run.stderr}`);
    return /JobID ([0-9a-f]{32})/.exec(run.stdout)![1]!;
  }

  job(jobId: string): Promise<JobDetails> {
    return getJson<JobDetails>(this.url, `/jobs/${jobId}`);
  }

  /** Waits until the job is `wanted`; fails at once, with the job's root exception, if it ends otherwise. */
  async waitForState(jobId: string, wanted: string, timeoutMs: number): Promise<void> {
    const state = await waitFor(
      `job ${jobId} to be ${wanted}`,
      async () => {
        const { state } = await this.job(jobId);
        return state === wanted || TERMINAL.has(state) ? state : undefined;
      },
      timeoutMs,
    );
    if (state !== wanted) {
      const exceptions = await getJson<{ 'root-exception': string | null }>(this.url, `/jobs/${jobId}/exceptions`);
      assert.fail(`job ${jobId} ended ${state}, not ${wanted}: ${exceptions['root-exception']}\n${tail(this.taskManagerLog())}`);
    }
  }

  /** The one TaskManager is alive, still registered under the same id, and every one of its slots is free. */
  async assertTaskManagerSurvivedWithSlotsFree(): Promise<void> {
    assert.ok(processExists(this.taskManagerPid), `the TaskManager (pid ${this.taskManagerPid}) is gone\n${tail(this.taskManagerLog())}`);
    const listed = await waitFor(
      'every slot of the TaskManager to be free',
      async () => {
        const { taskmanagers } = await getJson<{ taskmanagers: TaskManagerInfo[] }>(this.url, '/taskmanagers');
        return taskmanagers.length === 1 && taskmanagers[0]!.freeSlots === taskmanagers[0]!.slotsNumber ? taskmanagers : undefined;
      },
      10_000,
    );
    assert.equal(listed[0]!.id, this.taskManager!.id, 'the same TaskManager, never lost and registered again');
    assert.equal(countMatches(this.jobManagerLog(), /Registering TaskManager with ResourceID/), 1, 'the TaskManager registered once');
    assert.doesNotMatch(this.jobManagerLog(), /heartbeat of TaskManager .* timed out|TaskManager \S+ lost:/);
  }

  /** A plain bounded job runs to the end on the TaskManager and prints every record once. */
  async assertNextJobRuns(parallelism: number): Promise<void> {
    const records = 40;
    const mark = this.dist.stdoutMark();
    const jobId = await this.submit('slow-record', parallelism, ['--records', String(records), '--slow-at', '-1', '--rate', '200']);
    await this.waitForState(jobId, 'FINISHED', 30_000);
    const lines = await waitFor('the next job to print every record', () => {
      const out = this.dist.taskManagerStdout(mark);
      return out.length >= records ? out : undefined;
    });
    assert.deepEqual(withoutPrefix(lines).sort(), squares(records).sort());
    // The JobManager releases the finished job on its TaskManagers, which end its slot threads at once.
    await waitFor('the finished job to be released on the TaskManager', () =>
      this.taskManagerLog().includes(`(job ${jobId}): job ${jobId} was released`) ? true : undefined,
    );
  }
}

describe('a map that computes for 8 s on one record, with heartbeat.timeout 4 s', () => {
  const dist = TestDist.create({
    config: { 'heartbeat.interval': '500 ms', 'heartbeat.timeout': '4 s', 'restart-strategy.type': 'none' },
  });
  after(() => dist.destroy());

  it(
    'runs to the end on the same TaskManager: FINISHED, every record out in order, no heartbeat timeout',
    { timeout: 60_000 },
    async () => {
      dist.addFixtureJob('slow-record');
      assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
      const [taskManagerPid] = dist.pids('taskexecutor');
      const records = 20;
      const started = Date.now();
      const run = dist.startForeground('standalone-job.sh', [
        '-j',
        'org.tsflink.fixtures.SlowRecord',
        '--records',
        String(records),
        '--slow-at',
        '10',
        '--busy-ms',
        '8000',
      ]);
      let ended = false;
      run.then(
        () => (ended = true),
        () => (ended = true),
      );
      // While the record computes, REST answers and shows its subtask busy (a thread that stops reporting counts as busy).
      const busiest = await waitFor(
        'the slow subtask to show as busy, or the job to end',
        async () => {
          if (ended) return 0;
          const url = /Web frontend listening at (http:\/\/\S+)\./.exec(dist.log('standalonejob', 0))?.[1];
          if (url === undefined) return undefined;
          const { jobs } = await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs');
          const { vertices } = await getJson<JobDetails>(url, `/jobs/${jobs[0]!.id}`);
          const path = `/jobs/${jobs[0]!.id}/vertices/${vertices[0]!.id}/subtasks/metrics?get=busyTimeMsPerSecond`;
          const busy = (await getJson<Array<{ id: string; max: number }>>(url, path))[0]?.max;
          return busy !== undefined && busy >= 900 ? busy : undefined;
        },
        15_000,
      );
      const result = await run;
      const tookMs = Date.now() - started;
      // start-foreground prints the log to the console as well as to its file; the file is the log without the launcher's lines.
      const jobManagerLog = dist.log('standalonejob', 0) || String(result.all);
      assert.doesNotMatch(jobManagerLog, /heartbeat of TaskManager .* timed out/);
      assert.equal(result.exitCode, 0, tail(jobManagerLog));
      assert.ok(tookMs >= 8_000, `the job ended after ${tookMs} ms, before the slow record could have been computed`);
      assert.ok(busiest >= 900, 'the computing subtask showed as busy (busyTimeMsPerSecond at least 900) while the job ran');
      const lines = await waitFor('every record to be printed', () => {
        const out = dist.taskManagerStdout();
        return out.length >= records ? out : undefined;
      });
      assert.deepEqual(lines, squares(records));
      assert.ok(processExists(taskManagerPid!), 'the TaskManager is still running');
      assert.equal(countMatches(jobManagerLog, /Registering TaskManager with ResourceID/), 1, 'the TaskManager registered once');
      assert.doesNotMatch(jobManagerLog, /TaskManager \S+ lost:|RESTARTING/);
    },
  );
});

describe('a task that never returns from a record, with task.cancellation.timeout 5 s', () => {
  const dist = TestDist.create({
    config: {
      'taskmanager.numberOfTaskSlots': 2,
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '4 s',
      'task.cancellation.interval': '1 s',
      'task.cancellation.timeout': '5 s',
    },
  });
  const session = new Session(dist);
  after(() => dist.destroy());

  it(
    'is canceled by terminating its slot thread; the TaskManager stays registered, frees the slot and runs the next job',
    { timeout: 60_000 },
    async () => {
      await session.start(2);
      const marker = join(dist.dir, 'stuck-marker');
      const jobId = await session.submit('endless-record', 2, ['--stuck-at', '30', '--marker', marker, '--rate', '100']);
      await waitFor('the map to get stuck on record 30', () => (existsSync(marker) ? true : undefined), 30_000);

      const cancel = await dist.run('flink', ['cancel', jobId]);
      assert.equal(cancel.exitCode, 0, `${cancel.stdout}\n${cancel.stderr}`);
      const canceledAt = Date.now();
      await session.waitForState(jobId, 'CANCELED', 20_000);
      const tookMs = Date.now() - canceledAt;

      const taskManagerLog = session.taskManagerLog();
      assert.ok(
        countMatches(taskManagerLog, /did not react to cancelling signal for \d+ seconds; asking it again/) >= 2,
        `the cancel was repeated every task.cancellation.interval\n${tail(taskManagerLog)}`,
      );
      assert.match(
        taskManagerLog,
        /did not react to cancelling signal in the last 5 seconds \(task\.cancellation\.timeout\): terminating its slot thread/,
      );
      // One line per thread ended (every task of a stuck slot times out, but the slot has one thread).
      assert.equal(
        countMatches(taskManagerLog, /Ending the thread of slot \d+ \(job \w+\): a task ignored its cancel/),
        1,
        `the stuck slot's thread, and only it, was terminated\n${tail(taskManagerLog)}`,
      );
      assert.ok(tookMs >= 4_000, `CANCELED ${tookMs} ms after the cancel: the stuck task cannot have stopped before the timeout`);
      await session.assertTaskManagerSurvivedWithSlotsFree();
      // The watchdog named the stuck thread; the TaskManager's thread dump no longer has it.
      const stuckThread = /did not react to cancelling signal for \d+ seconds;.* Its thread is running: "([^"]+)"/.exec(
        taskManagerLog,
      )?.[1];
      assert.ok(stuckThread !== undefined, `the watchdog names the stuck thread\n${tail(taskManagerLog)}`);
      const { threadInfos } = await getJson<{ threadInfos: Array<{ threadName: string }> }>(
        session.url,
        `/taskmanagers/${session.taskManager!.id}/thread-dump`,
      );
      const threads = threadInfos.map((thread) => thread.threadName);
      assert.ok(threads.includes('main') && !threads.includes(stuckThread), `${stuckThread} is gone: ${threads.join(', ')}`);
      await session.assertNextJobRuns(2);
    },
  );
});

describe('a task that runs out of heap in its slot thread (taskmanager.memory.task.heap.size 128m over 2 slots)', () => {
  const dist = TestDist.create({
    config: {
      'taskmanager.numberOfTaskSlots': 2,
      'taskmanager.memory.task.heap.size': '128m',
      'restart-strategy.type': 'none',
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '4 s',
    },
  });
  const session = new Session(dist);
  after(() => dist.destroy());

  it(
    'fails the job with an out-of-memory error of that task only; the TaskManager survives and runs the next job',
    { timeout: 60_000 },
    async () => {
      await session.start(2);
      const jobId = await session.submit('memory-hog', 2, ['--hog-subtask', '0', '--per-record', '50000', '--rate', '20']);
      await session.waitForState(jobId, 'FAILED', 25_000);
      const started = countMatches(session.taskManagerLog(), /Started a thread for slot \d/);
      assert.ok(started >= 2, `both slots started a thread: ${started}`);
      assert.equal(
        countMatches(session.taskManagerLog(), /Started a thread for slot \d (ahead of its first task \(|\(job \w+, )heap limit 64 MB\)/),
        started,
        'each slot gets half',
      );
      const details = await getJson<{ memoryConfiguration: { taskHeap: number } }>(session.url, `/taskmanagers/${session.taskManager!.id}`);
      assert.equal(details.memoryConfiguration.taskHeap, 128 * 1024 * 1024, 'REST reports the task heap that was set');

      const exceptions = await getJson<{ 'root-exception': string | null }>(session.url, `/jobs/${jobId}/exceptions`);
      assert.match(String(exceptions['root-exception']), /out of (heap )?memory/i);
      const { vertices } = await session.job(jobId);
      const tasks = vertices.map((vertex) => vertex.tasks);
      assert.deepEqual(
        tasks.map((counts) => [counts['FAILED'], counts['CANCELED']]),
        [[1, 1]],
        `one subtask failed, the other was canceled with the job: ${JSON.stringify(tasks)}`,
      );
      assert.match(session.taskManagerLog(), /out of (heap )?memory/i);
      await session.assertTaskManagerSurvivedWithSlotsFree();
      await session.assertNextJobRuns(2);
    },
  );
});

describe('a keyed job across the two slots of one TaskManager', () => {
  const dists: TestDist[] = [];
  after(async () => {
    await Promise.all(dists.map((dist) => dist.destroy()));
  });

  for (const slotThreads of [true, false]) {
    it(
      `counts every key exactly, each on the subtask Flink assigns it, with slot threads ${slotThreads ? 'on' : 'off'}`,
      { timeout: 60_000 },
      async () => {
        const dist = TestDist.create({ config: { 'taskmanager.numberOfTaskSlots': 2, 'taskmanager.slot-threads.enabled': slotThreads } });
        dists.push(dist);
        dist.addFixtureJob('keyed-counter');
        assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
        const keys = 20;
        const records = 4_000;
        const result = await dist.startForeground('standalone-job.sh', [
          '-Dparallelism.default=2',
          '-j',
          'org.tsflink.fixtures.KeyedCounter',
          '--records',
          String(records),
          '--keys',
          String(keys),
          '--rate',
          '2000',
        ]);
        assert.equal(result.exitCode, 0, tail(String(result.all)));
        const lines = await waitFor('every count to be printed', () => {
          const out = dist.taskManagerStdout();
          return out.length >= records ? out : undefined;
        });
        assert.equal(lines.length, records);
        const counts = new Map<number, number>();
        for (const line of lines) {
          const match = /^([12])> \((\d+),(\d+)\)$/.exec(line);
          assert.ok(match !== null, `unexpected line '${line}'`);
          const [subtask, key, count] = [Number(match[1]), Number(match[2]), Number(match[3])];
          assert.equal(subtask, assignKeyToParallelOperator(key, 128, 2) + 1, `subtask of key ${key}`);
          assert.equal(count, (counts.get(key) ?? 0) + 1, `key ${key} counts on from ${counts.get(key) ?? 0}, in order: '${line}'`);
          counts.set(key, count);
        }
        assert.deepEqual(
          [...counts].sort(([a], [b]) => a - b),
          Array.from({ length: keys }, (_, key) => [key, records / keys]),
        );
        const subtasksUsed = new Set(lines.map((line) => line[0]));
        assert.equal(subtasksUsed.size, 2, 'both slots counted keys');
        // Each slot's thread starts ahead of the job and serves it (a fresh one replaces it once the job is released).
        const log = dist.log('taskexecutor', 0);
        const served = countMatches(log, /The thread of slot \d now serves job/) + countMatches(log, /Started a thread for slot \d \(job/);
        assert.equal(served, slotThreads ? 2 : 0, `slot threads ${slotThreads ? 'on' : 'off'}: ${served} threads served the job`);
        if (!slotThreads) assert.equal(countMatches(log, /Started a thread for slot/), 0, 'no thread starts with slot threads off');
      },
    );
  }
});
