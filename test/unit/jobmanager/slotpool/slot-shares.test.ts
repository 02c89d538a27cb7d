import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { divideSlots } from '../../../../src/jobmanager/slotpool/slot-shares.js';
import { asJobId } from '../../../helpers/ids.js';

const job = (jobId: string, weight: number, desired = weight, minimum = 1) => ({ jobId: asJobId(jobId), weight, desired, minimum });
const shares = (pool: number, ...jobs: Array<ReturnType<typeof job>>): Record<string, number> =>
  Object.fromEntries(divideSlots(pool, jobs));

describe('dividing the slots of a session cluster between elastic jobs', () => {
  it('gives a job alone everything it can use, and no more', () => {
    assert.deepEqual(shares(6, job('a', 128, 4)), { a: 4 });
    assert.deepEqual(shares(6, job('a', 128)), { a: 6 });
  });

  it('splits fairly between equal jobs, and by max parallelism between unequal ones', () => {
    assert.deepEqual(shares(6, job('a', 128), job('b', 128)), { a: 3, b: 3 });
    assert.deepEqual(shares(9, job('a', 128), job('b', 128), job('c', 128)), { a: 3, b: 3, c: 3 });
    assert.deepEqual(shares(8, job('a', 6), job('b', 2)), { a: 6, b: 2 });
    assert.deepEqual(shares(4, job('a', 30), job('b', 10)), { a: 3, b: 1 });
  });

  it('lets what one job cannot use flow to the others', () => {
    assert.deepEqual(shares(10, job('a', 128, 2), job('b', 128)), { a: 2, b: 8 });
  });

  it('hands out the last slots one by one, heaviest first, and never more than the pool', () => {
    const divided = shares(7, job('a', 128), job('b', 256), job('c', 128));
    assert.equal(
      Object.values(divided).reduce((a, b) => a + b, 0),
      7,
    );
    assert.ok(divided['b']! >= divided['a']! && divided['b']! >= divided['c']!);
  });

  it('keeps the minimum of earlier jobs: a job whose minimum does not fit waits with nothing', () => {
    assert.deepEqual(shares(3, job('a', 128, 8, 2), job('b', 128, 8, 2)), { a: 3, b: 0 });
    assert.deepEqual(shares(0, job('a', 128)), { a: 0 });
  });
});
