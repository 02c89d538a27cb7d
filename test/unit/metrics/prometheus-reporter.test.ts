import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { Configuration } from '../../../src/config/configuration.js';
import { MetricRegistry } from '../../../src/metrics/metric-registry.js';
import { startMetricReporters } from '../../../src/metrics/metric-reporters.js';
import { expandPortRange } from '../../../src/metrics/port-range.js';
import { PrometheusCollector, prometheusName } from '../../../src/metrics/prometheus-collector.js';
import { PrometheusReporter } from '../../../src/metrics/prometheus-reporter.js';
import { freePort, isListening } from '../../helpers/prometheus-server.js';

/** Sample lines of a scrape (no comments, no blank lines). */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

function taskManagerTree(): MetricRegistry {
  const registry = new MetricRegistry();
  const tm = registry.addRoot('taskmanager', { host: 'localhost', tm_id: 'tm-1' });
  tm.gaugeAt('Status.JVM.CPU.Load', () => 0.25);
  const job = tm.addScopedGroup('job', { job_id: 'abc', job_name: 'My Job' });
  for (const subtask of [0, 1]) {
    job
      .addScopedGroup('task', { task_name: 'Source: gen -> Map', subtask_index: String(subtask) })
      .gauge('numRecordsIn', () => 10 + subtask)
      .gauge('lastCheckpointExternalPath', () => '/some/path');
  }
  return registry;
}

describe('PrometheusCollector', () => {
  it("writes Flink's names: flink_ + logical scope + generic groups + metric", () => {
    const registry = new MetricRegistry();
    const group = registry.addRoot('jobmanager', {}).addScopedGroup('job', {}).addGroup('a.b');
    assert.equal(prometheusName(group, 'num-Restarts'), 'flink_jobmanager_job_a_b_num_Restarts');
  });

  it('renders every numeric metric as a gauge with its scope variables as labels; text metrics are left out', async () => {
    const text = await new PrometheusCollector(taskManagerTree()).scrape();
    assert.match(text, /^# TYPE flink_taskmanager_job_task_numRecordsIn gauge$/m);
    assert.deepEqual(samples(text), [
      'flink_taskmanager_Status_JVM_CPU_Load{host="localhost",tm_id="tm_1"} 0.25',
      'flink_taskmanager_job_task_numRecordsIn{host="localhost",tm_id="tm_1",job_id="abc",job_name="My_Job",task_name="Source:_gen____Map",subtask_index="0"} 10',
      'flink_taskmanager_job_task_numRecordsIn{host="localhost",tm_id="tm_1",job_id="abc",job_name="My_Job",task_name="Source:_gen____Map",subtask_index="1"} 11',
    ]);
  });

  it('keeps label values as they are when filterLabelValueCharacters is off', async () => {
    const text = await new PrometheusCollector(taskManagerTree(), false).scrape();
    assert.match(text, /job_name="My Job",task_name="Source: gen -> Map"/);
  });

  it('drops series and families whose groups were closed since the last scrape', async () => {
    const registry = new MetricRegistry();
    const root = registry.addRoot('jobmanager', { host: 'h' });
    const job = root.addScopedGroup('job', { job_id: 'j' });
    job.gauge('uptime', () => 1);
    const collector = new PrometheusCollector(registry);
    assert.equal(samples(await collector.scrape()).length, 1);
    job.close();
    const text = await collector.scrape();
    assert.deepEqual(samples(text), []);
    assert.doesNotMatch(text, /flink_jobmanager_job_uptime/);
  });
});

describe('port ranges', () => {
  it('expands single ports, ranges and lists in order', () => {
    assert.deepEqual(expandPortRange('9249'), [9249]);
    assert.deepEqual(expandPortRange('9250-9252, 9260'), [9250, 9251, 9252, 9260]);
    assert.throws(() => expandPortRange('9252-9250'), /Invalid port setting '9252-9250'/);
    assert.throws(() => expandPortRange('http'), /expected a port/);
  });
});

describe('PrometheusReporter', () => {
  it('takes the first free port of its range, serves /metrics, and frees the port on close', async () => {
    const first = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(first, resolve));
    const reporter = new PrometheusReporter('prom', taskManagerTree());
    try {
      assert.equal(await reporter.open([first, first + 1, first + 2]), true);
      assert.notEqual(reporter.port, first, 'the taken port was skipped');
      const response = await fetch(`http://127.0.0.1:${reporter.port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(await response.text(), /flink_taskmanager_Status_JVM_CPU_Load/);
      assert.equal((await fetch(`http://127.0.0.1:${reporter.port}/other`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${reporter.port}/metrics`, { method: 'POST' })).status, 405);
      const port = reporter.port!;
      await reporter.close();
      assert.equal(await isListening(port), false);
    } finally {
      await reporter.close();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('does not start when every port of the range is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, resolve));
    try {
      const reporter = new PrometheusReporter('prom', new MetricRegistry());
      assert.equal(await reporter.open([port]), false);
      assert.equal(reporter.port, undefined);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe('startMetricReporters', () => {
  it('starts the Prometheus reporters metrics.reporters lists, by factory.class or class, and skips others', async () => {
    const [a, b, c] = [await freePort(), await freePort(), await freePort()];
    const configuration = Configuration.empty().withOverrides({
      'metrics.reporters': 'prom,legacy,jmx',
      'metrics.reporter.prom.factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
      'metrics.reporter.prom.port': String(a),
      'metrics.reporter.legacy.class': 'org.apache.flink.metrics.prometheus.PrometheusReporter',
      'metrics.reporter.legacy.port': String(b),
      'metrics.reporter.jmx.factory.class': 'org.apache.flink.metrics.jmx.JMXReporterFactory',
      'metrics.reporter.unlisted.factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
      'metrics.reporter.unlisted.port': String(c),
    });
    const reporters = await startMetricReporters(configuration, taskManagerTree());
    try {
      assert.deepEqual(
        reporters.reporters.map((reporter) => reporter.name),
        ['prom', 'legacy'],
      );
      assert.equal(await isListening(a), true);
      assert.equal(await isListening(b), true);
      assert.equal(await isListening(c), false);
    } finally {
      await reporters.close();
    }
    assert.equal(await isListening(a), false);
    assert.equal(await isListening(b), false);
  });
});
