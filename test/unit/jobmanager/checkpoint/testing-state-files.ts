import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperatorId } from '../../../../src/core/ids.js';
import type { CheckpointAcknowledgement } from '../../../../src/rpc/gateways/checkpoint-messages.js';
import { persistSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import type { TestingCheckpointContext, TestingTask } from './testing-checkpoint-context.js';

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
export async function writeAndAck(context: TestingCheckpointContext, directory: string, task: TestingTask, id: number): Promise<CheckpointAcknowledgement> {
  const vertex = context.vertexInfos.find((v) => v.vertexId === task.vertexId)!;
  const path = join(directory, context.jobId, `chk-${id}`, `${task.vertexId}-${task.subtaskIndex}-0`);
  const persisted = await persistSnapshot([{
    operatorId: vertex.operatorIds[0]! as OperatorId,
    keyGroups: { start: task.subtaskIndex * 64, chunks: [payload(task, id), undefined, new Uint8Array([7, 7, 7])] },
    listStates: [{ name: 'offsets', mode: 'SPLIT_DISTRIBUTE', entries: [payload(task, id)] }],
  }], { kind: 'file', path });
  return {
    jobId: context.jobId,
    attemptId: task.attemptId,
    checkpointId: id,
    state: { operators: persisted.operators, stateSize: persisted.stateSize, alignmentDurationMs: 0, syncDurationMs: 0, asyncDurationMs: 1 },
  };
}
