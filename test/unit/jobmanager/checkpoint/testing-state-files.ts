import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpointStorage } from '../../../../src/jobmanager/checkpoint/checkpoint-storage.js';
import type { CompletedCheckpoint } from '../../../../src/jobmanager/checkpoint/completed-checkpoint.js';
import type { BarrierKind, CheckpointAcknowledgement } from '../../../../src/rpc/gateways/checkpoint-messages.js';
import { persistSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import { JOB_ID, type TestingCheckpointContext, type TestingTask } from './testing-checkpoint-context.js';
import { asOperatorId, asVertexId } from '../../../helpers/ids.js';
import { encodedKeyGroups } from '../../../helpers/encoded-key-groups.js';

/** A fresh temporary directory for one test. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tsflink-${prefix}-`));
}

/** The payload a fake subtask writes for checkpoint `id`: recognisable bytes per task and checkpoint. */
export function payload(task: TestingTask, id: number): Uint8Array {
  return new TextEncoder().encode(`${task.vertexId}/${task.subtaskIndex}@${id}`);
}

/**
 * Does what a TaskManager does for one subtask: writes its state as one checksummed file in
 * `<dir>/<jobId>/chk-<id>/` (the real persister), and returns the acknowledgement.
 */
export async function writeAndAck(
  context: TestingCheckpointContext,
  directory: string,
  task: TestingTask,
  id: number,
): Promise<CheckpointAcknowledgement> {
  const vertex = context.vertexInfos.find((v) => v.vertexId === task.vertexId)!;
  const path = join(directory, context.jobId, `chk-${id}`, `${task.vertexId}-${task.subtaskIndex}-0`);
  const persisted = await persistSnapshot(
    [
      {
        operatorId: vertex.operatorIds[0]!,
        keyGroups: encodedKeyGroups(task.subtaskIndex * 64, [payload(task, id), undefined, new Uint8Array([7, 7, 7])]),
        listStates: [{ name: 'offsets', mode: 'SPLIT_DISTRIBUTE', entries: [payload(task, id)] }],
      },
    ],
    { kind: 'file', path },
  );
  return {
    jobId: context.jobId,
    attemptId: task.attemptId,
    checkpointId: id,
    state: {
      operators: persisted.operators,
      stateSize: persisted.stateSize,
      alignmentDurationMs: 0,
      syncDurationMs: 0,
      asyncDurationMs: 1,
    },
  };
}

/** A finalized checkpoint (or savepoint) with one state file and real `_metadata` on disk. */
export async function onDisk(base: string, id: number, kind: BarrierKind = 'CHECKPOINT'): Promise<CompletedCheckpoint> {
  const directory =
    kind === 'CHECKPOINT' ? join(base, JOB_ID, `chk-${id}`) : join(base, 'savepoints', `savepoint-a1b2c3-${String(id).padStart(12, '0')}`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'state'), 'abcdef');
  const checkpoint: CompletedCheckpoint = {
    jobId: JOB_ID,
    id,
    kind,
    triggerTimestamp: id * 1000,
    completionTimestamp: id * 1000 + 5,
    vertices: [{ vertexId: asVertexId('v'), parallelism: 1, maxParallelism: 128, operatorIds: [asOperatorId('op')] }],
    operators: [
      {
        operatorId: asOperatorId('op'),
        vertexId: asVertexId('v'),
        parallelism: 1,
        maxParallelism: 128,
        subtaskStates: [
          {
            operatorId: asOperatorId('op'),
            listStates: [
              { name: 's', mode: 'UNION', entries: [{ kind: 'file', path: join(directory, 'state'), offset: 0, length: 6, crc32: 0 }] },
            ],
          },
        ],
      },
    ],
    externalPath: `file:${directory}`,
    directory,
    stateSize: 6,
  };
  if (kind === 'CHECKPOINT') return new FileCheckpointStorage(base).finalizeCheckpoint(checkpoint);
  return checkpoint;
}
