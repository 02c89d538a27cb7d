import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { TsFlinkError } from '../core/errors.js';
import { isProcessAlive } from './process-control.js';

const RETRY_MS = 10;
const GIVE_UP_MS = 30_000;

/** How a waiting lock passes time: real timers, or a test's own. */
export interface LockTiming {
  now(): number;
  wait(ms: number): Promise<void>;
}

const REAL_TIMING: LockTiming = { now: () => Date.now(), wait: (ms) => sleep(ms) };

/**
 * Runs `action` holding an exclusive lock file (Flink's scripts flock the pid directory). The file
 * holds the owner's pid, so a lock left by a crashed process is taken over instead of blocking forever.
 */
export async function withFileLock<T>(lockPath: string, action: () => Promise<T> | T, timing: LockTiming = REAL_TIMING): Promise<T> {
  const started = timing.now();
  for (;;) {
    if (tryAcquire(lockPath)) break;
    if (timing.now() - started > GIVE_UP_MS) {
      throw new TsFlinkError('LOCK_TIMEOUT', `Could not lock ${lockPath} within ${GIVE_UP_MS / 1000} s.`, {
        suggestion: 'Another start or stop may be hanging; remove the lock file if no such process exists.',
      });
    }
    await timing.wait(RETRY_MS);
  }
  try {
    return await action();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone: taken over as stale by someone who thought we died.
    }
  }
}

function tryAcquire(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  removeIfStale(lockPath);
  return false;
}

function removeIfStale(lockPath: string): void {
  let owner: number;
  try {
    owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
  } catch {
    return;
  }
  // An empty file means its writer is between open and write; only a dead owner makes it stale.
  if (Number.isInteger(owner) && owner > 0 && !isProcessAlive(owner)) {
    try {
      unlinkSync(lockPath);
    } catch {
      // Someone else removed it first.
    }
  }
}
