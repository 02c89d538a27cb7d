import type { CheckpointAcknowledgement, CheckpointDecline } from '../../../rpc/gateways/checkpoint-messages.js';

/** The checkpointing of one run (one execution graph): started when every task runs, stopped when the run ends. */
export interface RunCheckpointing {
  /** Starts periodic checkpoints (a no-op when checkpointing is off). */
  start(): void;
  /** Stops triggering and aborts what is pending. */
  stop(reason: string): void;
  /** Aborts what is pending and stops triggering until `start` is called again (a region restarts). */
  pause(reason: string): void;
  /** A fully acknowledged checkpoint is still being written: until it succeeds or fails, "the latest checkpoint" is open. */
  readonly finalizing: boolean;
  /** End-to-end duration of the job's latest completed checkpoint, if any: what the next one may take. */
  readonly lastCompletedDurationMs: number | undefined;
  acknowledge(ack: CheckpointAcknowledgement): void;
  decline(decline: CheckpointDecline): void;
  /** Takes a savepoint (or the synchronous one that stops the job); resolves with its path. */
  /** `drain` (SYNC_SAVEPOINT only): the sources end their input before the barrier. */
  /**
   * Takes the checkpoint a planned rescale restores: the sources emit nothing after its barrier, so
   * the next run replays nothing. Resolves with its id once it is complete and in the store.
   */
  triggerRescaleCheckpoint(): Promise<number>;
  triggerSavepoint(targetDirectory: string | undefined, kind: 'SAVEPOINT' | 'SYNC_SAVEPOINT', drain?: boolean): Promise<string>;
}
