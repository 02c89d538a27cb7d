import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeFileAtomically } from '../../../../src/jobmanager/checkpoint/atomic-file-writer.js';
import { loadCheckpointsFromDirectory } from '../../../../src/jobmanager/checkpoint/checkpoint-directory-loader.js';
import { CheckpointError } from '../../../../src/jobmanager/checkpoint/checkpoint-failure.js';
import { decodeCheckpointMetadata } from '../../../../src/jobmanager/checkpoint/checkpoint-metadata.js';
import { FileCheckpointStorage } from '../../../../src/jobmanager/checkpoint/checkpoint-storage.js';
import { readSlice } from '../../../../src/taskmanager/checkpoint/restore-resolver.js';
import { coordinatorHarness, type CoordinatorHarness } from './testing-coordinator.js';
import { captureLogs, waitFor } from './testing-clock.js';
import { payload, tempDir, writeAndAck } from './testing-state-files.js';

captureLogs();

async function completeWithFiles(h: CoordinatorHarness, directory: string, id: number): Promise<void> {
  await waitFor(() => h.context.triggers().some((t) => t.checkpointId === id), `checkpoint ${id} to be triggered`);
  for (const task of h.context.tasks) h.coordinator.receiveAcknowledge(await writeAndAck(h.context, directory, task, id));
}

describe('atomic metadata writes', () => {
  it('leaves no target file when it stops before the rename', async () => {
    const dir = tempDir('atomic');
    const target = join(dir, '_metadata');
    let tempSeen = '';
    await assert.rejects(
      writeFileAtomically(target, new Uint8Array([1, 2, 3]), {
        beforeRename: (temp) => {
          tempSeen = readFileSync(temp).toString('hex');
          throw new Error('simulated crash');
        },
      }),
      /simulated crash/,
    );
    assert.equal(tempSeen, '010203', 'the temporary file was complete before the rename');
    assert.equal(existsSync(target), false);
    await writeFileAtomically(target, new Uint8Array([4, 5]));
    assert.deepEqual([...readFileSync(target)], [4, 5]);
    assert.deepEqual(readdirSync(dir), ['_metadata'], 'no temporary file left behind');
  });
});

