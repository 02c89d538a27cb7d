import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { daemonLogFiles, rotateLog } from '../../../src/daemon/log-files.js';

describe('rotateLog', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsf-log-'));
  let counter = 0;
  const freshDir = (): string => join(root, `case-${counter++}`);
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Simulates `starts` daemon starts, each rotating and then writing a new .log. */
  const startTimes = (log: string, starts: number, keep: number): void => {
    for (let n = 1; n <= starts; n++) {
      rotateLog(log, keep);
      writeFileSync(log, `run ${n}`);
    }
  };

  it('shifts x.log to x.log.1, x.log.1 to x.log.2, and keeps only N old files', () => {
    const dir = freshDir();
    const log = join(dir, 'flink-tester-taskexecutor-0-host.log');
    startTimes(log, 6, 3);
    assert.equal(readFileSync(log, 'utf8'), 'run 6');
    assert.equal(readFileSync(`${log}.1`, 'utf8'), 'run 5');
    assert.equal(readFileSync(`${log}.2`, 'utf8'), 'run 4');
    assert.equal(readFileSync(`${log}.3`, 'utf8'), 'run 3');
    assert.deepEqual(
      readdirSync(dir).sort(),
      ['.log', '.log.1', '.log.2', '.log.3'].map((s) => `flink-tester-taskexecutor-0-host${s}`),
    );
  });

  it('fills the gaps of a history shorter than N', () => {
    const dir = freshDir();
    const log = join(dir, 'x.log');
    startTimes(log, 2, 5);
    assert.equal(readFileSync(`${log}.1`, 'utf8'), 'run 1');
    assert.equal(existsSync(`${log}.2`), false);
  });

  it('keeps no old file at all with N = 0', () => {
    const dir = freshDir();
    const log = join(dir, 'x.log');
    startTimes(log, 3, 0);
    assert.deepEqual(readdirSync(dir), ['x.log']);
    assert.equal(readFileSync(log, 'utf8'), 'run 3');
  });

  it('creates the log directory and does nothing else when there is no log yet', () => {
    const dir = join(freshDir(), 'nested', 'log');
    rotateLog(join(dir, 'x.log'), 5);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('names the .log and .out files of a daemon instance from one prefix', () => {
    assert.deepEqual(daemonLogFiles('/l/flink-u-standalonejob-0-h'), {
      log: '/l/flink-u-standalonejob-0-h.log',
      out: '/l/flink-u-standalonejob-0-h.out',
    });
  });
});
