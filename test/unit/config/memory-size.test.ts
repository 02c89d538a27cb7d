import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigValueError, formatMemorySize, parseMemorySize } from '../../../src/config/index.js';

describe('parseMemorySize', () => {
  it('reads a bare number as bytes', () => {
    assert.equal(parseMemorySize('1024'), 1024);
  });

  it('uses 1024-based units in any case, with or without a space', () => {
    assert.equal(parseMemorySize('64m'), 64 * 1024 ** 2);
    assert.equal(parseMemorySize('1 gb'), 1024 ** 3);
    assert.equal(parseMemorySize('512 KB'), 512 * 1024);
    assert.equal(parseMemorySize('2 tebibytes'), 2 * 1024 ** 4);
    assert.equal(parseMemorySize('7 bytes'), 7);
    assert.equal(parseMemorySize('3b'), 3);
    assert.equal(parseMemorySize('"1600m"'), 1600 * 1024 ** 2);
  });

  it('rejects words, decimals, unknown units and overflow', () => {
    assert.throws(
      () => parseMemorySize('lots'),
      (error: unknown) => error instanceof ConfigValueError && /memory size such as '64m'/.test(error.problem),
    );
    assert.throws(() => parseMemorySize('1.5g'), /'\.5g' is not a memory unit/);
    assert.throws(() => parseMemorySize('3 pb'), /'pb' is not a memory unit/);
    assert.throws(() => parseMemorySize('99999999 t'), /too large/);
  });
});

describe('formatMemorySize', () => {
  it('prints the largest exact unit as Flink does', () => {
    assert.equal(formatMemorySize(1600 * 1024 ** 2), '1600 mb');
    assert.equal(formatMemorySize(1024 ** 3), '1 gb');
    assert.equal(formatMemorySize(64 * 1024), '64 kb');
    assert.equal(formatMemorySize(100), '100 bytes');
    assert.equal(formatMemorySize(0), '0 bytes');
  });

  it('round-trips through parseMemorySize', () => {
    for (const bytes of [1, 1023, 4096, 1728 * 1024 ** 2, 3 * 1024 ** 4]) assert.equal(parseMemorySize(formatMemorySize(bytes)), bytes);
  });
});
