import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  loadCheckpointsFromDirectory,
  readCompletedCheckpoint,
} from '../../../../src/jobmanager/checkpoint/checkpoint-directory-loader.js';
import { createJobCheckpointServices } from '../../../../src/jobmanager/checkpoint/checkpoint-services.js';
import { FileCheckpointStorage } from '../../../../src/jobmanager/checkpoint/checkpoint-storage.js';
import type { CompletedCheckpoint } from '../../../../src/jobmanager/checkpoint/completed-checkpoint.js';
import { persistSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import { JOB_ID } from './testing-checkpoint-context.js';
import { captureLogs } from './testing-clock.js';
import { testSettings } from './testing-coordinator.js';
import { tempDir } from './testing-state-files.js';
import { asOperatorId, asVertexId } from '../../../helpers/ids.js';
import { encodedKeyGroups } from '../../../helpers/encoded-key-groups.js';

const logs = captureLogs();
const VERTEX = asVertexId('v');
const OP = asOperatorId('op');

/** A completed checkpoint as the coordinator leaves it: a state file written by the real persister, then `_metadata`. */
async function completed(base: string, id: number): Promise<CompletedCheckpoint> {
  const directory = join(base, JOB_ID, `chk-${id}`);
  const persisted = await persistSnapshot(
    [{ operatorId: OP, keyGroups: encodedKeyGroups(0, [new Uint8Array(100).fill(id), new Uint8Array(50).fill(id)]) }],
    { kind: 'file', path: join(directory, 'v-0-0') },
  );
  const checkpoint: CompletedCheckpoint = {
    jobId: JOB_ID,
    id,
    kind: 'CHECKPOINT',
    triggerTimestamp: id,
    completionTimestamp: id + 1,
    vertices: [{ vertexId: VERTEX, parallelism: 1, maxParallelism: 128, operatorIds: [OP] }],
    operators: [{ operatorId: OP, vertexId: VERTEX, parallelism: 1, maxParallelism: 128, subtaskStates: [persisted.operators[0]] }],
    externalPath: undefined,
    directory: undefined,
    stateSize: persisted.stateSize,
  };
  return new FileCheckpointStorage(base).finalizeCheckpoint(checkpoint);
}

describe('loadCheckpointsFromDirectory', () => {
  it('returns the usable checkpoints and skips partial, corrupt, truncated and incomplete ones with a reason', async () => {
    const base = tempDir('loader');
    await completed(base, 1);
    await completed(base, 2);
    await completed(base, 3);
    truncateSync(join(base, JOB_ID, 'chk-3', 'v-0-0'), 120); // needs 150 bytes
    mkdirSync(join(base, JOB_ID, 'chk-4'));
    writeFileSync(join(base, JOB_ID, 'chk-4', 'v-0-0'), 'half-written');
    await completed(base, 5);
    writeFileSync(join(base, JOB_ID, 'chk-5', '_metadata'), '{"format":"tsflink-checkpoint-metadata","vers');
    await completed(base, 6);
    rmSync(join(base, JOB_ID, 'chk-6', 'v-0-0'));
    mkdirSync(join(base, JOB_ID, 'chk-x'));
    mkdirSync(join(base, JOB_ID, 'shared'), { recursive: true });

    const loaded = await loadCheckpointsFromDirectory(base, JOB_ID);
    assert.deepEqual(
      loaded.checkpoints.map((c) => c.id),
      [1, 2],
    );
    assert.equal(loaded.highestSeenId, 6);
    assert.deepEqual(
      loaded.skipped.map((s) => s.id),
      [6, 5, 4, 3],
      'scanned newest first',
    );
    const reasons = Object.fromEntries(loaded.skipped.map((s) => [s.id, s.reason]));
    assert.match(reasons[6]!, /state file .*v-0-0 is missing/);
    assert.match(reasons[5]!, /not valid JSON/);
    assert.match(reasons[4]!, /no _metadata: the checkpoint never completed/);
    assert.match(reasons[3]!, /truncated \(120 bytes, needs 150\)/);
    for (const id of [3, 4, 5, 6])
      assert.ok(
        logs.lines.some((line) => line.includes(`Skipping checkpoint ${id} of job ${JOB_ID}`)),
        `skip of ${id} logged`,
      );
    const slices = loaded.checkpoints[1]!.operators[0]!.subtaskStates[0]!.keyGroups!.slices;
    assert.deepEqual(
      slices.map((s) => s?.kind === 'file' && [s.offset, s.length]),
      [
        [0, 100],
        [100, 50],
      ],
    );
  });

  it('rejects metadata that describes another checkpoint or job', async () => {
    const base = tempDir('loader-mismatch');
    await completed(base, 1);
    const moved = join(base, JOB_ID, 'chk-7');
    mkdirSync(moved);
    writeFileSync(join(moved, '_metadata'), readFileSync(join(base, JOB_ID, 'chk-1', '_metadata')));
    writeFileSync(join(moved, 'v-0-0'), readFileSync(join(base, JOB_ID, 'chk-1', 'v-0-0')));
    const loaded = await loadCheckpointsFromDirectory(base, JOB_ID);
    assert.deepEqual(
      loaded.checkpoints.map((c) => c.id),
      [1],
    );
    assert.match(loaded.skipped[0]!.reason, /describes checkpoint 1, not 7/);
  });

  it('gives an empty result for a job without a directory', async () => {
    const loaded = await loadCheckpointsFromDirectory(tempDir('loader-empty'), JOB_ID);
    assert.deepEqual(loaded, { checkpoints: [], skipped: [], highestSeenId: 0 });
  });

  it('lets a restarted JobManager continue ids above every directory found', async () => {
    const base = tempDir('loader-services');
    await completed(base, 2);
    mkdirSync(join(base, JOB_ID, 'chk-9'));
    const services = await createJobCheckpointServices(testSettings({ storage: { kind: 'filesystem', directory: base } }), JOB_ID, {
      recover: true,
    });
    assert.equal(services.store.latest()?.id, 2);
    assert.equal(services.idCounter.peek(), 10);
    const fresh = await createJobCheckpointServices(testSettings({ storage: { kind: 'filesystem', directory: base } }), JOB_ID);
    assert.equal(fresh.store.latest(), undefined);
    assert.equal(fresh.idCounter.peek(), 1);
  });

  it('readCompletedCheckpoint refuses a checkpoint whose state files are short', async () => {
    const base = tempDir('loader-read');
    const checkpoint = await completed(base, 1);
    assert.equal((await readCompletedCheckpoint(join(checkpoint.directory!, '_metadata'))).id, 1);
    truncateSync(join(checkpoint.directory!, 'v-0-0'), 10);
    await assert.rejects(readCompletedCheckpoint(checkpoint.directory!), /unusable: state file .* is truncated/);
  });
});
