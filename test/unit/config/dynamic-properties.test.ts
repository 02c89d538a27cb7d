import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.js';
import { parseDynamicProperties } from '../../../src/config/index.js';

describe('parseDynamicProperties', () => {
  it('accepts -D key=value and -Dkey=value', () => {
    const parsed = parseDynamicProperties(['-D', 'a=1', '-Db=2']);
    assert.deepEqual(parsed.properties, [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    assert.deepEqual(parsed.rest, []);
  });

  it('keeps = inside values and strips surrounding quotes', () => {
    const parsed = parseDynamicProperties(['-Dexecution.checkpointing.interval="10s"', '-D', "env.ssh.opts='-o a=b'", "-D'k=v'"]);
    assert.deepEqual(parsed.properties, [
      { key: 'execution.checkpointing.interval', value: '10s' },
      { key: 'env.ssh.opts', value: '-o a=b' },
      { key: 'k', value: 'v' },
    ]);
  });

  it('stops at the first argument that is not a -D and returns the rest', () => {
    const parsed = parseDynamicProperties(['-Dscheduler-mode=reactive', '-j', 'Main', '-Dx=y', 'arg']);
    assert.deepEqual(parsed.properties, [{ key: 'scheduler-mode', value: 'reactive' }]);
    assert.deepEqual(parsed.rest, ['-j', 'Main', '-Dx=y', 'arg']);
  });

  it('allows an empty value', () => {
    assert.deepEqual(parseDynamicProperties(['-Dpipeline.name=']).properties, [{ key: 'pipeline.name', value: '' }]);
  });

  it('rejects a -D without = and names it', () => {
    assert.throws(
      () => parseDynamicProperties(['-Dfoo']),
      (error: unknown) => error instanceof UsageError && error.message.includes("'-Dfoo'"),
    );
    assert.throws(
      () => parseDynamicProperties(['-D', 'bar']),
      (error: unknown) => error instanceof UsageError && error.message.includes("'-D bar'"),
    );
    assert.throws(() => parseDynamicProperties(['-D=1']), UsageError);
  });

  it('rejects a trailing -D with no argument', () => {
    assert.throws(
      () => parseDynamicProperties(['-Da=1', '-D']),
      (error: unknown) => error instanceof UsageError && /needs a key=value/.test(error.message),
    );
  });
});
