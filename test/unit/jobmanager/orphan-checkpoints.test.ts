import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { removeOrphanCheckpoints } from '../../../src/jobmanager/checkpoint/orphan-checkpoints.js';
import { asJobId } from '../../helpers/ids.js';

const JOB = asJobId('0123456789abcdef0123456789abcdef');

describe('orphaned checkpoint directories', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'tsf-orphans-'));
    // chk-1 and chk-3 completed (they have _metadata), chk-2 and chk-4 did not, chk-9 is being taken now.
    for (const id of [1, 2, 3, 4, 9]) mkdirSync(join(base, JOB, `chk-${id}`), { recursive: true });
    for (const id of [1, 3]) writeFileSync(join(base, JOB, `chk-${id}`, '_metadata'), 'x');
    mkdirSync(join(base, JOB, 'shared'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const left = (): string[] => readdirSync(join(base, JOB)).sort();

  it('on recovery, removes only what never completed, below the next id', async () => {
    assert.deepEqual(await removeOrphanCheckpoints(base, JOB, { keep: new Set([3]), below: 5, onlyIncomplete: true }), [2, 4]);
    assert.deepEqual(left(), ['chk-1', 'chk-3', 'chk-9', 'shared']);
  });

  it('at the end of the job, removes everything the store does not retain, below the next id', async () => {
    assert.deepEqual(await removeOrphanCheckpoints(base, JOB, { keep: new Set([3]), below: 9, onlyIncomplete: false }), [1, 2, 4]);
    assert.deepEqual(left(), ['chk-3', 'chk-9', 'shared']);
  });

  it('does nothing for a job without a directory', async () => {
    assert.deepEqual(
      await removeOrphanCheckpoints(base, asJobId('ffffffffffffffffffffffffffffffff'), {
        keep: new Set(),
        below: 100,
        onlyIncomplete: false,
      }),
      [],
    );
  });
});
