import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Configuration, type ConfigEntry } from '../../../../src/config/index.js';
import { ConfigurationError } from '../../../../src/core/errors.js';
import { parseJobId } from '../../../../src/core/ids.js';
import { checkpointSettingsFrom, taskCheckpointSettings } from '../../../../src/jobmanager/checkpoint/checkpoint-settings.js';

const JOB = parseJobId('0123456789abcdef0123456789abcdef')!;

function config(entries: Record<string, string>): Configuration {
  return Configuration.fromEntries(
    Object.entries(entries).map(([key, value]): ConfigEntry => ({ key, value, origin: { kind: 'dynamic' } })),
  );
}

describe('checkpointSettingsFrom', () => {
  it("resolves Flink's defaults: disabled, exactly-once, 10 min timeout, in-memory storage", () => {
    const settings = checkpointSettingsFrom(Configuration.empty(), undefined);
    assert.deepEqual(settings, {
      intervalMs: undefined,
      mode: 'EXACTLY_ONCE',
      timeoutMs: 600_000,
      minPauseMs: 0,
      maxConcurrent: 1,
      numRetained: 1,
      tolerableFailures: 0,
      storage: { kind: 'memory' },
      savepointDirectory: undefined,
      retention: 'NO_EXTERNALIZED_CHECKPOINTS',
      historySize: 10,
      incremental: false,
      inlineThresholdBytes: 20 * 1024,
      recycleFiles: true,
    });
    assert.deepEqual(taskCheckpointSettings(settings, JOB), {
      enabled: false,
      mode: 'EXACTLY_ONCE',
      checkpointDirectory: undefined,
      incremental: false,
      inlineThreshold: 20 * 1024,
    });
  });

  it('reads every option, a checkpoint directory selecting file storage', () => {
    const settings = checkpointSettingsFrom(
      config({
        'execution.checkpointing.interval': '10s',
        'execution.checkpointing.mode': 'AT_LEAST_ONCE',
        'execution.checkpointing.timeout': '1 min',
        'execution.checkpointing.min-pause': '2s',
        'execution.checkpointing.max-concurrent-checkpoints': '3',
        'state.checkpoints.num-retained': '4',
        'execution.checkpointing.tolerable-failed-checkpoints': '5',
        'state.backend.incremental': 'true',
        'state.storage.fs.memory-threshold': '1 kb',
        'state.checkpoints.dir': 'file:///tmp/cp',
        'state.savepoints.dir': '/tmp/sp',
        'web.checkpoints.history': '7',
        'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
      }),
      undefined,
    );
    assert.deepEqual(settings, {
      intervalMs: 10_000,
      mode: 'AT_LEAST_ONCE',
      timeoutMs: 60_000,
      minPauseMs: 2_000,
      maxConcurrent: 3,
      numRetained: 4,
      tolerableFailures: 5,
      storage: { kind: 'filesystem', directory: '/tmp/cp' },
      savepointDirectory: '/tmp/sp',
      retention: 'RETAIN_ON_CANCELLATION',
      historySize: 7,
      incremental: true,
      inlineThresholdBytes: 1024,
      recycleFiles: true,
    });
    assert.deepEqual(taskCheckpointSettings(settings, JOB), {
      enabled: true,
      mode: 'AT_LEAST_ONCE',
      checkpointDirectory: '/tmp/cp',
      incremental: true,
      inlineThreshold: 1024,
      spareDirectory: `/tmp/cp/${JOB}/taskowned/spare`,
    });
  });

  it('tells tasks where spare snapshot files wait only when file storage recycles them', () => {
    const recycled = (entries: Record<string, string>): string | undefined =>
      taskCheckpointSettings(checkpointSettingsFrom(config(entries), undefined), JOB).spareDirectory;
    assert.equal(recycled({ 'state.checkpoints.dir': '/tmp/cp' }), `/tmp/cp/${JOB}/taskowned/spare`);
    assert.equal(recycled({ 'state.checkpoints.dir': '/tmp/cp', 'execution.checkpointing.recycle-files': 'false' }), undefined);
    assert.equal(recycled({}), undefined);
  });

  it("lets the program's interval win over the configured one", () => {
    assert.equal(checkpointSettingsFrom(config({ 'execution.checkpointing.interval': '10s' }), 2_500).intervalMs, 2_500);
    assert.equal(checkpointSettingsFrom(Configuration.empty(), 2_500).intervalMs, 2_500);
    assert.throws(() => checkpointSettingsFrom(Configuration.empty(), 5), ConfigurationError);
  });

  it('accepts file: URIs and relative paths, and refuses other file systems and file storage without a directory', () => {
    assert.deepEqual(checkpointSettingsFrom(config({ 'execution.checkpointing.dir': 'file:/data/cp' }), undefined).storage, {
      kind: 'filesystem',
      directory: '/data/cp',
    });
    assert.deepEqual(checkpointSettingsFrom(config({ 'execution.checkpointing.dir': 'cp' }), undefined).storage, {
      kind: 'filesystem',
      directory: `${process.cwd()}/cp`,
    });
    assert.deepEqual(
      checkpointSettingsFrom(config({ 'execution.checkpointing.dir': '/cp', 'execution.checkpointing.storage': 'jobmanager' }), undefined)
        .storage,
      { kind: 'memory' },
    );
    assert.throws(
      () => checkpointSettingsFrom(config({ 'execution.checkpointing.dir': 's3://bucket/cp' }), undefined),
      /execution.checkpointing.dir: 's3:\/\/bucket\/cp' uses a file system/,
    );
    assert.throws(
      () => checkpointSettingsFrom(config({ 'execution.checkpointing.storage': 'filesystem' }), undefined),
      /no checkpoint directory is set/,
    );
  });
});
