import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricRegistry } from '../../../src/metrics/metric-registry.js';
import { PrometheusCollector } from '../../../src/metrics/prometheus-collector.js';

describe('MetricGroup', () => {
  it('names metrics of generic sub-groups with dots, as REST lists them', () => {
    const registry = new MetricRegistry();
    const tm = registry.addRoot('taskmanager', { host: 'h', tm_id: 't' });
    tm.gaugeAt('Status.JVM.CPU.Load', () => 0.5).gauge('plain', () => 1);
    assert.deepEqual(tm.values(), [
      ['plain', 1],
      ['Status.JVM.CPU.Load', 0.5],
    ]);
  });

  it('leaves scoped children out of values() but visits them with their scope and variables', () => {
    const registry = new MetricRegistry();
    const tm = registry.addRoot('taskmanager', { host: 'h', tm_id: 't' });
    const task = tm.addScopedGroup('job', { job_id: 'j' }).addScopedGroup('task', { subtask_index: '0' });
    task.gauge('numRecordsIn', () => 7);
    assert.deepEqual(tm.values(), []);
    const seen: Array<[string, string, Record<string, string>]> = [];
    registry.forEachMetric((group, name) => seen.push([group.logicalScope.join('.'), name, { ...group.variables }]));
    assert.deepEqual(seen, [['taskmanager.job.task', 'numRecordsIn', { host: 'h', tm_id: 't', job_id: 'j', subtask_index: '0' }]]);
  });

  it('removes a closed group and its children from the registry, yet still answers values()', () => {
    const registry = new MetricRegistry();
    const jm = registry.addRoot('jobmanager', { host: 'h' });
    const job = jm.addScopedGroup('job', { job_id: 'j' });
    job.gauge('uptime', () => 5);
    job.addScopedGroup('operator', {}).gauge('x', () => 1);
    job.close();
    let count = 0;
    registry.forEachMetric(() => count++);
    assert.equal(count, 0);
    assert.deepEqual(job.values(), [['uptime', 5]]);
    assert.ok(job.isClosed);
  });

  it('skips readers that throw, have no value or are NaN', () => {
    const registry = new MetricRegistry();
    const group = registry.addRoot('jobmanager', {});
    group
      .gauge('broken', () => {
        throw new Error('boom');
      })
      .gauge('absent', () => undefined)
      .gauge('nan', () => NaN)
      .gauge('text', () => 'n/a');
    assert.deepEqual(group.values(), [['text', 'n/a']]);
  });
});

describe("a key-value group (Flink's addGroup(key, value))", () => {
  it('is named key.value in REST and by key alone, with a key label, for Prometheus', async () => {
    const registry = new MetricRegistry();
    const autoscaler = registry.addRoot('jobmanager', {}).addScopedGroup('job', { job_id: 'j' }).addGroup('AutoScaler');
    for (const [id, load] of [
      ['v1', 0.5],
      ['v2', 0.9],
    ] as const) {
      autoscaler
        .addKeyedGroup('jobVertexID', id)
        .addGroup('LOAD')
        .gauge('Current', () => load);
    }
    assert.equal(autoscaler.addKeyedGroup('jobVertexID', 'v1'), autoscaler.addKeyedGroup('jobVertexID', 'v1'), 'created once');
    assert.deepEqual(autoscaler.values(), [
      ['jobVertexID.v1.LOAD.Current', 0.5],
      ['jobVertexID.v2.LOAD.Current', 0.9],
    ]);
    const text = await new PrometheusCollector(registry).scrape();
    const lines = text.split('\n').filter((l) => l.startsWith('flink_jobmanager_job_AutoScaler_jobVertexID_LOAD_Current'));
    assert.deepEqual(lines, [
      'flink_jobmanager_job_AutoScaler_jobVertexID_LOAD_Current{job_id="j",jobVertexID="v1"} 0.5',
      'flink_jobmanager_job_AutoScaler_jobVertexID_LOAD_Current{job_id="j",jobVertexID="v2"} 0.9',
    ]);
  });
});
