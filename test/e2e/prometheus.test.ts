import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freePort, isListening, PrometheusServer, type PrometheusSample } from '../helpers/prometheus-server.js';
import { getJson, restUrlFrom, TestDist, waitFor, runningAt } from '../helpers/test-dist.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';
const PROMETHEUS_FACTORY = 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory';
const RANGE_SIZE = 8;

/** The port a process's log says its Prometheus reporter took. */
function reporterPort(log: string): number {
  const match = /Started PrometheusReporter HTTP server on port (\d+)\./.exec(log);
  assert.ok(match !== null, `no reporter port in the log:\n${log.slice(-2000)}`);
  return Number(match[1]);
}

/** Waits until `expression` has series and `accept` likes them; returns them. */
async function queryUntil(
  prometheus: PrometheusServer,
  expression: string,
  accept: (samples: PrometheusSample[]) => boolean,
  what: string,
): Promise<PrometheusSample[]> {
  return waitFor(
    what,
    async () => {
      const samples = await prometheus.query(expression);
      return samples.length > 0 && accept(samples) ? samples : undefined;
    },
    20_000,
  );
}

describe('the Prometheus reporter scraped by a real Prometheus server', () => {
  let dist: TestDist | undefined;
  let prometheus: PrometheusServer | undefined;
  after(async () => {
    await prometheus?.stop();
    await dist?.destroy();
  });

  it("exposes job and task metrics under Flink's names and labels, one port of the range per process", async () => {
    const first = await freePort();
    const ports = Array.from({ length: RANGE_SIZE }, (_, i) => first + i);
    dist = TestDist.create({
      config: {
        'metrics.reporters': 'prom',
        'metrics.reporter.prom.factory.class': PROMETHEUS_FACTORY,
        'metrics.reporter.prom.port': `${first}-${first + RANGE_SIZE - 1}`,
        // Configured but not listed in metrics.reporters: must not start.
        'metrics.reporter.unlisted.factory.class': PROMETHEUS_FACTORY,
        'metrics.reporter.unlisted.port': String(first + RANGE_SIZE + 1),
        'heartbeat.interval': '500 ms',
        'heartbeat.timeout': '5 s',
      },
    });
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
    const jobId = (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]!.id;
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await runningAt(url, jobId, 1);

    const jobManagerPort = reporterPort(dist.log('standalonejob', 0));
    const taskManagerPort = reporterPort(dist.log('taskexecutor', 0));
    assert.ok(ports.includes(jobManagerPort) && ports.includes(taskManagerPort), 'both took a port of the range');
    assert.notEqual(jobManagerPort, taskManagerPort, 'each process took its own port');
    assert.equal(await isListening(first + RANGE_SIZE + 1), false, 'a reporter left out of metrics.reporters did not start');

    prometheus = await PrometheusServer.start(ports.map((port) => `127.0.0.1:${port}`));
    const restarts = await queryUntil(
      prometheus,
      `flink_jobmanager_job_numRestarts{job_id="${jobId}"}`,
      () => true,
      'numRestarts in Prometheus',
    );
    assert.equal(restarts[0]!.value[1], '0');
    assert.equal(restarts[0]!.metric['job_name'], 'CarTopSpeedWindowingExample');
    assert.equal(restarts[0]!.metric['host'], 'localhost');
    await queryUntil(
      prometheus,
      `flink_jobmanager_job_numberOfCompletedCheckpoints{job_id="${jobId}"}`,
      (s) => Number(s[0]!.value[1]) > 0,
      'completed checkpoints in Prometheus',
    );
    await queryUntil(
      prometheus,
      'flink_jobmanager_numRegisteredTaskManagers',
      (s) => s[0]!.value[1] === '1',
      "the JobManager's TaskManager count",
    );
    const cpu = await queryUntil(prometheus, 'flink_taskmanager_Status_JVM_CPU_Load', () => true, 'TaskManager CPU load');
    assert.ok(cpu[0]!.metric['tm_id'] !== undefined);
    const records = await queryUntil(
      prometheus,
      `flink_taskmanager_job_task_numRecordsIn{job_id="${jobId}"}`,
      (s) => s.some((x) => Number(x.value[1]) > 0),
      'task records in',
    );
    for (const label of [
      'host',
      'tm_id',
      'job_id',
      'job_name',
      'task_id',
      'task_attempt_id',
      'task_name',
      'subtask_index',
      'task_attempt_num',
    ]) {
      assert.ok(records[0]!.metric[label] !== undefined, `task series carry the ${label} label`);
    }
    assert.ok(
      records.every((series) => !/[^a-zA-Z0-9:_]/.test(series.metric['task_name']!)),
      'label values are filtered to [a-zA-Z0-9:_]',
    );
    await queryUntil(
      prometheus,
      `flink_taskmanager_job_task_operator_numRecordsOut{job_id="${jobId}"}`,
      (s) => s[0]!.metric['operator_name'] !== undefined,
      'operator metrics',
    );

    // A second TaskManager takes the next free port; the job rescales, which Prometheus sees.
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await runningAt(url, jobId, 2);
    const secondPort = reporterPort(dist.log('taskexecutor', 1));
    assert.ok(ports.includes(secondPort) && ![jobManagerPort, taskManagerPort].includes(secondPort));
    await queryUntil(
      prometheus,
      `flink_jobmanager_job_numRescales{job_id="${jobId}"}`,
      (s) => s[0]!.value[1] === '1',
      'numRescales 1 after the scale-up',
    );
    await queryUntil(
      prometheus,
      `flink_taskmanager_job_task_numRecordsIn{job_id="${jobId}",subtask_index="1"}`,
      () => true,
      "the new subtask's series",
    );

    // A stopped TaskManager frees its port.
    assert.equal((await dist.run('taskmanager.sh', ['stop'])).exitCode, 0);
    await runningAt(url, jobId, 1);
    assert.equal(await isListening(secondPort), false, "the stopped TaskManager's reporter port is free");
    await queryUntil(
      prometheus,
      `flink_jobmanager_job_numRestarts{job_id="${jobId}"}`,
      (s) => s[0]!.value[1] === '2',
      'numRestarts 2 after the scale-down',
    );
  });
});
