import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigValueError, formatDuration, parseDuration } from '../../../src/config/index.js';

describe('parseDuration', () => {
  it('reads a bare number as milliseconds', () => {
    assert.equal(parseDuration('10000'), 10_000);
    assert.equal(parseDuration('0'), 0);
  });

  it('accepts units with and without a space, in any case', () => {
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('10 s'), 10_000);
    assert.equal(parseDuration('500 ms'), 500);
    assert.equal(parseDuration('1 min'), 60_000);
    assert.equal(parseDuration('2 h'), 7_200_000);
    assert.equal(parseDuration('1 d'), 86_400_000);
    assert.equal(parseDuration('3 MIN'), 180_000);
    assert.equal(parseDuration('  7 Seconds  '), 7_000);
  });

  it('knows every Flink unit label', () => {
    const cases: Array<[string, number]> = [
      ['d', 86_400_000],
      ['day', 86_400_000],
      ['days', 86_400_000],
      ['h', 3_600_000],
      ['hour', 3_600_000],
      ['hours', 3_600_000],
      ['min', 60_000],
      ['m', 60_000],
      ['minute', 60_000],
      ['minutes', 60_000],
      ['s', 1_000],
      ['sec', 1_000],
      ['secs', 1_000],
      ['second', 1_000],
      ['seconds', 1_000],
      ['ms', 1],
      ['milli', 1],
      ['millis', 1],
      ['millisecond', 1],
      ['milliseconds', 1],
      ['µs', 0.001],
      ['micro', 0.001],
      ['micros', 0.001],
      ['microsecond', 0.001],
      ['microseconds', 0.001],
      ['ns', 0.000_001],
      ['nano', 0.000_001],
      ['nanos', 0.000_001],
      ['nanosecond', 0.000_001],
      ['nanoseconds', 0.000_001],
    ];
    for (const [unit, factor] of cases) assert.equal(parseDuration(`3 ${unit}`), 3 * factor, unit);
  });

  it('rejects us, which Flink does not accept either', () => {
    assert.throws(() => parseDuration('5 us'), /'us' is not a time unit/);
  });

  it('accepts ISO-8601 durations', () => {
    assert.equal(parseDuration('PT10S'), 10_000);
    assert.equal(parseDuration('pt1m'), 60_000);
    assert.equal(parseDuration('PT1H30M'), 5_400_000);
    assert.equal(parseDuration('P1DT2H'), 93_600_000);
    assert.equal(parseDuration('PT1.5S'), 1_500);
  });

  it('rejects negative and malformed ISO-8601 durations', () => {
    for (const text of ['-PT10S', 'P', 'PT', 'PT-1S', 'P1DT']) assert.throws(() => parseDuration(text), ConfigValueError, text);
  });

  it('strips surrounding quotes', () => {
    assert.equal(parseDuration('"10s"'), 10_000);
    assert.equal(parseDuration("'2 min'"), 120_000);
  });

  it('rejects decimals, words and unknown units with the accepted forms', () => {
    assert.throws(() => parseDuration('1.5s'), /'\.5s' is not a time unit/);
    assert.throws(
      () => parseDuration('ten'),
      (error: unknown) =>
        error instanceof ConfigValueError &&
        error.problem === "expected a duration such as '10 s', '500 ms', '1 min' (a bare number is milliseconds)",
    );
    assert.throws(() => parseDuration('10 fortnights'), /'fortnights' is not a time unit/);
    assert.throws(() => parseDuration(''), ConfigValueError);
  });

  it('rejects negative values unless they are allowed', () => {
    assert.throws(() => parseDuration('-1'), /negative durations are not accepted/);
    assert.equal(parseDuration('-1', { allowNegative: true }), -1);
    assert.equal(parseDuration('-5 s', { allowNegative: true }), -5_000);
  });

  it('rejects values too large for a number of milliseconds', () => {
    assert.throws(() => parseDuration('999999999999999999999 d'), /too large/);
  });
});

describe('formatDuration', () => {
  it('prints the largest exact unit', () => {
    assert.equal(formatDuration(30_000), '30 s');
    assert.equal(formatDuration(300_000), '5 min');
    assert.equal(formatDuration(3_600_000), '1 h');
    assert.equal(formatDuration(86_400_000), '1 d');
    assert.equal(formatDuration(1_500), '1500 ms');
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(-1), '-1 ms');
    assert.equal(formatDuration(0.5), '500 µs');
    assert.equal(formatDuration(0.000_25), '250 ns');
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 10_000, 90_000, 7_200_000, 172_800_000]) assert.equal(parseDuration(formatDuration(ms)), ms);
  });
});
