import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCheckpointsFromDirectory } from '../../../../src/jobmanager/checkpoint/checkpoint-directory-loader.js';
import { CompletedCheckpointStore } from '../../../../src/jobmanager/checkpoint/completed-checkpoint-store.js';
import { JOB_ID } from './testing-checkpoint-context.js';
import { captureLogs } from './testing-clock.js';
import { onDisk, tempDir } from './testing-state-files.js';

const logs = captureLogs();

describe('CompletedCheckpointStore', () => {
  it('keeps num-retained checkpoints, deleting subsumed checkpoint directories', async () => {
    const base = tempDir('store');
    const store = new CompletedCheckpointStore({ numRetained: 2 });
    const all = [await onDisk(base, 1), await onDisk(base, 2), await onDisk(base, 3)];
    assert.deepEqual(await store.add(all[0]!), []);
    assert.deepEqual(await store.add(all[1]!), []);
    const subsumed = await store.add(all[2]!);
    assert.deepEqual(
      subsumed.map((c) => c.id),
      [1],
    );
    assert.deepEqual(
      store.all().map((c) => c.id),
      [2, 3],
    );
    assert.equal(store.latest()?.id, 3);
    assert.equal(existsSync(all[0]!.directory!), false);
    assert.ok(existsSync(all[1]!.directory!) && existsSync(all[2]!.directory!));
  });

  it('never deletes savepoint files and always keeps the latest checkpoint', async () => {
    const base = tempDir('store-sp');
    const store = new CompletedCheckpointStore({ numRetained: 1 });
    const chk1 = await onDisk(base, 1);
    const sp2 = await onDisk(base, 2, 'SAVEPOINT');
    const sp3 = await onDisk(base, 3, 'SAVEPOINT');
    await store.add(chk1);
    assert.deepEqual(await store.add(sp2), [], 'the latest checkpoint stays beside a newer savepoint');
    assert.deepEqual(
      store.all().map((c) => c.id),
      [1, 2],
    );
    assert.deepEqual(
      (await store.add(sp3)).map((c) => c.id),
      [2],
    );
    assert.deepEqual(
      store.all().map((c) => c.id),
      [1, 3],
    );
    assert.ok(existsSync(sp2.directory!), 'a subsumed savepoint keeps its files');
    const chk4 = await onDisk(base, 4);
    assert.deepEqual(
      (await store.add(chk4)).map((c) => c.id),
      [1, 3],
    );
    assert.deepEqual(
      store.all().map((c) => c.id),
      [4],
    );
    assert.equal(existsSync(chk1.directory!), false);
    assert.ok(existsSync(sp3.directory!));
  });

  it('lets the savepoint that stopped the job subsume the latest checkpoint', async () => {
    const base = tempDir('store-sync');
    const store = new CompletedCheckpointStore({ numRetained: 1 });
    const chk1 = await onDisk(base, 1);
    await store.add(chk1);
    await store.add(await onDisk(base, 2, 'SYNC_SAVEPOINT'));
    assert.deepEqual(
      store.all().map((c) => c.id),
      [2],
    );
    assert.equal(existsSync(chk1.directory!), false);
  });

  it('markCorrupt falls back to the previous good checkpoint and keeps later scans from picking it', async () => {
    const base = tempDir('store-corrupt');
    const store = new CompletedCheckpointStore({ numRetained: 3 });
    for (const id of [1, 2, 3]) await store.add(await onDisk(base, id));
    const fallback = await store.markCorrupt(3, 'state file truncated at offset 0');
    assert.equal(fallback?.id, 2);
    assert.equal(store.latest()?.id, 2);
    assert.ok(
      logs.lines.some((line) => /Checkpoint 3 .* is corrupt .*state file truncated at offset 0.*falling back to checkpoint 2/.test(line)),
    );
    assert.match(readFileSync(join(base, JOB_ID, 'chk-3', '_corrupt'), 'utf8'), /truncated/);
    const loaded = await loadCheckpointsFromDirectory(base, JOB_ID);
    assert.deepEqual(
      loaded.checkpoints.map((c) => c.id),
      [1, 2],
    );
    assert.match(loaded.skipped[0]!.reason, /marked corrupt earlier \(state file truncated/);
    assert.equal((await store.markCorrupt(2, 'bad'))?.id, 1);
    assert.equal(await store.markCorrupt(1, 'bad'), undefined);
    assert.equal(store.latest(), undefined);
  });

  it('deletes retained checkpoints when the job ends as the retention policy says', async () => {
    for (const [retention, status, kept] of [
      ['NO_EXTERNALIZED_CHECKPOINTS', 'CANCELED', false],
      ['NO_EXTERNALIZED_CHECKPOINTS', 'FAILED', false],
      ['RETAIN_ON_CANCELLATION', 'CANCELED', true],
      ['RETAIN_ON_CANCELLATION', 'FINISHED', false],
      ['DELETE_ON_CANCELLATION', 'FAILED', true],
      ['DELETE_ON_CANCELLATION', 'CANCELED', false],
      ['NO_EXTERNALIZED_CHECKPOINTS', 'SUSPENDED', true],
    ] as const) {
      const base = tempDir('store-shutdown');
      const store = new CompletedCheckpointStore({ numRetained: 2, retention });
      const chk = await onDisk(base, 1);
      await store.add(chk);
      await store.shutdown(status);
      assert.equal(existsSync(chk.directory!), kept, `${retention} after ${status}`);
    }
  });

  it('recovers the good checkpoints of a directory', async () => {
    const base = tempDir('store-load');
    for (const id of [3, 5]) await onDisk(base, id);
    const loaded = await loadCheckpointsFromDirectory(base, JOB_ID);
    const store = CompletedCheckpointStore.of(loaded.checkpoints, { numRetained: 1 });
    assert.deepEqual(
      store.all().map((c) => c.id),
      [3, 5],
    );
    assert.equal(loaded.highestSeenId, 5);
    await store.add(await onDisk(base, 6));
    assert.deepEqual(
      store.all().map((c) => c.id),
      [6],
    );
    assert.equal(existsSync(join(base, JOB_ID, 'chk-3')), false);
  });
});
