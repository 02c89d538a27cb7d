import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateWindow } from '../../../src/metrics/rate-window.js';

describe('RateWindow', () => {
  it('is 0 until two samples exist', () => {
    const window = new RateWindow(5_000);
    assert.equal(window.rate(), 0);
    window.record(0, 100);
    assert.equal(window.rate(), 0);
  });

  it('gives the increase per second between the oldest and newest sample', () => {
    const window = new RateWindow(5_000);
    for (let second = 0; second <= 3; second++) window.record(second * 1000, second * 250);
    assert.equal(window.rate(), 250);
  });

  it('forgets what lies before the window, so a change shows within the window', () => {
    const window = new RateWindow(5_000);
    for (let second = 0; second <= 10; second++) window.record(second * 1000, second * 1000);
    assert.equal(window.rate(), 1000);
    // The counter stops: after one window the rate is 0, not an average over the whole history.
    for (let second = 11; second <= 16; second++) window.record(second * 1000, 10_000);
    assert.equal(window.rate(), 0);
    for (let second = 17; second <= 18; second++) window.record(second * 1000, 10_000 + (second - 16) * 500);
    assert.ok(window.rate() > 0 && window.rate() < 500, `partly into a new rate: ${window.rate()}`);
  });

  it('keeps working when samples come faster than the capacity for one window', () => {
    const window = new RateWindow(5_000);
    for (let ms = 0; ms <= 100; ms += 1) window.record(ms, ms * 2);
    assert.equal(window.rate(), 2000);
  });
});
