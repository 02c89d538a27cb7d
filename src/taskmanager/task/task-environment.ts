/** What a task is given by its TaskManager, and the name it goes by. */
import type { TaskExecutionStateUpdate, TaskFirstActivity } from '../../rpc/gateways/job-master-gateway.js';
import type { OperatorId } from '../../core/ids.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { LocalStateStore } from '../checkpoint/local-state-store.js';
import type { ResolvedRestore } from '../checkpoint/restore-resolver.js';
import type { CheckpointResponder } from '../checkpoint/subtask-checkpointer.js';
import type { NetworkEnvironment } from './task-io.js';

/** What a task needs from its TaskManager besides the network. */
export interface TaskEnvironment extends NetworkEnvironment {
  readonly stdout: (line: string) => void;
  reportState(update: TaskExecutionStateUpdate): void;
  /** Once per task: a sink's first record, or a source idle before emitting anything; the JobMaster ends the job's outage with them. */
  reportFirstActivity?(activity: TaskFirstActivity): void;
  /**
   * Turns the deployment's restore descriptor into bytes (local copies first, then storage; checks
   * hashes); the keyed state of operator `streamed` is left for the task to read while it runs.
   */
  resolveRestore(tdd: TaskDeploymentDescriptor, streamed?: OperatorId): Promise<ResolvedRestore | undefined>;
  readonly checkpointResponder: CheckpointResponder;
  /** This TaskManager's copies for task-local recovery; undefined when it is off. */
  readonly localState?: LocalStateStore | undefined;
}

/** Flink's task name: `<vertex name> (<subtask+1>/<parallelism>)#<attempt>`. */
export function taskNameOf(tdd: TaskDeploymentDescriptor): string {
  return `${tdd.vertexName} (${tdd.subtaskIndex + 1}/${tdd.parallelism})#${tdd.attemptNumber}`;
}
