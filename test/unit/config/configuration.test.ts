import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT,
  CHECKPOINTING_INTERVAL,
  CHECKPOINTS_DIRECTORY,
  Configuration,
  HEARTBEAT_INTERVAL,
  JOB_MANAGER_SCHEDULER,
  JOB_VERTEX_PARALLELISM_OVERRIDES,
  METRICS_REPORTER_INTERVAL,
  METRICS_REPORTER_PORT,
  PARALLELISM_DEFAULT,
  REST_ADDRESS,
  REST_BIND_PORT,
  REST_PORT,
  SCHEDULER_MODE,
  TASK_MANAGER_NUM_TASK_SLOTS,
  type ConfigEntry,
  type ConfigOrigin,
} from '../../../src/config/index.js';

const FILE = (line: number): ConfigOrigin => ({ kind: 'file', file: '/c/config.yaml', line });
const DYN: ConfigOrigin = { kind: 'dynamic' };

function config(...entries: Array<[string, string, ConfigOrigin?]>): Configuration {
  return Configuration.fromEntries(entries.map(([key, value, origin]): ConfigEntry => ({ key, value, origin: origin ?? FILE(1) })));
}

describe('Configuration.get and getOptional', () => {
  it('returns defaults when nothing is set', () => {
    const empty = Configuration.empty();
    assert.equal(empty.get(HEARTBEAT_INTERVAL), 10_000);
    assert.equal(empty.get(TASK_MANAGER_NUM_TASK_SLOTS), 1);
    assert.equal(empty.get(JOB_MANAGER_SCHEDULER), 'Default');
    assert.equal(empty.get(CHECKPOINTING_INTERVAL), undefined);
    assert.equal(empty.getOptional(HEARTBEAT_INTERVAL), undefined);
    assert.equal(empty.isExplicitlySet(HEARTBEAT_INTERVAL), false);
  });

  it('returns typed values of explicit settings', () => {
    const c = config(['heartbeat.interval', '5 s'], ['scheduler-mode', 'reactive'], ['taskmanager.numberOfTaskSlots', '4']);
    assert.equal(c.get(HEARTBEAT_INTERVAL), 5_000);
    assert.equal(c.getOptional(HEARTBEAT_INTERVAL), 5_000);
    assert.equal(c.get(SCHEDULER_MODE), 'REACTIVE');
    assert.equal(c.get(TASK_MANAGER_NUM_TASK_SLOTS), 4);
    assert.equal(c.isExplicitlySet(SCHEDULER_MODE), true);
  });

  it('lets a later entry for the same key win', () => {
    const c = config(['parallelism.default', '2', FILE(3)], ['parallelism.default', '5', DYN]);
    assert.equal(c.get(PARALLELISM_DEFAULT), 5);
    assert.equal(c.origin('parallelism.default'), '-D');
  });
});

describe('deprecated and fallback keys', () => {
  it('reads a deprecated key when the new one is absent and warns once', () => {
    const c = config(['jobmanager.adaptive-scheduler.resource-wait-timeout', '-1', FILE(7)]);
    assert.equal(c.get(ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT), -1);
    assert.equal(c.isExplicitlySet(ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT), true);
    assert.equal(c.sourceKey(ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT), 'jobmanager.adaptive-scheduler.resource-wait-timeout');
    assert.equal(c.origin('jobmanager.adaptive-scheduler.submission.resource-wait-timeout'), '/c/config.yaml:7');
    assert.deepEqual(c.deprecationWarnings(), [
      "Config uses deprecated configuration key 'jobmanager.adaptive-scheduler.resource-wait-timeout' instead of proper key 'jobmanager.adaptive-scheduler.submission.resource-wait-timeout'",
    ]);
  });

  it('prefers the new key over a deprecated one and then does not warn', () => {
    const c = config(['state.checkpoints.dir', '/old'], ['execution.checkpointing.dir', '/new']);
    assert.equal(c.get(CHECKPOINTS_DIRECTORY), '/new');
    assert.deepEqual(c.deprecationWarnings(), []);
  });

  it('reads fallback keys without a warning', () => {
    const c = config(['jobmanager.rpc.address', 'jm.example'], ['rest.port', '9000']);
    assert.equal(c.get(REST_ADDRESS), 'jm.example');
    assert.equal(c.get(REST_BIND_PORT), '9000');
    assert.deepEqual(c.deprecationWarnings(), []);
    assert.equal(Configuration.empty().get(REST_BIND_PORT), '8081');
  });
});

