import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskMetricProbe } from '../../../src/metrics/task-metrics.js';
import { TaskManagerMetrics } from '../../../src/metrics/taskmanager-metrics.js';
import type { TaskMetricsReport } from '../../../src/rpc/gateways/task-metrics-report.js';
import { TaskTimeAccounting } from '../../../src/taskmanager/task/task-time-accounting.js';
import { asAttemptId, asJobId, asResourceId, asVertexId } from '../../helpers/ids.js';

/** A probe whose counters a test sets by hand. */
class TestingProbe implements TaskMetricProbe {
  recordsIn = 0;
  recordsOut = 0;
  idle = 0;
  backPressured = 0;
  pending: number | undefined = undefined;
  constructor(readonly identity: TaskMetricProbe['identity']) {}
  numRecordsIn(): number {
    return this.recordsIn;
  }
  numRecordsOut(): number {
    return this.recordsOut;
  }
  numBytesIn(): number {
    return 0;
  }
  numBytesOut(): number {
    return 0;
  }
  busyMs(): number {
    return 1;
  }
  idleMs(): number {
    return this.idle;
  }
  backPressuredMs(): number {
    return this.backPressured;
  }
  isBackPressured(): boolean {
    return false;
  }
  currentInputWatermark(): number {
    return -(2 ** 63);
  }
  currentOutputWatermark(): number {
    return 42;
  }
  pendingRecords(): number | undefined {
    return this.pending;
  }
  restoredBytesLocal(): number {
    return 300;
  }
  restoredBytesFromStorage(): number {
    return 100;
  }
}

function identity(jobId: string, attemptId: string, isSource: boolean): TaskMetricProbe['identity'] {
  return {
    jobId: asJobId(jobId),
    jobName: 'Job',
    vertexId: asVertexId(`vertex-${isSource ? 'source' : 'sink'}`),
    taskName: 'Task',
    subtaskIndex: 0,
    attemptNumber: 2,
    attemptId: asAttemptId(attemptId),
    head: { id: 'head', name: isSource ? 'Source: gen' : 'Map' },
    tail: { id: 'tail', name: 'Sink' },
    isSource,
  };
}

/** A virtual monotonic clock: it moves only when a test advances it. */
class TestingClock {
  ms = 1_000;
  readonly now = (): number => this.ms;
}

function tmMetrics(sent: TaskMetricsReport[], clock = new TestingClock()): TaskManagerMetrics {
  return new TaskManagerMetrics({
    host: 'h',
    resourceId: asResourceId('tm-1'),
    slots: () => ({ total: 2, available: 1 }),
    send: (report) => sent.push(report),
    now: clock.now,
  });
}

describe('TaskManagerMetrics', () => {
  it('registers the process and slot metrics under the taskmanager scope', () => {
    const values = new Map(tmMetrics([]).group.values());
    assert.equal(values.get('Status.TaskSlots.Total'), 2);
    assert.equal(values.get('Status.TaskSlots.Available'), 1);
    for (const name of [
      'Status.JVM.CPU.Load',
      'Status.JVM.Memory.Heap.Used',
      'Status.JVM.Memory.Heap.Committed',
      'Status.JVM.Memory.Heap.Max',
      'Status.Process.RSS',
    ]) {
      assert.equal(typeof values.get(name), 'number', name);
    }
  });

  it("sends one report per job with every task's metrics, rates from counter deltas", () => {
    const sent: TaskMetricsReport[] = [];
    const clock = new TestingClock();
    const metrics = tmMetrics(sent, clock);
    const source = new TestingProbe(identity('job-a', 'attempt-1', true));
    source.pending = 1000;
    const other = new TestingProbe(identity('job-b', 'attempt-2', false));
    metrics.addTask(source);
    metrics.addTask(other);
    clock.ms += 200;
    source.recordsOut = 100;
    source.pending = 900;
    other.idle = 150;
    metrics.tick();
    assert.deepEqual(sent.map((report) => report.jobId).sort(), ['job-a', 'job-b']);
    const a = sent.find((report) => report.jobId === 'job-a')!;
    assert.equal(a.resourceId, 'tm-1');
    const task = a.tasks[0]!;
    assert.equal(task.attemptId, 'attempt-1');
    assert.equal(task.metrics['numRecordsOut'], 100);
    assert.ok(
      task.metrics['numRecordsOutPerSecond']! > 0 && task.metrics['numRecordsOutPerSecond']! <= 500,
      `100 records over at least 0.2 s: ${task.metrics['numRecordsOutPerSecond']}`,
    );
    assert.equal(task.metrics['currentInputWatermark'], -(2 ** 63));
    assert.deepEqual([task.metrics['restoredStateBytesLocal'], task.metrics['restoredStateBytesFromStorage']], [300, 100]);
    assert.deepEqual(
      task.operators.map((operator) => [operator.name, operator.metrics['pendingRecords']]),
      [
        ['Source: gen', 900],
        ['Sink', undefined],
      ],
    );
    assert.equal(task.operators[1]!.metrics['currentOutputWatermark'], 42);
    const b = sent.find((report) => report.jobId === 'job-b')!.tasks[0]!;
    const times = b.metrics['idleTimeMsPerSecond']! + b.metrics['busyTimeMsPerSecond']! + b.metrics['backPressuredTimeMsPerSecond']!;
    assert.ok(Math.abs(times - 1000) < 1e-6, 'busy is what is neither idle nor backpressured');
    assert.ok(b.metrics['idleTimeMsPerSecond']! > 0);
    assert.equal(b.operators[0]!.metrics['numRecordsIn'], 0, 'a non-source head reports records in');
    metrics.close();
  });

  it('reports an ended task once more with its final counters, and closes its job group with the last task', () => {
    const sent: TaskMetricsReport[] = [];
    const metrics = tmMetrics(sent);
    const probe = new TestingProbe(identity('job-a', 'attempt-1', false));
    metrics.addTask(probe);
    let scoped = 0;
    metrics.registry.forEachMetric((group) => {
      if (group.logicalScope.includes('task')) scoped++;
    });
    assert.ok(scoped > 0);
    probe.recordsIn = 77;
    metrics.removeTask(asAttemptId('attempt-1'));
    metrics.tick();
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.tasks[0]!.metrics['numRecordsIn'], 77);
    metrics.tick();
    assert.equal(sent.length, 1, 'nothing more to report');
    let left = 0;
    metrics.registry.forEachMetric((group) => {
      if (group.logicalScope.includes('job')) left++;
    });
    assert.equal(left, 0);
  });
});

describe('TaskTimeAccounting', () => {
  it('counts nothing before the task runs, then splits time into busy, idle and backpressured', () => {
    const clock = new TestingClock();
    const accounting = new TaskTimeAccounting(clock.now);
    clock.ms += 20;
    assert.deepEqual([accounting.busyMs, accounting.idleMs, accounting.backPressuredMs], [0, 0, 0]);
    accounting.start();
    accounting.markIdle();
    clock.ms += 60;
    accounting.markBusy();
    accounting.startBackPressure();
    assert.equal(accounting.isBackPressured, true);
    clock.ms += 60;
    accounting.markIdle(); // backpressure is not ended by a step that finds nothing to do
    accounting.endBackPressure();
    clock.ms += 30;
    assert.deepEqual([accounting.busyMs, accounting.idleMs, accounting.backPressuredMs], [30, 60, 60]);
  });
});
