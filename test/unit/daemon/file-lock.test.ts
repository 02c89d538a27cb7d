import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { withFileLock, type LockTiming } from '../../../src/daemon/file-lock.js';
import { deadPid } from '../../helpers/dead-pid.js';

/** Lock timing that retries at once on a virtual clock and calls `then` after `count` retries. */
function retriesThen(count: number, then: () => void): LockTiming {
  let retries = 0;
  let now = 0;
  return {
    now: () => now,
    wait: (ms) => {
      now += ms;
      if (++retries === count) then();
      return Promise.resolve();
    },
  };
}

describe('withFileLock', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsf-lock-'));
  let counter = 0;
  const freshLock = (): string => join(root, `lock-${counter++}`);
  after(() => rmSync(root, { recursive: true, force: true }));

  it('holds a lock file with our pid while the action runs, and removes it afterwards', async () => {
    const lock = freshLock();
    const seen = await withFileLock(lock, () => readFileSync(lock, 'utf8'));
    assert.equal(seen, String(process.pid));
    assert.equal(existsSync(lock), false);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const lock = freshLock();
    writeFileSync(lock, String(deadPid()));
    assert.equal(await withFileLock(lock, () => 'ran'), 'ran');
    assert.equal(existsSync(lock), false);
  });

  it('waits for a lock whose owner is alive, and runs once it is released', async () => {
    const lock = freshLock();
    writeFileSync(lock, String(process.pid));
    let ran = false;
    await withFileLock(
      lock,
      () => {
        ran = true;
      },
      retriesThen(5, () => {
        assert.equal(ran, false, 'a live owner keeps the lock through every retry');
        unlinkSync(lock);
      }),
    );
    assert.equal(ran, true);
  });

  it('does not treat an empty lock file (owner between open and write) as stale', async () => {
    const lock = freshLock();
    writeFileSync(lock, '');
    let ran = false;
    await withFileLock(
      lock,
      () => {
        ran = true;
      },
      retriesThen(5, () => {
        assert.equal(ran, false, 'an empty lock file is not stale');
        writeFileSync(lock, String(deadPid()));
      }),
    );
    assert.equal(ran, true);
  });

  it('never lets two sections overlap', async () => {
    const lock = freshLock();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withFileLock(lock, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setImmediate(resolve)); // hold the lock across a turn of the event loop
          inside--;
        }),
      ),
    );
    assert.equal(maxInside, 1);
  });

  it('releases the lock when the action throws', async () => {
    const lock = freshLock();
    await assert.rejects(
      withFileLock(lock, () => {
        throw new Error('inside');
      }),
      /inside/,
    );
    assert.equal(existsSync(lock), false);
    assert.equal(await withFileLock(lock, () => 2), 2);
  });
});
