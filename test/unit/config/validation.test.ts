import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT, loadConfiguration, parseDynamicProperties } from '../../../src/config/index.js';
import { configError, withConfDir } from './config-test-utils.js';

/** Loads `yaml` as config.yaml plus `-D` args and returns the error message; the path is replaced by FILE. */
async function failureOf(yaml: string, args: string[] = []): Promise<string> {
  return withConfDir({ 'config.yaml': yaml }, async (dir) => {
    const error = await configError(() => loadConfiguration({ confDir: dir, dynamicProperties: parseDynamicProperties(args).properties }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.ok(!error.message.includes('\n'), `message is one line: ${error.message}`);
    return error.message.replaceAll(`${dir}/config.yaml`, 'FILE');
  });
}

describe('validation at load time', () => {
  it('names key, value, file line and the accepted form for an unparsable duration', async () => {
    assert.equal(
      await failureOf('# comment\n\nheartbeat:\n  interval: ten\n'),
      "Invalid value 'ten' for 'heartbeat.interval' (from FILE:4): expected a duration such as '10 s', '500 ms', '1 min' (a bare number is milliseconds).",
    );
  });

  it('names -D as the origin of a bad dynamic property', async () => {
    assert.equal(
      await failureOf('', ['-Dparallelism.default=two']),
      "Invalid value 'two' for 'parallelism.default' (from -D): expected an integer between -2147483648 and 2147483647.",
    );
  });

  it('rejects fewer than one task slot', async () => {
    assert.equal(
      await failureOf('taskmanager.numberOfTaskSlots: 0\n'),
      "Invalid value '0' for 'taskmanager.numberOfTaskSlots' (from FILE:1): expected an integer from 1 to 10000.",
    );
  });

  it('rejects parallelism.default below 1', async () => {
    assert.match(
      await failureOf('parallelism.default: -3\n'),
      /^Invalid value '-3' for 'parallelism.default' \(from FILE:1\): expected an integer of at least 1\.$/,
    );
  });

  it('accepts max parallelism -1 and 1..32768 only', async () => {
    for (const bad of ['0', '32769', '-2']) {
      assert.equal(
        await failureOf(`pipeline.max-parallelism: ${bad}\n`),
        `Invalid value '${bad}' for 'pipeline.max-parallelism' (from FILE:1): expected -1 (derive from the parallelism) or an integer from 1 to 32768.`,
      );
    }
    await withConfDir({ 'config.yaml': 'pipeline.max-parallelism: 32768\n' }, async (dir) => {
      await loadConfiguration({ confDir: dir, dynamicProperties: [{ key: 'pipeline.max-parallelism', value: '-1' }] });
    });
  });

  it('requires heartbeat.interval to be smaller than heartbeat.timeout, naming both keys', async () => {
    assert.equal(
      await failureOf('heartbeat.interval: 50 s\n'),
      "Invalid value '50 s' for 'heartbeat.interval' (from FILE:1): it must be smaller than 'heartbeat.timeout' (50 s, default).",
    );
    assert.equal(
      await failureOf('heartbeat.timeout: 5 s\n'),
      "Invalid value '5 s' for 'heartbeat.timeout' (from FILE:1): it must be larger than 'heartbeat.interval' (10 s, default).",
    );
    assert.equal(
      await failureOf('heartbeat.interval: 20 s\n', ['-Dheartbeat.timeout=15s']),
      "Invalid value '20 s' for 'heartbeat.interval' (from FILE:1): it must be smaller than 'heartbeat.timeout' (15 s, from -D).",
    );
  });

  it('rejects negative durations except -1 where it is documented', async () => {
    assert.match(
      await failureOf('slot.idle.timeout: -1\n'),
      /for 'slot.idle.timeout' \(from FILE:1\): negative durations are not accepted; expected a duration/,
    );
    assert.match(await failureOf('heartbeat.timeout: -1 s\n'), /negative durations are not accepted/);
    await withConfDir({ 'config.yaml': 'jobmanager.adaptive-scheduler.submission.resource-wait-timeout: -1\n' }, async (dir) => {
      const { configuration } = await loadConfiguration({ confDir: dir });
      assert.equal(configuration.get(ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT), -1);
    });
  });

  it('lists the accepted values of an unknown enum value', async () => {
    assert.equal(
      await failureOf('jobmanager.scheduler: eager\n'),
      "Invalid value 'eager' for 'jobmanager.scheduler' (from FILE:1): expected one of Default, Adaptive, AdaptiveBatch (case-insensitive).",
    );
    assert.match(await failureOf('', ['-Dscheduler-mode=proactive']), /expected one of REACTIVE \(case-insensitive\)\.$/);
  });

  it('rejects an unknown restart strategy, also through the deprecated key', async () => {
    const expected =
      'expected one of none (or off, disable), fixed-delay (or fixeddelay), failure-rate (or failurerate), exponential-delay (or exponentialdelay) (case-insensitive).';
    assert.equal(
      await failureOf('restart-strategy:\n  type: sometimes\n'),
      `Invalid value 'sometimes' for 'restart-strategy.type' (from FILE:2): ${expected}`,
    );
    assert.equal(
      await failureOf('restart-strategy: sometimes\n'),
      `Invalid value 'sometimes' for 'restart-strategy' (from FILE:1): ${expected}`,
    );
  });

  it('rejects state backends other than hashmap', async () => {
    assert.match(
      await failureOf('state.backend.type: rocksdb\n'),
      /for 'state.backend.type' .*expected 'hashmap' \(tsflink has only the heap state backend/,
    );
  });

  it('rejects booleans other than true/false and memory sizes without a number', async () => {
    assert.match(
      await failureOf('web.submit.enable: yes\n'),
      /Invalid value 'yes' for 'web.submit.enable' \(from FILE:1\): expected true or false \(case-insensitive\)\./,
    );
    assert.match(await failureOf('jobmanager.memory.process.size: big\n'), /expected a memory size such as '64m'/);
  });

  it('rejects bad per-reporter values', async () => {
    assert.match(
      await failureOf('metrics:\n  reporter:\n    prom:\n      port: high\n'),
      /Invalid value 'high' for 'metrics.reporter.prom.port' \(from FILE:4\): expected a port, a range/,
    );
    assert.match(await failureOf('metrics.reporter.push.interval: often\n'), /for 'metrics.reporter.push.interval'/);
  });

  it('requires a storage directory for high availability', async () => {
    assert.match(
      await failureOf('high-availability.type: filesystem\n'),
      /'high-availability.type' \(from FILE:1\): high availability needs 'high-availability.storageDir' to be set\./,
    );
  });

  it('requires a ZooKeeper quorum for ZooKeeper high availability, under the legacy key too', async () => {
    assert.match(
      await failureOf('high-availability: zookeeper\nhigh-availability.storageDir: /tmp/ha\n'),
      /Invalid value 'zookeeper' for 'high-availability' \(from FILE:1\): ZooKeeper high availability needs 'high-availability.zookeeper.quorum' to be set \(host:port\[,host:port\.\.\.\]\)\.$/,
    );
    assert.match(
      await failureOf('high-availability.zookeeper.quorum: zk1:2181,zk2\n'),
      /Invalid value 'zk1:2181,zk2' for 'high-availability.zookeeper.quorum' \(from FILE:1\): 'zk2' is not host:port/,
    );
  });

  it('rejects a checkpoint interval below 10 ms', async () => {
    assert.match(
      await failureOf('', ['-Dexecution.checkpointing.interval=5ms']),
      /expected a duration of at least 10 ms \(leave it unset to disable checkpointing\)\.$/,
    );
  });

  it('masks a secret value in the error message', async () => {
    assert.match(await failureOf('', ['-Dmetrics.reporter.secret-store.interval=oops']), /Invalid value '\*\*\*\*\*\*'/);
  });
});
