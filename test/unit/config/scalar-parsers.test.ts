import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigValueError,
  parseBoolean,
  parseDouble,
  parseEnumValue,
  parseInteger,
  parseList,
  parseMap,
  stripQuotes,
} from '../../../src/config/index.js';

describe('parseBoolean', () => {
  it('accepts only true and false, in any case', () => {
    assert.equal(parseBoolean('true'), true);
    assert.equal(parseBoolean('FALSE'), false);
    assert.equal(parseBoolean(' True '), true);
    for (const text of ['yes', '1', 'on', '', 'truee']) {
      assert.throws(
        () => parseBoolean(text),
        (error: unknown) => error instanceof ConfigValueError && error.problem === 'expected true or false (case-insensitive)',
        text,
      );
    }
  });
});

describe('parseInteger', () => {
  it('reads signed decimal integers', () => {
    assert.equal(parseInteger('42', 32), 42);
    assert.equal(parseInteger('-1', 32), -1);
    assert.equal(parseInteger('+7', 32), 7);
    assert.equal(parseInteger('2147483647', 32), 2_147_483_647);
    assert.equal(parseInteger('-2147483648', 32), -2_147_483_648);
  });

  it('detects int overflow', () => {
    assert.throws(
      () => parseInteger('2147483648', 32),
      /overflows the integer type; expected an integer between -2147483648 and 2147483647/,
    );
    assert.throws(() => parseInteger('-2147483649', 32), /overflows/);
  });

  it('detects long overflow beyond what a number holds exactly', () => {
    assert.equal(parseInteger('9007199254740991', 64), Number.MAX_SAFE_INTEGER);
    assert.throws(() => parseInteger('9223372036854775808', 64), /out of range for a long/);
  });

  it('rejects decimals, hex and words', () => {
    for (const text of ['1.0', '0x10', 'ten', '', '1e3']) assert.throws(() => parseInteger(text, 32), ConfigValueError, text);
  });
});

describe('parseDouble', () => {
  it('reads decimal numbers', () => {
    assert.equal(parseDouble('1.5'), 1.5);
    assert.equal(parseDouble('-0.25'), -0.25);
    assert.equal(parseDouble('2'), 2);
    assert.equal(parseDouble('1e3'), 1000);
  });

  it('rejects non-numbers', () => {
    for (const text of ['abc', '', 'NaN', 'Infinity', '1.2.3']) assert.throws(() => parseDouble(text), ConfigValueError, text);
  });
});

describe('parseEnumValue', () => {
  const values = ['Default', 'Adaptive', 'AdaptiveBatch'] as const;

  it('matches case-insensitively and returns the canonical spelling', () => {
    assert.equal(parseEnumValue('adaptive', values), 'Adaptive');
    assert.equal(parseEnumValue('ADAPTIVEBATCH', values), 'AdaptiveBatch');
  });

  it('maps aliases to their canonical value', () => {
    assert.equal(parseEnumValue('FixedDelay', ['none', 'fixed-delay'] as const, { fixeddelay: 'fixed-delay' }), 'fixed-delay');
  });

  it('lists the accepted values when nothing matches', () => {
    assert.throws(
      () => parseEnumValue('eager', values),
      (error: unknown) =>
        error instanceof ConfigValueError && error.problem === 'expected one of Default, Adaptive, AdaptiveBatch (case-insensitive)',
    );
  });
});

describe('parseList and parseMap', () => {
  it('splits lists on semicolons and drops blanks', () => {
    assert.deepEqual(parseList('a;b; c;;'), ['a', 'b', 'c']);
    assert.deepEqual(parseList('a,b;c', /[,;]/), ['a', 'b', 'c']);
  });

  it('reads k:v,k:v maps', () => {
    assert.deepEqual(parseMap('a:1, b:two'), { a: '1', b: 'two' });
    assert.throws(() => parseMap('a:1,nokey'), /entry 'nokey' has no key/);
  });
});

describe('stripQuotes', () => {
  it('removes one pair of matching quotes only', () => {
    assert.equal(stripQuotes('"10s"'), '10s');
    assert.equal(stripQuotes("'x'"), 'x');
    assert.equal(stripQuotes('"x\''), '"x\'');
    assert.equal(stripQuotes('"'), '"');
  });
});
