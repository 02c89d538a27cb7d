import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileCheckpointStorage } from '../../../../src/jobmanager/checkpoint/checkpoint-storage.js';
import { createJobCheckpointServices } from '../../../../src/jobmanager/checkpoint/checkpoint-services.js';
import { FileCheckpointPointers } from '../../../../src/jobmanager/checkpoint/ha-checkpoint-pointers.js';
import { JOB_ID } from './testing-checkpoint-context.js';
import { captureLogs } from './testing-clock.js';
import { testSettings } from './testing-coordinator.js';
import { onDisk, tempDir } from './testing-state-files.js';

const logs = captureLogs();

/** The ids the HA record file names, in order. */
function recordedIds(pointers: FileCheckpointPointers): number[] {
  return (JSON.parse(readFileSync(pointers.file, 'utf8')) as { checkpoints: Array<{ id: number }> }).checkpoints.map((p) => p.id);
}

describe('file-based HA record of completed checkpoints', () => {
  it('lives under <storageDir>/<cluster-id>/job-<id>/ in a private directory', () => {
    const pointers = new FileCheckpointPointers('file:///var/ha', '/my-cluster', JOB_ID);
    assert.equal(pointers.file, `/var/ha/my-cluster/job-${JOB_ID}/completed-checkpoints.json`);
  });

  it('follows the store: rewritten on every add, emptied of subsumed ones, removed when the job ends for good', async () => {
    const base = tempDir('ha');
    const pointers = new FileCheckpointPointers(join(base, 'ha'), '/default', JOB_ID);
    const settings = testSettings({ storage: { kind: 'filesystem', directory: base }, numRetained: 2 });
    const { store } = await createJobCheckpointServices(settings, JOB_ID, { pointers });
    for (const id of [1, 2, 3]) await store.add(await onDisk(base, id));
    assert.deepEqual(recordedIds(pointers), [2, 3]);
    assert.equal(statSync(join(base, 'ha', 'default')).mode & 0o777, 0o700);
    await store.shutdown('SUSPENDED');
    assert.deepEqual(recordedIds(pointers), [2, 3], 'a suspended job keeps its record for the next JobManager');
    await store.shutdown('FINISHED');
    assert.equal(existsSync(pointers.file), false);
  });

  it('recovers a savepoint the job was started from, which no checkpoint directory scan finds', async () => {
    const base = tempDir('ha-savepoint');
    const pointers = new FileCheckpointPointers(join(base, 'ha'), '/default', JOB_ID);
    const settings = testSettings({ storage: { kind: 'filesystem', directory: join(base, 'checkpoints') } });
    const first = await createJobCheckpointServices(settings, JOB_ID, { recover: true, pointers });
    assert.equal(first.store.latest(), undefined);
    const checkpoint = await onDisk(join(base, 'tasks'), 7);
    await first.store.add(
      await new FileCheckpointStorage(join(base, 'tasks')).finalizeSavepoint(
        { ...checkpoint, kind: 'SAVEPOINT' },
        join(base, 'savepoints'),
      ),
    );
    // The JobManager dies here; the next one recovers.
    const second = await createJobCheckpointServices(settings, JOB_ID, { recover: true, pointers });
    assert.equal(second.store.latest()?.id, 7);
    assert.equal(second.store.latest()?.kind, 'SAVEPOINT');
    assert.equal(second.idCounter.peek(), 8, 'ids continue above the recovered savepoint');
  });

  it('merges the record with the directory scan and skips a recorded checkpoint whose files are gone', async () => {
    const base = tempDir('ha-merge');
    const pointers = new FileCheckpointPointers(join(base, 'ha'), '/default', JOB_ID);
    const settings = testSettings({ storage: { kind: 'filesystem', directory: base }, numRetained: 3 });
    const { store } = await createJobCheckpointServices(settings, JOB_ID, { pointers });
    const checkpoints = [await onDisk(base, 4), await onDisk(base, 5)];
    for (const checkpoint of checkpoints) await store.add(checkpoint);
    await onDisk(base, 6); // completed on disk, but the JobManager died before recording it
    rmSync(checkpoints[0]!.directory!, { recursive: true });
    logs.lines.length = 0;
    const recovered = await createJobCheckpointServices(settings, JOB_ID, { recover: true, pointers });
    assert.deepEqual(
      recovered.store.all().map((c) => c.id),
      [5, 6],
    );
    assert.ok(
      logs.lines.some((line) => /WARN .*Checkpoint 4 recorded in .* cannot be used/.test(line)),
      logs.lines.join('\n'),
    );
  });

  it('ignores an unreadable record with a warning and recovers from the directory scan', async () => {
    const base = tempDir('ha-garbage');
    const pointers = new FileCheckpointPointers(join(base, 'ha'), '/default', JOB_ID);
    const settings = testSettings({ storage: { kind: 'filesystem', directory: base } });
    await (await createJobCheckpointServices(settings, JOB_ID, { pointers })).store.add(await onDisk(base, 2));
    writeFileSync(pointers.file, '{"version": 1, "checkpoints": ');
    logs.lines.length = 0;
    const recovered = await createJobCheckpointServices(settings, JOB_ID, { recover: true, pointers });
    assert.deepEqual(
      recovered.store.all().map((c) => c.id),
      [2],
    );
    assert.ok(
      logs.lines.some((line) => /WARN .*Ignoring the unreadable HA checkpoint record/.test(line)),
      logs.lines.join('\n'),
    );
  });
});