describe('finalizing checkpoints on the file system', () => {
  it('writes _metadata last, after every state file, and only then reports completion', async () => {
    const dir = tempDir('finalize');
    const observations: string[] = [];
    let h: CoordinatorHarness | undefined;
    const storage = new FileCheckpointStorage(dir, {
      writeMetadata: (path, bytes) =>
        writeFileAtomically(path, bytes, {
          beforeRename: () => {
            const chk = join(dir, h!.context.jobId, 'chk-1');
            const stateFiles = readdirSync(chk).filter((name) => !name.startsWith('.'));
            observations.push(
              `files:${stateFiles.length}`,
              `metadata:${existsSync(path)}`,
              `completed:${h!.completed.length}`,
              `notified:${h!.context.tasks[0]!.completed.length}`,
            );
          },
        }),
    });
    h = coordinatorHarness({ storage, settings: { storage: { kind: 'filesystem', directory: dir } } });
    const done = h.coordinator.triggerCheckpoint();
    await waitFor(() => h.context.triggers().length > 0, 'the trigger');
    assert.ok(existsSync(join(dir, h.context.jobId, 'chk-1')), 'the location exists before tasks write');
    assert.ok(existsSync(join(dir, h.context.jobId, 'shared')) && existsSync(join(dir, h.context.jobId, 'taskowned')));
    await completeWithFiles(h, dir, 1);
    const checkpoint = await done;
    assert.deepEqual(observations, ['files:4', 'metadata:false', 'completed:0', 'notified:0']);
    const chk = join(dir, h.context.jobId, 'chk-1');
    assert.equal(checkpoint.externalPath, `file:${chk}`);
    assert.deepEqual(readdirSync(chk).sort(), ['_metadata', 'map-0-0', 'map-1-0', 'source-0-0', 'source-1-0']);
    const decoded = decodeCheckpointMetadata(readFileSync(join(chk, '_metadata')), chk);
    assert.equal(decoded.id, 1);
    assert.deepEqual(decoded.operators, checkpoint.operators);
    const slice = decoded.operators.find((o) => o.operatorId === 'op-map')!.subtaskStates[1]!.keyGroups!.slices[0]!;
    assert.deepEqual(Buffer.from(await readSlice(slice)), Buffer.from(payload(h.context.tasks[3]!, 1)));
    assert.match(readFileSync(join(chk, '_metadata'), 'utf8'), /"file":"map-1-0"/, 'files inside the checkpoint are referenced relatively');
  });

  it('fails the checkpoint, not the JobManager, when the metadata write dies before the rename; the directory stays partial', async () => {
    const dir = tempDir('crash');
    const storage = new FileCheckpointStorage(dir, {
      writeMetadata: (path, bytes) =>
        writeFileAtomically(path, bytes, {
          beforeRename: () => {
            throw new Error('simulated crash');
          },
        }),
    });
    const h = coordinatorHarness({ storage, settings: { tolerableFailures: 5 } });
    const done = h.coordinator.triggerCheckpoint();
    await completeWithFiles(h, dir, 1);
    await assert.rejects(done, (error: unknown) => error instanceof CheckpointError && error.reason === 'FINALIZE_CHECKPOINT_FAILURE');
    assert.equal(h.store.latest(), undefined);
    for (const task of h.context.tasks) assert.deepEqual(task.aborted, [1]);
    await waitFor(() => !existsSync(join(dir, h.context.jobId, 'chk-1')), 'the failed location to be removed');

    // What a real crash leaves: state files and a temporary metadata file, never `_metadata`.
    const crashed = join(dir, h.context.jobId, 'chk-2');
    mkdirSync(crashed, { recursive: true });
    writeFileSync(join(crashed, 'source-0-0'), 'state');
    writeFileSync(join(crashed, '._metadata.inprogress-abcdef'), '{"format":');
    const loaded = await loadCheckpointsFromDirectory(dir, h.context.jobId);
    assert.equal(loaded.checkpoints.length, 0);
    assert.match(loaded.skipped[0]!.reason, /no _metadata/);
  });

  it('fails a checkpoint whose metadata hits ENOSPC, and the coordinator keeps working', async () => {
    const dir = tempDir('enospc');
    let full = true;
    const storage = new FileCheckpointStorage(dir, {
      writeMetadata: async (path, bytes) => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await writeFileAtomically(path, bytes);
      },
    });
    const h = coordinatorHarness({ storage, settings: { tolerableFailures: 1 } });
    const first = h.coordinator.triggerCheckpoint();
    await completeWithFiles(h, dir, 1);
    await assert.rejects(first, (error: unknown) => error instanceof CheckpointError && /ENOSPC/.test(error.message));
    assert.equal(h.jobFailures.length, 0);
    full = false;
    const second = h.coordinator.triggerCheckpoint();
    await completeWithFiles(h, dir, 2);
    assert.equal((await second).id, 2);
    assert.equal(h.store.latest()?.id, 2);
  });

  it('fails triggers with IO_EXCEPTION when the checkpoint directory cannot be created, counting them', async () => {
    const dir = tempDir('unwritable');
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const storage = new FileCheckpointStorage(join(blocker, 'checkpoints'));
    const h = coordinatorHarness({ storage, settings: { tolerableFailures: 1 } });
    await assert.rejects(
      h.coordinator.triggerCheckpoint(),
      (error: unknown) => error instanceof CheckpointError && error.reason === 'IO_EXCEPTION',
    );
    assert.equal(h.context.triggers().length, 0, 'no task is triggered without a location');
    assert.equal(h.jobFailures.length, 0);
    await assert.rejects(
      h.coordinator.triggerCheckpoint(),
      (error: unknown) => error instanceof CheckpointError && error.reason === 'IO_EXCEPTION',
    );
    assert.equal(h.jobFailures.length, 1, 'the second consecutive failure exceeds a tolerance of 1');
    assert.deepEqual(h.stats.renderCheckpointingStatistics().counts, { restored: 0, total: 2, in_progress: 0, completed: 0, failed: 2 });
  });

  it('keeps num-retained checkpoints on disk and deletes the subsumed directories', async () => {
    const dir = tempDir('retain');
    const h = coordinatorHarness({ storage: new FileCheckpointStorage(dir), settings: { numRetained: 2 } });
    for (let id = 1; id <= 4; id++) {
      const done = h.coordinator.triggerCheckpoint();
      await completeWithFiles(h, dir, id);
      await done;
    }
    const jobDir = join(dir, h.context.jobId);
    const checkpointDirs = () =>
      readdirSync(jobDir)
        .filter((name) => name.startsWith('chk-'))
        .sort();
    const history = () => h.stats.renderCheckpointingStatistics().history;
    await waitFor(
      () => checkpointDirs().length === 2 && history().filter((entry) => entry.discarded).length === 2,
      'subsumed checkpoints to be deleted',
    );
    assert.deepEqual(checkpointDirs(), ['chk-3', 'chk-4']);
    assert.deepEqual(
      h.store.all().map((c) => c.id),
      [3, 4],
    );
    assert.deepEqual(
      history().map((entry) => [entry.id, entry.discarded]),
      [
        [4, false],
        [3, false],
        [2, true],
        [1, true],
      ],
    );
  });
});
