import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CompletedCheckpointStore } from '../../../../src/jobmanager/checkpoint/completed-checkpoint-store.js';
import { MIN_SPARE_BYTES, SpareSnapshotFiles, spareDirectoryOf } from '../../../../src/jobmanager/checkpoint/spare-snapshot-files.js';
import { JOB_ID } from './testing-checkpoint-context.js';
import { captureLogs } from './testing-clock.js';
import { onDisk, tempDir } from './testing-state-files.js';

captureLogs();

/** A snapshot file of `bytes` bytes at `<directory>/<name>`, filled with `fill`. */
function snapshotFile(directory: string, name: string, bytes: number, fill = 1): string {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, name);
  writeFileSync(path, Buffer.alloc(bytes, fill));
  return path;
}

describe('SpareSnapshotFiles', () => {
  it('keeps large files as spares tagged with the completed checkpoint, and deletes small ones', async () => {
    const base = tempDir('spares');
    const spares = new SpareSnapshotFiles(spareDirectoryOf(base, JOB_ID));
    const big = snapshotFile(join(base, JOB_ID, 'chk-4'), 'v-0-0', MIN_SPARE_BYTES, 9);
    const small = snapshotFile(join(base, JOB_ID, 'chk-4'), 'v-1-0', MIN_SPARE_BYTES - 1);
    await spares.give(big, 5);
    await spares.give(small, 5);
    await spares.give(join(base, 'never-there'), 5);
    assert.deepEqual(await spares.list(), ['5~chk-4-v-0-0']);
    assert.equal(existsSync(big) || existsSync(small), false, 'both left the checkpoint directory');
    assert.deepEqual(readFileSync(join(spares.directory, '5~chk-4-v-0-0')), Buffer.alloc(MIN_SPARE_BYTES, 9), 'moved, not copied or cut');
    assert.equal(statSync(spares.directory).mode & 0o777, 0o700, 'the spare directory is private to the user');
  });

  it('deletes spares the two checkpoints after them did not take, and keeps the rest', async () => {
    const base = tempDir('spares-expire');
    const spares = new SpareSnapshotFiles(spareDirectoryOf(base, JOB_ID));
    const give = (writtenBy: number, name: string, completedId: number): Promise<void> =>
      spares.give(snapshotFile(join(base, JOB_ID, `chk-${writtenBy}`), name, MIN_SPARE_BYTES), completedId);
    await give(1, 'v-0-0', 2);
    await give(1, 'v-1-0', 2);
    assert.deepEqual(await spares.list(), ['2~chk-1-v-0-0', '2~chk-1-v-1-0']);
    // Checkpoint 3 was triggered before they moved in and took none; checkpoint 4 may still take them.
    await give(2, 'v-0-0', 3);
    await give(2, 'v-1-0', 3);
    assert.deepEqual(await spares.list(), ['2~chk-1-v-0-0', '2~chk-1-v-1-0', '3~chk-2-v-0-0', '3~chk-2-v-1-0']);
    // Checkpoint 4 took one of checkpoint 1's (a subtask renames it away); the other is deleted at its completion.
    renameSync(join(spares.directory, '2~chk-1-v-1-0'), join(base, 'taken-by-4'));
    await give(3, 'v-0-0', 4);
    assert.deepEqual(await spares.list(), ['3~chk-2-v-0-0', '3~chk-2-v-1-0', '4~chk-3-v-0-0']);
    await spares.clear();
    assert.equal(existsSync(spares.directory), false);
  });

  it('turns a subsumed checkpoint into spares in the store, but deletes what the job leaves when it ends', async () => {
    const base = tempDir('spares-store');
    const spares = new SpareSnapshotFiles(spareDirectoryOf(base, JOB_ID));
    const store = new CompletedCheckpointStore({ numRetained: 1, spares });
    const checkpoints = [await onDisk(base, 1), await onDisk(base, 2)];
    for (const checkpoint of checkpoints) snapshotFile(checkpoint.directory!, 'v-0-0', MIN_SPARE_BYTES);
    await store.add(checkpoints[0]!);
    assert.deepEqual(await spares.list(), []);
    await store.add(checkpoints[1]!);
    assert.equal(existsSync(checkpoints[0]!.directory!), false, 'the subsumed checkpoint directory is gone, _metadata with it');
    assert.deepEqual(await spares.list(), ['2~chk-1-v-0-0']);
    await store.shutdown('FINISHED');
    assert.equal(existsSync(checkpoints[1]!.directory!), false);
    assert.deepEqual(await spares.list(), ['2~chk-1-v-0-0'], "the job's end makes no spares; its clean-up clears the pool");
    assert.deepEqual(readdirSync(join(base, JOB_ID)).sort(), ['taskowned']);
  });
});
