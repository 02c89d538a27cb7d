import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { formatJavaDouble, formatJavaFloat } from '../../../../src/runtime/format/index.js';
import { TOPSPEED_CONFORMANCE } from '../../../helpers/fixture-paths.js';

const CONFORMANCE = TOPSPEED_CONFORMANCE;

function distances(file: string): string[] {
  return readFileSync(`${CONFORMANCE}/${file}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(1, -1).split(',')[2]!);
}

describe('formatJavaDouble', () => {
  it('reprints every distance of the TopSpeedWindowing data exactly', () => {
    const all = [...distances('input.txt'), ...distances('expected.txt')];
    assert.equal(all.length, 271);
    for (const text of all) assert.equal(formatJavaDouble(Number.parseFloat(text)), text);
  });

  it('appends .0 to integral values and keeps the plain range [1e-3, 1e7)', () => {
    assert.equal(formatJavaDouble(50), '50.0');
    assert.equal(formatJavaDouble(-3), '-3.0');
    assert.equal(formatJavaDouble(9999999), '9999999.0');
    assert.equal(formatJavaDouble(1234567.25), '1234567.25');
    assert.equal(formatJavaDouble(0.001), '0.001');
    assert.equal(formatJavaDouble(0.1), '0.1');
    assert.equal(formatJavaDouble(0.30000000000000004), '0.30000000000000004');
  });

  it('uses computerized scientific notation outside the plain range', () => {
    assert.equal(formatJavaDouble(1e7), '1.0E7');
    assert.equal(formatJavaDouble(1.234e-5), '1.234E-5');
    assert.equal(formatJavaDouble(0.000999), '9.99E-4');
    assert.equal(formatJavaDouble(-123456789.5), '-1.234567895E8');
    assert.equal(formatJavaDouble(1e21), '1.0E21');
    assert.equal(formatJavaDouble(Number.MAX_VALUE), '1.7976931348623157E308');
    assert.equal(formatJavaDouble(2.2250738585072014e-308), '2.2250738585072014E-308');
  });

  it('prints special values and Double.MIN_VALUE as Java does', () => {
    assert.equal(formatJavaDouble(NaN), 'NaN');
    assert.equal(formatJavaDouble(Infinity), 'Infinity');
    assert.equal(formatJavaDouble(-Infinity), '-Infinity');
    assert.equal(formatJavaDouble(0), '0.0');
    assert.equal(formatJavaDouble(-0), '-0.0');
    assert.equal(formatJavaDouble(Number.MIN_VALUE), '4.9E-324');
  });

  it('round-trips random doubles', () => {
    let seed = 12345;
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 20000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      view.setInt32(0, seed);
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      view.setInt32(4, seed);
      const x = view.getFloat64(0);
      if (!Number.isFinite(x)) continue;
      const text = formatJavaDouble(x);
      assert.equal(Number(text), x, text);
      assert.match(text, /^-?\d+\.\d+(E-?\d+)?$/);
    }
  });
});

describe('formatJavaFloat', () => {
  it('prints the shortest float digits', () => {
    assert.equal(formatJavaFloat(1.1), '1.1');
    assert.equal(formatJavaFloat(0.1), '0.1');
    assert.equal(formatJavaFloat(3.4028234663852886e38), '3.4028235E38');
    assert.equal(formatJavaFloat(1.401298464324817e-45), '1.4E-45');
    assert.equal(formatJavaFloat(16777216), '1.6777216E7');
    assert.equal(formatJavaFloat(100), '100.0');
    assert.equal(formatJavaFloat(-0), '-0.0');
  });
});
