import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CompletedCheckpointStore } from '../../../../src/jobmanager/checkpoint/completed-checkpoint-store.js';
import type { CompletedCheckpoint } from '../../../../src/jobmanager/checkpoint/completed-checkpoint.js';
import { removeOrphanCheckpoints } from '../../../../src/jobmanager/checkpoint/orphan-checkpoints.js';
import { SharedStateRegistry } from '../../../../src/jobmanager/checkpoint/shared-state-registry.js';
import { MIN_SPARE_BYTES, SpareSnapshotFiles, spareDirectoryOf } from '../../../../src/jobmanager/checkpoint/spare-snapshot-files.js';
import type { StateSlice } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { asOperatorId, asVertexId } from '../../../helpers/ids.js';
import { JOB_ID } from './testing-checkpoint-context.js';
import { captureLogs } from './testing-clock.js';
import { tempDir } from './testing-state-files.js';

captureLogs();

/** A shared file `shared/chk-<writtenBy>/<name>` of the job, on disk. */
function sharedFile(base: string, writtenBy: number, name = 'v-0-0', content: string | Buffer = 'state'): string {
  const directory = join(base, JOB_ID, 'shared', `chk-${writtenBy}`);
  mkdirSync(directory, { recursive: true });
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

/** A completed incremental checkpoint whose one key group is `base` plus `deltas`, each a shared file. */
function incremental(baseDir: string, id: number, base: string, deltas: readonly string[] = []): CompletedCheckpoint {
  const directory = join(baseDir, JOB_ID, `chk-${id}`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, '_metadata'), '{}');
  const slice = (path: string): StateSlice => ({ kind: 'file', path, offset: 0, length: 5, crc32: 0 });
  return {
    jobId: JOB_ID,
    id,
    kind: 'CHECKPOINT',
    triggerTimestamp: id,
    completionTimestamp: id,
    vertices: [],
    operators: [
      {
        operatorId: asOperatorId('op'),
        vertexId: asVertexId('v'),
        parallelism: 1,
        maxParallelism: 128,
        subtaskStates: [{ operatorId: asOperatorId('op'), keyGroups: { start: 0, slices: [slice(base)], deltas: [deltas.map(slice)] } }],
      },
    ],
    externalPath: `file:${directory}`,
    directory,
    stateSize: 5 * (1 + deltas.length),
  };
}

describe('SharedStateRegistry', () => {
  it('keeps a shared file while a retained checkpoint references it, and deletes it with the last reference', async () => {
    const base = tempDir('shared');
    const store = new CompletedCheckpointStore({ numRetained: 1 });
    const base1 = sharedFile(base, 1);
    const delta2 = sharedFile(base, 2);
    const base3 = sharedFile(base, 3);
    const chk1 = incremental(base, 1, base1);
    const chk2 = incremental(base, 2, base1, [delta2]);
    const chk3 = incremental(base, 3, base3);

    await store.add(chk1);
    assert.equal(store.sharedState.referenceCount(base1), 1);
    await store.add(chk2); // subsumes 1, whose base 2 still uses
    assert.equal(existsSync(chk1.directory!), false, 'the subsumed checkpoint directory goes');
    assert.ok(existsSync(base1), 'its shared base survives');
    assert.equal(store.sharedState.referenceCount(base1), 1);
    assert.deepEqual(store.sharedState.missingFiles(chk2), []);

    await store.add(chk3); // rebased: nothing of 1 or 2 is referenced any more
    assert.equal(existsSync(base1), false);
    assert.equal(existsSync(delta2), false);
    assert.equal(existsSync(join(base, JOB_ID, 'shared', 'chk-1')), false, 'an emptied shared/chk-<n> directory goes too');
    assert.ok(existsSync(base3));
    // A late checkpoint still building on 1's base must not complete.
    assert.deepEqual(store.sharedState.missingFiles(incremental(base, 4, base1)), [base1]);

    await store.shutdown('FINISHED');
    assert.equal(existsSync(base3), false);
    assert.equal(existsSync(chk3.directory!), false);
  });

  it('keeps every checkpoint when the job ends retaining them', async () => {
    const base = tempDir('shared-retain');
    const store = new CompletedCheckpointStore({ numRetained: 2, retention: 'RETAIN_ON_CANCELLATION' });
    const base1 = sharedFile(base, 1);
    await store.add(incremental(base, 1, base1));
    await store.add(incremental(base, 2, base1, [sharedFile(base, 2)]));
    await store.shutdown('CANCELED');
    assert.ok(existsSync(base1));
  });

  it('a recovered store counts the references of the checkpoints it recovers', async () => {
    const base = tempDir('shared-recover');
    const base1 = sharedFile(base, 1);
    const store = CompletedCheckpointStore.of([incremental(base, 1, base1), incremental(base, 2, base1)], { numRetained: 2 });
    assert.equal(store.sharedState.referenceCount(base1), 2);
    await store.add(incremental(base, 3, sharedFile(base, 3)));
    assert.ok(existsSync(base1), 'still referenced by checkpoint 2');
  });

  it('orphan clean-up removes the shared files of checkpoints that never completed, not referenced ones', async () => {
    const base = tempDir('shared-orphans');
    const referenced = sharedFile(base, 1, 'v-0-0');
    const unreferencedBeside = sharedFile(base, 1, 'v-1-0');
    const aborted = sharedFile(base, 2);
    const registry = new SharedStateRegistry();
    registry.register(incremental(base, 3, referenced));
    const removed = await removeOrphanCheckpoints(base, JOB_ID, {
      keep: new Set([3]),
      below: 4,
      onlyIncomplete: false,
      sharedReferenced: registry.referenced(),
    });
    assert.ok(existsSync(referenced));
    assert.equal(existsSync(unreferencedBeside), false);
    assert.equal(existsSync(aborted), false);
    assert.ok(removed.includes(2));
  });

  it('counts nothing for a savepoint or an in-memory checkpoint', () => {
    const base = tempDir('shared-none');
    const chk = incremental(base, 1, sharedFile(base, 1));
    assert.deepEqual(SharedStateRegistry.sharedFilesOf({ ...chk, kind: 'SAVEPOINT' }), []);
    assert.deepEqual(SharedStateRegistry.sharedFilesOf({ ...chk, directory: undefined }), []);
    assert.equal(SharedStateRegistry.sharedFilesOf(chk).length, 1);
  });

  it('makes a shared file no retained checkpoint references a spare when its store recycles files', async () => {
    const base = tempDir('shared-spares');
    const spares = new SpareSnapshotFiles(spareDirectoryOf(base, JOB_ID));
    const store = new CompletedCheckpointStore({ numRetained: 1, spares });
    const base1 = sharedFile(base, 1, 'v-0-0', Buffer.alloc(MIN_SPARE_BYTES));
    const delta2 = sharedFile(base, 2, 'v-0-0', Buffer.alloc(MIN_SPARE_BYTES));
    const base3 = sharedFile(base, 3, 'v-0-0', Buffer.alloc(MIN_SPARE_BYTES));
    await store.add(incremental(base, 1, base1));
    await store.add(incremental(base, 2, base1, [delta2]));
    assert.deepEqual(await spares.list(), [], 'checkpoint 2 still references every file');
    await store.add(incremental(base, 3, base3));
    assert.deepEqual(await spares.list(), ['3~chk-1-v-0-0', '3~chk-2-v-0-0']);
    assert.equal(existsSync(join(base, JOB_ID, 'shared', 'chk-1')) || existsSync(join(base, JOB_ID, 'shared', 'chk-2')), false);
    assert.ok(existsSync(base3));
  });
});
