import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { readCompletedCheckpoint } from '../../../../src/jobmanager/checkpoint/checkpoint-directory-loader.js';
import { FileCheckpointStorage, MemoryCheckpointStorage } from '../../../../src/jobmanager/checkpoint/checkpoint-storage.js';
import { readSlice } from '../../../../src/taskmanager/checkpoint/restore-resolver.js';
import { coordinatorHarness, type CoordinatorHarness } from './testing-coordinator.js';
import { captureLogs, settle, waitFor } from './testing-clock.js';
import { payload, tempDir, writeAndAck } from './testing-state-files.js';

captureLogs();

async function answerWithFiles(h: CoordinatorHarness, directory: string, id: number): Promise<void> {
  await waitFor(() => h.context.triggers().some((t) => t.checkpointId === id), `checkpoint ${id} to be triggered`);
  for (const task of h.context.tasks) h.coordinator.receiveAcknowledge(await writeAndAck(h.context, directory, task, id));
}

describe('savepoints', () => {
  it('refuses a savepoint without a target when no default directory is configured', async () => {
    const h = coordinatorHarness();
    await assert.rejects(h.coordinator.triggerSavepoint(undefined, 'SAVEPOINT'), {
      message: 'No savepoint location given and no default location configured.',
    });
    assert.equal(h.context.triggers().length, 0);
  });

  it('writes a self-contained savepoint that survives the subsumption of every checkpoint', async () => {
    const checkpoints = tempDir('sp-chk');
    const savepoints = tempDir('sp-target');
    const h = coordinatorHarness({
      storage: new FileCheckpointStorage(checkpoints),
      settings: { numRetained: 1, savepointDirectory: savepoints },
    });
    const first = h.coordinator.triggerCheckpoint();
    await answerWithFiles(h, checkpoints, 1);
    await first;

    const pendingCheckpoint = h.coordinator.triggerCheckpoint();
    await waitFor(() => h.context.triggers().some((t) => t.checkpointId === 2), 'checkpoint 2');
    const savepointDone = h.coordinator.triggerSavepoint(undefined, 'SAVEPOINT'); // forced past max-concurrent 1
    await answerWithFiles(h, checkpoints, 3);
    const savepoint = await savepointDone;
    assert.deepEqual(
      h.context
        .triggers()
        .filter((t) => t.checkpointId === 3)
        .map((t) => t.kind),
      ['SAVEPOINT', 'SAVEPOINT'],
    );
    assert.equal(savepoint.kind, 'SAVEPOINT');
    const directory = savepoint.directory!;
    assert.equal(dirname(directory), savepoints);
    assert.match(basename(directory), /^savepoint-a1b2c3-[0-9a-f]{12}$/);
    assert.equal(savepoint.externalPath, `file:${directory}`);
    assert.equal(h.coordinator.numberOfPendingCheckpoints, 1, 'a savepoint does not subsume the pending checkpoint 2');
    for (const task of h.context.tasks) assert.deepEqual(task.completed, [1], 'a plain savepoint commits nothing');
    assert.deepEqual(
      h.store.all().map((c) => c.id),
      [1],
    );
    assert.deepEqual(readdirSync(directory).sort(), ['_metadata', 'map-0-0', 'map-1-0', 'source-0-0', 'source-1-0']);
    await waitFor(
      () => !existsSync(join(checkpoints, h.context.jobId, 'chk-3')),
      'the task-written savepoint files to be removed from chk-3',
    );

    await answerWithFiles(h, checkpoints, 2);
    await pendingCheckpoint;
    for (const id of [4, 5]) {
      const done = h.coordinator.triggerCheckpoint();
      await answerWithFiles(h, checkpoints, id);
      await done;
    }
    await waitFor(() => !existsSync(join(checkpoints, h.context.jobId, 'chk-4')), 'old checkpoints to be subsumed');
    assert.deepEqual(
      h.store.all().map((c) => c.id),
      [5],
    );
    const reloaded = await readCompletedCheckpoint(join(directory, '_metadata'));
    assert.equal(reloaded.id, 3);
    assert.equal(reloaded.kind, 'SAVEPOINT');
    const stateful = reloaded.operators.filter((operator) => operator.subtaskStates.some((handle) => handle !== undefined));
    assert.deepEqual(
      stateful.map((operator) => operator.operatorId),
      ['op-source', 'op-map'],
    );
    for (const operator of stateful) {
      for (const [index, handle] of operator.subtaskStates.entries()) {
        const slice = handle!.keyGroups!.slices[0]!;
        assert.equal(slice.kind === 'file' && dirname(slice.path), directory, 'every file slice points inside the savepoint');
        const task = h.context.tasks.find((t) => t.vertexId === operator.vertexId && t.subtaskIndex === index)!;
        assert.deepEqual(Buffer.from(await readSlice(slice)), Buffer.from(payload(task, 3)));
      }
    }
    const stats = h.stats.renderCheckpointingStatistics();
    assert.equal((stats.latest.savepoint as { id: number }).id, 3);
    assert.equal((stats.latest.savepoint as { external_path: string }).external_path, `file:${directory}`);
    assert.equal((stats.latest.completed as { id: number }).id, 5);
  });

  it('stores inline state base64 in the savepoint metadata when checkpoints live in memory', async () => {
    const target = tempDir('sp-memory');
    const h = coordinatorHarness({ storage: new MemoryCheckpointStorage() });
    const done = h.coordinator.triggerSavepoint(target, 'SYNC_SAVEPOINT');
    await settle();
    assert.deepEqual([...new Set(h.context.triggers().map((t) => t.kind))], ['SYNC_SAVEPOINT']);
    for (const task of h.context.tasks) h.coordinator.receiveAcknowledge(h.context.ack(task, 1));
    const savepoint = await done;
    const metadata = readFileSync(join(savepoint.directory!, '_metadata'), 'utf8');
    assert.match(metadata, new RegExp(`"inline":"${Buffer.from([1, 1]).toString('base64')}"`));
    const reloaded = await readCompletedCheckpoint(savepoint.directory!);
    assert.equal(reloaded.kind, 'SYNC_SAVEPOINT');
    const entry = reloaded.operators.find((o) => o.operatorId === 'op-map')!.subtaskStates[1]!.listStates![0]!.entries[0]!;
    assert.equal(entry.kind, 'inline');
    assert.deepEqual([...(entry as { bytes: Uint8Array }).bytes], [1, 1]);
    assert.equal(h.store.latest(), undefined, 'as in Flink, a savepoint does not join the checkpoint store');
    for (const task of h.context.tasks) assert.deepEqual(task.completed, [1], 'the savepoint that stops the job commits side effects');
  });
});
