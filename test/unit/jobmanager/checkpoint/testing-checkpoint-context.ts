import type {
  CheckpointAcknowledgement,
  CheckpointTrigger,
  OperatorStateHandle,
} from '../../../../src/rpc/gateways/checkpoint-messages.js';
import type { CheckpointCoordinatorContext } from '../../../../src/jobmanager/checkpoint/checkpoint-coordinator-context.js';
import type { VertexSnapshotInfo } from '../../../../src/jobmanager/checkpoint/completed-checkpoint.js';
import type { CheckpointCommitTarget } from '../../../../src/jobmanager/checkpoint/pending-checkpoint.js';
import { asAttemptId, asJobId, asOperatorId, asVertexId } from '../../../helpers/ids.js';

export const JOB_ID = asJobId('a1b2c3d4e5f60718293a4b5c6d7e8f90');

/** One fake subtask: what it was told. */
export interface TestingTask extends CheckpointCommitTarget {
  readonly isSource: boolean;
  readonly triggers: CheckpointTrigger[];
  readonly completed: number[];
  readonly aborted: number[];
}

/** A fake execution graph: vertices of given parallelism, subtasks that record triggers and notifications. */
export class TestingCheckpointContext implements CheckpointCoordinatorContext {
  readonly jobId = JOB_ID;
  readonly tasks: TestingTask[] = [];
  running = true;

  constructor(
    readonly vertexInfos: VertexSnapshotInfo[],
    sourceVertexIds: readonly string[] = [vertexInfos[0]!.vertexId],
  ) {
    for (const vertex of vertexInfos) {
      for (let subtaskIndex = 0; subtaskIndex < vertex.parallelism; subtaskIndex++) {
        const task: TestingTask = {
          attemptId: asAttemptId(`${vertex.vertexId}-attempt-${subtaskIndex}`),
          vertexId: vertex.vertexId,
          subtaskIndex,
          isSource: sourceVertexIds.includes(vertex.vertexId),
          triggers: [],
          completed: [],
          aborted: [],
          notifyComplete(id) {
            task.completed.push(id);
          },
          notifyAborted(id) {
            task.aborted.push(id);
          },
        };
        this.tasks.push(task);
      }
    }
  }

  tasksToTrigger() {
    return this.tasks
      .filter((task) => task.isSource)
      .map((task) => ({
        attemptId: task.attemptId,
        trigger: (t: CheckpointTrigger) => {
          task.triggers.push(t);
        },
      }));
  }

  allTasks(): TestingTask[] {
    return this.tasks;
  }

  allTasksRunning(): boolean {
    return this.running;
  }

  vertices(): VertexSnapshotInfo[] {
    return this.vertexInfos;
  }

  /** Every trigger any source received. */
  triggers(): CheckpointTrigger[] {
    return this.tasks.flatMap((task) => task.triggers);
  }

  /** An acknowledgement of `task` with inline state of `bytes` bytes for its vertex's first operator. */
  ack(task: TestingTask, checkpointId: number, operators?: OperatorStateHandle[], stateSize = 10): CheckpointAcknowledgement {
    const operatorId = this.vertexInfos.find((v) => v.vertexId === task.vertexId)!.operatorIds[0]!;
    return {
      jobId: this.jobId,
      attemptId: task.attemptId,
      checkpointId,
      state: {
        operators: operators ?? [
          {
            operatorId,
            listStates: [
              {
                name: 'offsets',
                mode: 'SPLIT_DISTRIBUTE',
                entries: [{ kind: 'inline', bytes: new Uint8Array([task.subtaskIndex, checkpointId]) }],
              },
            ],
          },
        ],
        stateSize,
        alignmentDurationMs: 0,
        syncDurationMs: 1,
        asyncDurationMs: 1,
      },
    };
  }
}

/** Two vertices: a source (parallelism 2) and a keyed map (parallelism 2), max parallelism 128. */
export function twoVertexContext(): TestingCheckpointContext {
  return new TestingCheckpointContext([
    { vertexId: asVertexId('source'), parallelism: 2, maxParallelism: 128, operatorIds: [asOperatorId('op-source')] },
    { vertexId: asVertexId('map'), parallelism: 2, maxParallelism: 128, operatorIds: [asOperatorId('op-map'), asOperatorId('op-sink')] },
  ]);
}
