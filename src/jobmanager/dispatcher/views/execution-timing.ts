import type { ExecutionStateCounts } from '../../../rpc/gateways/job-view-types.js';
import { EXECUTION_STATES } from '../../../rpc/gateways/job-view-types.js';
import type { ExecutionState } from '../../../rpc/gateways/job-master-gateway.js';
import type { Execution } from '../../scheduler/execution-graph/execution.js';

/** The states whose time REST reports in `status-duration`, in the order an attempt passes them. */
const TIMED_STATES: readonly ExecutionState[] = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING'];

/** Lifecycle order, to break ties between states entered in the same millisecond. */
const LIFECYCLE: readonly ExecutionState[] = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'INITIALIZING',
  'RECONCILING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
];

/** When an attempt started, as Flink counts it: when it was deployed; -1 before that. */
export function attemptStartTime(execution: Execution): number {
  return execution.stateTimestamps.DEPLOYING ?? -1;
}

/** When an attempt reached its terminal state; -1 while it is alive. */
export function attemptEndTime(execution: Execution): number {
  return execution.isTerminal ? (execution.stateTimestamps[execution.state] ?? -1) : -1;
}

/** Flink's duration: from start to end, or to now while running; -1 when it never started. */
export function durationOf(startTime: number, endTime: number, now: number): number {
  if (startTime < 0) return -1;
  return Math.max(0, (endTime >= 0 ? endTime : now) - startTime);
}

/** Milliseconds the attempt spent in each timed state (0 for states it skipped). */
export function statusDurations(execution: Execution, now: number): Partial<Record<ExecutionState, number>> {
  const entered = LIFECYCLE.filter((state) => execution.stateTimestamps[state] !== undefined)
    .map((state) => ({ state, at: execution.stateTimestamps[state]! }))
    .sort((a, b) => a.at - b.at || LIFECYCLE.indexOf(a.state) - LIFECYCLE.indexOf(b.state));
  const durations: Partial<Record<ExecutionState, number>> = {};
  for (const state of TIMED_STATES) durations[state] = 0;
  entered.forEach((entry, index) => {
    if (!TIMED_STATES.includes(entry.state)) return;
    const next = entered[index + 1];
    const until = next !== undefined ? next.at : execution.isTerminal ? entry.at : now;
    durations[entry.state] = Math.max(0, until - entry.at);
  });
  return durations;
}

/** A count for every execution state, zeros included. */
export function countStates(executions: readonly Execution[]): ExecutionStateCounts {
  const counts = Object.fromEntries(EXECUTION_STATES.map((state) => [state, 0])) as Record<ExecutionState, number>;
  for (const execution of executions) counts[execution.state]++;
  return counts;
}

/**
 * One state summing up a vertex's subtasks for dashboards: any failure wins, then canceling,
 * canceled, initializing, running; finished only when all are; everything else reads as created.
 */
export function aggregateState(counts: ExecutionStateCounts, parallelism: number): ExecutionState {
  if (counts.FAILED > 0) return 'FAILED';
  if (counts.CANCELING > 0) return 'CANCELING';
  if (counts.CANCELED > 0) return 'CANCELED';
  if (counts.INITIALIZING > 0) return 'INITIALIZING';
  if (counts.RUNNING > 0) return 'RUNNING';
  if (counts.FINISHED > 0) return counts.FINISHED === parallelism ? 'FINISHED' : 'RUNNING';
  return 'CREATED';
}

/** Start, end and duration of a group of attempts: earliest start, latest end once all ended. */
export function groupTiming(executions: readonly Execution[], now: number): { startTime: number; endTime: number; duration: number } {
  let startTime = -1;
  let endTime = -1;
  let allEnded = executions.length > 0;
  for (const execution of executions) {
    const started = attemptStartTime(execution);
    if (started >= 0 && (startTime < 0 || started < startTime)) startTime = started;
    const ended = attemptEndTime(execution);
    if (ended < 0) allEnded = false;
    else endTime = Math.max(endTime, ended);
  }
  if (!allEnded) endTime = -1;
  return { startTime, endTime, duration: durationOf(startTime, endTime, now) };
}
