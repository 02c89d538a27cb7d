import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as config from '../../../src/config/index.js';
import { ALL_OPTIONS, PATTERN_OPTIONS, findOption, isKnownKey, type AnyOption } from '../../../src/config/index.js';

function isOption(value: unknown): value is AnyOption {
  return typeof value === 'object' && value !== null && 'kind' in value && (value.kind === 'option' || value.kind === 'pattern');
}

describe('the option table', () => {
  it('aggregates every exported option constant', () => {
    // A family of options may be exported as one record (the keystore options of internal and REST TLS).
    const exported = (Object.values(config) as unknown[])
      .flatMap((value) =>
        isOption(value) || typeof value !== 'object' || value === null || Array.isArray(value) ? [value] : Object.values(value),
      )
      .filter(isOption);
    const tabled = new Set<AnyOption>([...ALL_OPTIONS, ...PATTERN_OPTIONS]);
    for (const option of exported) assert.ok(tabled.has(option), option.kind === 'option' ? option.key : option.pattern);
    assert.equal(tabled.size, exported.length);
  });

  it("has unique keys, and no key is also another option's deprecated key", () => {
    const seen = new Map<string, string>();
    for (const option of ALL_OPTIONS) {
      for (const key of [option.key, ...option.deprecatedKeys]) {
        assert.ok(!seen.has(key), `${key} declared by ${seen.get(key)} and ${option.key}`);
        seen.set(key, option.key);
      }
    }
  });

  it('has defaults that pass their own checks and print back to the same value', () => {
    for (const option of ALL_OPTIONS) {
      if (option.defaultValue === undefined) continue;
      assert.equal(option.check(option.defaultValue), undefined, option.key);
      if (option.type === 'duration' || option.type === 'memory' || option.type === 'int') {
        assert.equal(
          option.parse(String(option.type === 'int' ? option.defaultValue : option.defaultText)),
          option.defaultValue,
          option.key,
        );
      }
    }
  });

  it('has a description for every option', () => {
    for (const option of [...ALL_OPTIONS, ...PATTERN_OPTIONS])
      assert.ok(option.description.length > 20, option.kind === 'option' ? option.key : option.pattern);
  });

  it('declares the defaults the brief and Flink fix', () => {
    const expected: Record<string, unknown> = {
      'env.pid.dir': '/tmp',
      'env.log.level': 'INFO',
      'env.log.max': 10,
      'env.stdout-err.redirect-to-file': false,
      'jobmanager.rpc.address': 'localhost',
      'jobmanager.rpc.port': 6123,
      'jobmanager.memory.process.size': 1600 * 1024 ** 2,
      'jobmanager.scheduler': 'Default',
      'jobmanager.execution.failover-strategy': 'region',
      'jobmanager.adaptive-scheduler.submission.resource-wait-timeout': 300_000,
      'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout': 10_000,
      'jobmanager.adaptive-scheduler.min-parallelism-increase': 1,
      'jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling': 0,
      'jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout': 0,
      'slot.request.timeout': 300_000,
      'slot.idle.timeout': 50_000,
      'taskmanager.numberOfTaskSlots': 1,
      'taskmanager.registration.timeout': 300_000,
      'taskmanager.data.port': 0,
      'taskmanager.memory.process.size': 1728 * 1024 ** 2,
      'cluster.registration.initial-timeout': 100,
      'cluster.registration.max-timeout': 30_000,
      'cluster.registration.error-delay': 10_000,
      'heartbeat.interval': 10_000,
      'heartbeat.timeout': 50_000,
      'heartbeat.rpc-failure-threshold': 2,
      'rest.port': 8081,
      'rest.bind-address': 'localhost',
      'rest.server.max-content-length': 104_857_600,
      'web.refresh-interval': 3_000,
      'web.checkpoints.history': 10,
      'web.exception-history-size': 16,
      'web.rescale.enable': true,
      'web.access-control-allow-origin': '*',
      'parallelism.default': 1,
      'pipeline.max-parallelism': -1,
      'pipeline.auto-watermark-interval': 200,
      'execution.buffer-timeout.interval': 100,
      'execution.runtime-mode': 'STREAMING',
      'execution.checkpointing.mode': 'EXACTLY_ONCE',
      'execution.checkpointing.timeout': 600_000,
      'execution.checkpointing.min-pause': 0,
      'execution.checkpointing.max-concurrent-checkpoints': 1,
      'execution.checkpointing.num-retained': 1,
      'execution.checkpointing.tolerable-failed-checkpoints': 0,
      'execution.checkpointing.create-subdir': true,
      'state.backend.type': 'hashmap',
      'execution.state-recovery.claim-mode': 'NO_CLAIM',
      'restart-strategy.fixed-delay.attempts': 1,
      'restart-strategy.fixed-delay.delay': 1_000,
      'restart-strategy.failure-rate.max-failures-per-interval': 1,
      'restart-strategy.failure-rate.failure-rate-interval': 60_000,
      'restart-strategy.failure-rate.delay': 1_000,
      'restart-strategy.exponential-delay.initial-backoff': 1_000,
      'restart-strategy.exponential-delay.max-backoff': 60_000,
      'restart-strategy.exponential-delay.backoff-multiplier': 1.5,
      'restart-strategy.exponential-delay.reset-backoff-threshold': 3_600_000,
      'restart-strategy.exponential-delay.jitter-factor': 0.1,
      'restart-strategy.exponential-delay.attempts-before-reset-backoff': 2_147_483_647,
      'high-availability.type': 'NONE',
      'high-availability.cluster-id': '/default',
      'execution.shutdown-on-application-finish': true,
      'metrics.fetcher.update-interval': 10_000,
    };
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(findOption(key)?.defaultValue, value, key);
    for (const key of [
      'execution.checkpointing.interval',
      'scheduler-mode',
      'restart-strategy.type',
      'jobmanager.adaptive-scheduler.scaling-interval.max',
    ]) {
      assert.equal(findOption(key)?.defaultValue, undefined, key);
    }
  });

  it('knows keys under pattern prefixes but not lookalikes', () => {
    assert.equal(isKnownKey('metrics.reporter.prom.port'), true);
    assert.equal(isKnownKey('metrics.reporter.x.anything.else'), true);
    assert.equal(isKnownKey('state.checkpoints.dir'), true);
    assert.equal(isKnownKey('metrics.reporterz.x.port'), false);
    assert.equal(isKnownKey('heartbeat'), false);
  });
});
