import { CheckpointCoordinator } from '../../../../src/jobmanager/checkpoint/checkpoint-coordinator.js';
import type { CheckpointError } from '../../../../src/jobmanager/checkpoint/checkpoint-failure.js';
import { CheckpointIdCounter } from '../../../../src/jobmanager/checkpoint/checkpoint-id-counter.js';
import type { CheckpointSettings } from '../../../../src/jobmanager/checkpoint/checkpoint-settings.js';
import { CheckpointStatsTracker } from '../../../../src/jobmanager/checkpoint/checkpoint-stats-tracker.js';
import type { CheckpointStorage } from '../../../../src/jobmanager/checkpoint/checkpoint-storage.js';
import { CompletedCheckpointStore } from '../../../../src/jobmanager/checkpoint/completed-checkpoint-store.js';
import type { CompletedCheckpoint } from '../../../../src/jobmanager/checkpoint/completed-checkpoint.js';
import { TestingCheckpointContext, twoVertexContext } from './testing-checkpoint-context.js';
import { ManualClock } from './testing-clock.js';

/** Checkpoint settings for tests: 1 s interval, memory storage, Flink's other defaults. */
export function testSettings(overrides: Partial<CheckpointSettings> = {}): CheckpointSettings {
  return {
    intervalMs: 1_000,
    mode: 'EXACTLY_ONCE',
    timeoutMs: 60_000,
    minPauseMs: 0,
    maxConcurrent: 1,
    numRetained: 1,
    tolerableFailures: 0,
    storage: { kind: 'memory' },
    savepointDirectory: undefined,
    retention: 'NO_EXTERNALIZED_CHECKPOINTS',
    historySize: 10,
    ...overrides,
  };
}

/** A coordinator over a fake context and a manual clock, with its shared services and a record of what the listener heard. */
export interface CoordinatorHarness {
  readonly coordinator: CheckpointCoordinator;
  readonly context: TestingCheckpointContext;
  readonly clock: ManualClock;
  readonly store: CompletedCheckpointStore;
  readonly stats: CheckpointStatsTracker;
  readonly idCounter: CheckpointIdCounter;
  readonly completed: CompletedCheckpoint[];
  readonly failed: CheckpointError[];
  readonly jobFailures: Error[];
}

export function coordinatorHarness(
  options: {
    settings?: Partial<CheckpointSettings>;
    context?: TestingCheckpointContext;
    storage?: CheckpointStorage;
    random?: () => number;
    store?: CompletedCheckpointStore;
    stats?: CheckpointStatsTracker;
    idCounter?: CheckpointIdCounter;
    clock?: ManualClock;
  } = {},
): CoordinatorHarness {
  const settings = testSettings(options.settings);
  const context = options.context ?? twoVertexContext();
  const clock = options.clock ?? new ManualClock();
  const store = options.store ?? new CompletedCheckpointStore({ numRetained: settings.numRetained });
  const stats = options.stats ?? new CheckpointStatsTracker(settings.historySize);
  const idCounter = options.idCounter ?? new CheckpointIdCounter();
  const completed: CompletedCheckpoint[] = [];
  const failed: CheckpointError[] = [];
  const jobFailures: Error[] = [];
  const coordinator = new CheckpointCoordinator({
    context,
    settings,
    store,
    idCounter,
    statsTracker: stats,
    clock,
    ...(options.storage === undefined ? {} : { storage: options.storage }),
    random: options.random ?? (() => 0),
    listener: {
      onCheckpointCompleted: (checkpoint) => completed.push(checkpoint),
      onCheckpointFailed: (failure) => failed.push(failure),
      failJob: (error) => jobFailures.push(error),
    },
  });
  return { coordinator, context, clock, store, stats, idCounter, completed, failed, jobFailures };
}

/** Acknowledges checkpoint `id` from every subtask. */
export function ackAll(harness: CoordinatorHarness, id: number): void {
  for (const task of harness.context.tasks) harness.coordinator.receiveAcknowledge(harness.context.ack(task, id));
}
