import assert from 'node:assert/strict';
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TsFlinkError } from '../../../../src/core/errors.js';
import { restoreLatestCheckpoint } from '../../../../src/jobmanager/checkpoint/checkpoint-services.js';
import { FileCheckpointStorage } from '../../../../src/jobmanager/checkpoint/checkpoint-storage.js';
import type { VertexRestorePlan } from '../../../../src/jobmanager/checkpoint/state-assignment.js';
import type { TaskRestoreDescriptor } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { readSlice } from '../../../../src/taskmanager/checkpoint/restore-resolver.js';
import { coordinatorHarness } from './testing-coordinator.js';
import { captureLogs, waitFor } from './testing-clock.js';
import { tempDir, writeAndAck } from './testing-state-files.js';
import { asOperatorId, asVertexId } from '../../../helpers/ids.js';

const logs = captureLogs();

const PLAN: VertexRestorePlan[] = [
  {
    vertexId: asVertexId('source'),
    parallelism: 3,
    maxParallelism: 128,
    maxParallelismDerived: true,
    operatorIds: [asOperatorId('op-source')],
  },
  {
    vertexId: asVertexId('map'),
    parallelism: 3,
    maxParallelism: 128,
    maxParallelismDerived: true,
    operatorIds: [asOperatorId('op-map'), asOperatorId('op-sink')],
  },
];

/** What the task layer does on restore: read every slice, checking its checksum. */
async function readAll(restores: ReadonlyArray<TaskRestoreDescriptor | undefined>): Promise<string[]> {
  const texts: string[] = [];
  for (const restore of restores) {
    for (const operator of restore?.operators ?? []) {
      for (const slice of operator.keyGroupSlices) texts.push(Buffer.from(await readSlice(slice)).toString());
    }
  }
  return texts;
}

describe('restoring after corrupt state', () => {
  it('falls back to the previous checkpoint once the latest is marked corrupt', async () => {
    const dir = tempDir('fallback');
    const h = coordinatorHarness({ storage: new FileCheckpointStorage(dir), settings: { numRetained: 2 } });
    for (const id of [1, 2]) {
      const done = h.coordinator.triggerCheckpoint();
      await waitFor(() => h.context.triggers().some((t) => t.checkpointId === id), `checkpoint ${id}`);
      for (const task of h.context.tasks) h.coordinator.receiveAcknowledge(await writeAndAck(h.context, dir, task, id));
      await done;
    }
    h.coordinator.shutdown();
    const services = { store: h.store, idCounter: h.idCounter, statsTracker: h.stats };

    const first = restoreLatestCheckpoint(services, PLAN)!;
    assert.equal(first.checkpoint.id, 2);
    // Flip one byte of one state file of checkpoint 2.
    const victim = join(dir, h.context.jobId, 'chk-2', 'map-1-0');
    const fd = openSync(victim, 'r+');
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 0);
    writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, 0);
    closeSync(fd);
    const failure = await readAll(first.assignment.tasks.get('map')!).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(failure instanceof TsFlinkError && failure.code === 'STATE_CORRUPT', 'the task layer detects the corruption');

    const fallback = await h.store.markCorrupt(first.assignment.checkpointId, failure.message);
    assert.equal(fallback?.id, 1);
    assert.ok(
      logs.lines.some(
        (line) => line.includes('Checkpoint 2') && line.includes('checksum mismatch') && line.includes('falling back to checkpoint 1'),
      ),
    );
    const second = restoreLatestCheckpoint(services, PLAN)!;
    assert.equal(second.checkpoint.id, 1);
    const restored = await readAll(second.assignment.tasks.get('map')!);
    assert.deepEqual(restored.filter((t) => t.startsWith('map/')).sort(), ['map/0@1', 'map/1@1']);
    assert.equal(h.stats.renderCheckpointingStatistics().counts.restored, 2);
  });
});
