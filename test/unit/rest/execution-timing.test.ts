import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregateState,
  attemptEndTime,
  attemptStartTime,
  countStates,
  durationOf,
  groupTiming,
  statusDurations,
} from '../../../src/jobmanager/dispatcher/views/execution-timing.js';
import {
  NO_METRICS,
  sumIoMetrics,
  UNREPORTED_IO_METRICS,
  attemptIoMetrics,
  type SubtaskMetricsProvider,
} from '../../../src/jobmanager/dispatcher/views/io-metrics.js';
import type { Execution } from '../../../src/jobmanager/scheduler/execution-graph/execution.js';
import { ExecutionGraph } from '../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import type { ExecutionState } from '../../../src/rpc/gateways/job-master-gateway.js';
import { SINK_ID, SOURCE_ID, twoVertexGraph } from './testing-job-manager.js';
import { asJobId } from '../../helpers/ids.js';

/** Three executions of the sink, moved through states at the given (fake) times. */
function sinkExecutions(): Execution[] {
  const plan = new Map([
    [SOURCE_ID, { parallelism: 1, maxParallelism: 8 }],
    [SINK_ID, { parallelism: 3, maxParallelism: 8 }],
  ]);
  return new ExecutionGraph(asJobId('f'.repeat(32)), twoVertexGraph(), plan, 0).vertex(SINK_ID)!.executions;
}

function move(execution: Execution, steps: Array<[ExecutionState, number]>): void {
  for (const [state, at] of steps) {
    execution.transitionTo(state);
    execution.stateTimestamps[state] = at;
  }
  execution.stateTimestamps.CREATED = 1_000;
}

describe('execution timing for REST', () => {
  it('counts an attempt from deployment to its terminal state, or to now while alive', () => {
    const [running, finished, created] = sinkExecutions();
    move(running!, [
      ['DEPLOYING', 1_100],
      ['INITIALIZING', 1_150],
      ['RUNNING', 1_300],
    ]);
    move(finished!, [
      ['DEPLOYING', 1_050],
      ['RUNNING', 1_200],
      ['FINISHED', 1_900],
    ]);
    move(created!, []);
    assert.deepEqual([attemptStartTime(running!), attemptEndTime(running!)], [1_100, -1]);
    assert.deepEqual([attemptStartTime(finished!), attemptEndTime(finished!)], [1_050, 1_900]);
    assert.deepEqual([attemptStartTime(created!), attemptEndTime(created!)], [-1, -1]);
    assert.equal(durationOf(1_100, -1, 2_000), 900);
    assert.equal(durationOf(1_050, 1_900, 5_000), 850);
    assert.equal(durationOf(-1, -1, 5_000), -1);
  });

  it("splits an attempt's life into the time spent per state", () => {
    const [running, finished] = sinkExecutions();
    move(running!, [
      ['DEPLOYING', 1_100],
      ['INITIALIZING', 1_150],
      ['RUNNING', 1_300],
    ]);
    move(finished!, [
      ['DEPLOYING', 1_050],
      ['RUNNING', 1_200],
      ['FINISHED', 1_900],
    ]);
    assert.deepEqual(statusDurations(running!, 2_000), { CREATED: 100, SCHEDULED: 0, DEPLOYING: 50, INITIALIZING: 150, RUNNING: 700 });
    assert.deepEqual(statusDurations(finished!, 9_999), { CREATED: 50, SCHEDULED: 0, DEPLOYING: 150, INITIALIZING: 0, RUNNING: 700 });
  });

  it('sums a group: earliest start, and an end only once every attempt ended', () => {
    const [a, b, c] = sinkExecutions();
    move(a!, [
      ['DEPLOYING', 1_100],
      ['RUNNING', 1_300],
      ['FINISHED', 2_500],
    ]);
    move(b!, [
      ['DEPLOYING', 1_050],
      ['RUNNING', 1_200],
      ['FINISHED', 1_900],
    ]);
    move(c!, [
      ['DEPLOYING', 1_200],
      ['RUNNING', 1_250],
    ]);
    assert.deepEqual(groupTiming([a!, b!, c!], 3_000), { startTime: 1_050, endTime: -1, duration: 1_950 });
    assert.deepEqual(groupTiming([a!, b!], 3_000), { startTime: 1_050, endTime: 2_500, duration: 1_450 });
    assert.deepEqual(groupTiming([], 3_000), { startTime: -1, endTime: -1, duration: -1 });
  });

  it("aggregates subtask states the way Flink's dashboards read them", () => {
    const [a, b, c] = sinkExecutions();
    move(a!, [
      ['DEPLOYING', 1],
      ['RUNNING', 2],
    ]);
    move(b!, [
      ['DEPLOYING', 1],
      ['RUNNING', 2],
      ['FINISHED', 3],
    ]);
    move(c!, [
      ['DEPLOYING', 1],
      ['INITIALIZING', 2],
    ]);
    const counts = countStates([a!, b!, c!]);
    assert.deepEqual([counts.RUNNING, counts.FINISHED, counts.INITIALIZING, counts.CREATED], [1, 1, 1, 0]);
    assert.equal(Object.keys(counts).length, 10);
    assert.equal(aggregateState(counts, 3), 'INITIALIZING');
    assert.equal(aggregateState(countStates([a!, b!]), 2), 'RUNNING');
    assert.equal(aggregateState(countStates([b!]), 1), 'FINISHED');
    assert.equal(aggregateState(countStates([b!]), 2), 'RUNNING', 'finished only when all subtasks are');
    c!.transitionTo('FAILED');
    assert.equal(aggregateState(countStates([a!, b!, c!]), 3), 'FAILED');
    assert.equal(aggregateState(countStates([]), 0), 'CREATED');
  });
});

describe('I/O metrics seam', () => {
  it('shows zeros marked incomplete until a provider reports, and sums what it reports', () => {
    const [a, b] = sinkExecutions();
    assert.deepEqual(attemptIoMetrics(NO_METRICS, asJobId('job'), a!), UNREPORTED_IO_METRICS);
    const provider: SubtaskMetricsProvider = {
      ioMetrics: (key) =>
        key.subtaskIndex === 0
          ? { ...UNREPORTED_IO_METRICS, readRecords: 10, readRecordsComplete: true, accumulatedBusyTime: 1.5 }
          : undefined,
    };
    const sum = sumIoMetrics([attemptIoMetrics(provider, asJobId('job'), a!), attemptIoMetrics(provider, asJobId('job'), b!)]);
    assert.equal(sum.readRecords, 10);
    assert.equal(sum.accumulatedBusyTime, 1.5);
    assert.equal(sum.readRecordsComplete, false, 'subtask 1 reported nothing');
    assert.equal(sumIoMetrics([attemptIoMetrics(provider, asJobId('job'), a!)]).readRecordsComplete, true);
    assert.equal(sumIoMetrics([]).readRecordsComplete, false);
  });
});