describe('entries, masking and origins', () => {
  it('lists only explicit keys, in order, masking secrets', () => {
    const c = config(['rest.port', '8082'], ['metrics.reporter.pg.password', 'hunter2'], ['s3.secret-key', 'abc'], ['my.api-token', 't']);
    assert.deepEqual(c.entries(), [
      { key: 'rest.port', value: '8082' },
      { key: 'metrics.reporter.pg.password', value: '******' },
      { key: 's3.secret-key', value: '******' },
      { key: 'my.api-token', value: '******' },
    ]);
    assert.equal(c.entries({ unmasked: true })[1]?.value, 'hunter2');
  });

  it('reports file:line, -D and override origins', () => {
    const c = config(['rest.port', '8082', FILE(12)], ['pipeline.name', 'x', DYN]).withOverrides(
      { 'parallelism.default': 3 },
      'JobManager',
    );
    assert.equal(c.origin('rest.port'), '/c/config.yaml:12');
    assert.equal(c.origin('pipeline.name'), '-D');
    assert.equal(c.origin('parallelism.default'), 'JobManager');
    assert.equal(c.origin('heartbeat.interval'), undefined);
  });
});

describe('withOverrides', () => {
  it('returns a new configuration and leaves the original unchanged', () => {
    const base = config(['rest.port', '8082']);
    const changed = base.withOverrides({ 'rest.port': 0, 'web.submit.enable': false });
    assert.equal(base.get(REST_PORT), 8082);
    assert.equal(changed.get(REST_PORT), 0);
    assert.equal(changed.rawValue('web.submit.enable'), 'false');
  });

  it('validates the overrides', () => {
    assert.throws(
      () => Configuration.empty().withOverrides({ 'taskmanager.numberOfTaskSlots': 0 }, 'test'),
      /Invalid value '0' for 'taskmanager.numberOfTaskSlots' \(from test\): expected an integer from 1 to 10000\./,
    );
    assert.throws(
      () => Configuration.empty().withOverrides({ 'taskmanager.numberOfTaskSlots': 2_147_483_647 }, 'test'),
      /Invalid value '2147483647' for 'taskmanager.numberOfTaskSlots' \(from test\): expected an integer from 1 to 10000\./,
    );
  });
});

describe('forTaskManager', () => {
  it('projects job-level and heartbeat settings under their canonical keys', () => {
    const c = config(
      ['rest.port', '8082'],
      ['parallelism.default', '2'],
      ['state.checkpoints.dir', '/ck'],
      ['heartbeat.timeout', '60 s'],
      ['taskmanager.numberOfTaskSlots', '3'],
      ['pipeline.max-parallelism', '128'],
    );
    assert.deepEqual(c.forTaskManager(), [
      { key: 'parallelism.default', value: '2' },
      { key: 'heartbeat.timeout', value: '60 s' },
      { key: 'pipeline.max-parallelism', value: '128' },
      { key: 'execution.checkpointing.dir', value: '/ck' },
    ]);
  });
});

describe('pattern and map options', () => {
  it('reads per-reporter options and lists reporter names', () => {
    const c = config(
      ['metrics.reporter.prom.factory.class', 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory'],
      ['metrics.reporter.prom.port', '9250-9260'],
      ['metrics.reporter.push.interval', '30 s'],
    );
    assert.deepEqual(c.metricReporterNames(), ['prom', 'push']);
    assert.equal(c.getNamed(METRICS_REPORTER_PORT, 'prom'), '9250-9260');
    assert.equal(c.getNamed(METRICS_REPORTER_PORT, 'push'), '9249');
    assert.equal(c.getNamed(METRICS_REPORTER_INTERVAL, 'push'), 30_000);
    assert.deepEqual(c.reporterParameters('prom'), {
      'factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
      port: '9250-9260',
    });
  });

  it('limits reporter names to metrics.reporters when it is set', () => {
    const c = config(
      ['metrics.reporters', 'push, ghost'],
      ['metrics.reporter.prom.port', '9249'],
      ['metrics.reporter.push.interval', '1 s'],
    );
    assert.deepEqual(c.metricReporterNames(), ['push']);
  });

  it('reads a map option written inline or as one key per entry', () => {
    assert.deepEqual(config(['pipeline.jobvertex-parallelism-overrides', 'v1:2,v2:3']).get(JOB_VERTEX_PARALLELISM_OVERRIDES), {
      v1: '2',
      v2: '3',
    });
    const split = config(['pipeline.jobvertex-parallelism-overrides.v1', '4'], ['pipeline.jobvertex-parallelism-overrides.v2', '5']);
    assert.deepEqual(split.get(JOB_VERTEX_PARALLELISM_OVERRIDES), { v1: '4', v2: '5' });
    assert.deepEqual(Configuration.empty().get(JOB_VERTEX_PARALLELISM_OVERRIDES), {});
  });
});
