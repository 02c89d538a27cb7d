import type { SerializedError } from '../../../core/errors.js';
import type { GraphDeployment } from '../deployment/graph-deployment.js';
import type { ExecutionGraph } from '../execution-graph/execution-graph.js';
import type { JobResult } from '../scheduler-ng.js';

/** Why a run ends and a new one starts; shown in the parallelism timeline. */
export type RescaleCause =
  | 'initial-schedule'
  | 'taskmanager-joined'
  | 'taskmanager-stopped'
  | 'taskmanager-lost-socket'
  | 'taskmanager-lost-heartbeat'
  | 'requirements-changed'
  | 'failure';

/** The goToX transitions, spelled the same way in every state's context (Flink's StateTransitions). */
export interface ToWaitingForResources {
  goToWaitingForResources(previous: ExecutionGraph | undefined, cause: RescaleCause): void;
}
export interface ToCreatingExecutionGraph {
  /** `lastChance`: the resource wait timed out, so a plan short of the minimum fails the job rather than waits again. */
  goToCreatingExecutionGraph(previous: ExecutionGraph | undefined, cause: RescaleCause, lastChance?: boolean): void;
}
export interface ToExecuting {
  goToExecuting(deployment: GraphDeployment, cause: RescaleCause): void;
}
export interface ToRestarting {
  goToRestarting(deployment: GraphDeployment, backoffMs: number, cause: RescaleCause, failure: SerializedError | undefined): void;
}
/** What a planned rescale is for: slots that appeared, or a TaskManager leaving on purpose. */
export type PlannedRescale = 'scale-up' | 'leave';
export interface ToRescalingOnCheckpoint {
  goToRescalingOnCheckpoint(deployment: GraphDeployment, cause: RescaleCause, reason: PlannedRescale, deadlineMs: number): void;
}
export interface ToCanceling {
  goToCanceling(deployment: GraphDeployment): void;
}
export interface ToFailing {
  goToFailing(deployment: GraphDeployment, error: SerializedError): void;
}
/** Where a stop-with-savepoint writes, and whether the sources drain first. */
export interface SavepointStopRequest {
  readonly targetDirectory: string | undefined;
  readonly drain: boolean;
}
export interface ToStopWithSavepoint {
  goToStopWithSavepoint(
    deployment: GraphDeployment,
    request: SavepointStopRequest,
    resolve: (path: string) => void,
    reject: (error: Error) => void,
  ): void;
}
export interface ToFinished {
  goToFinished(result: JobResult): void;
}
