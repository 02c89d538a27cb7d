import type { ExecutionAttemptId, JobId, VertexId } from '../core/ids.js';
import type { MetricValues, OperatorMetricsSnapshot, TaskMetricsSnapshot } from '../rpc/gateways/task-metrics-report.js';
import type { MetricGroup } from './metric-group.js';
import { MetricNames as N } from './metric-names.js';
import { RateWindow } from './rate-window.js';

/** An operator of a task's chain, as metric scopes name it. */
export interface OperatorIdentity {
  readonly id: string;
  readonly name: string;
}

/** Who a subtask attempt is, for its metric scope. */
export interface TaskIdentity {
  readonly jobId: JobId;
  readonly jobName: string;
  readonly vertexId: VertexId;
  /** Flink's `<task_name>`: the vertex name, without the subtask suffix. */
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly attemptNumber: number;
  readonly attemptId: ExecutionAttemptId;
  /** The chain's first and last operator (the same one for a chain of one). */
  readonly head: OperatorIdentity;
  readonly tail: OperatorIdentity;
  readonly isSource: boolean;
}

/**
 * What a running subtask lets its metrics read: plain counters and clocks it keeps anyway, read
 * once per tick or scrape, never per record.
 */
export interface TaskMetricProbe {
  readonly identity: TaskIdentity;
  numRecordsIn(): number;
  numRecordsOut(): number;
  numBytesIn(): number;
  numBytesOut(): number;
  /** Cumulative milliseconds since the task began running. */
  busyMs(): number;
  idleMs(): number;
  backPressuredMs(): number;
  isBackPressured(): boolean;
  currentInputWatermark(): number;
  currentOutputWatermark(): number;
  /** The source's backlog, when it knows it. */
  pendingRecords(): number | undefined;
  /** Bytes of state the task restored from its TaskManager's local copy, and from checkpoint storage. */
  restoredBytesLocal(): number;
  restoredBytesFromStorage(): number;
}

/** Rates of one task, recomputed every tick. */
class TaskRates {
  readonly recordsIn = new RateWindow();
  readonly recordsOut = new RateWindow();
  readonly bytesIn = new RateWindow();
  readonly bytesOut = new RateWindow();
  readonly idle = new RateWindow();
  readonly backPressured = new RateWindow();
}

/** Clamps a time rate to Flink's 0..1000 ms per second. */
function perSecond(window: RateWindow): number {
  return Math.min(1000, Math.max(0, window.rate()));
}

/**
 * The metrics of one subtask attempt on its TaskManager: the task group (Flink's
 * `taskmanager.job.task` scope) and the groups of its chain's head and tail operators, with rates
 * over RATE_WINDOW_MS fed by `tick`.
 */
export class TaskMetrics {
  readonly group: MetricGroup;
  private readonly operatorGroups: ReadonlyArray<readonly [OperatorIdentity, MetricGroup]>;
  private readonly rates = new TaskRates();

  constructor(
    jobGroup: MetricGroup,
    readonly probe: TaskMetricProbe,
  ) {
    const id = probe.identity;
    this.group = jobGroup.addScopedGroup('task', {
      task_id: id.vertexId,
      task_attempt_id: id.attemptId,
      task_name: id.taskName,
      subtask_index: String(id.subtaskIndex),
      task_attempt_num: String(id.attemptNumber),
    });
    this.registerTaskMetrics();
    const operators = id.head.id === id.tail.id ? [id.head] : [id.head, id.tail];
    this.operatorGroups = operators.map(
      (op) => [op, this.group.addScopedGroup('operator', { operator_id: op.id, operator_name: op.name })] as const,
    );
    for (const [operator, group] of this.operatorGroups) this.registerOperatorMetrics(operator, group);
  }

  /** Samples the counters into the rate windows (`now`: a monotonic ms clock). */
  tick(now: number): void {
    const p = this.probe;
    const r = this.rates;
    r.recordsIn.record(now, p.numRecordsIn());
    r.recordsOut.record(now, p.numRecordsOut());
    r.bytesIn.record(now, p.numBytesIn());
    r.bytesOut.record(now, p.numBytesOut());
    r.idle.record(now, p.idleMs());
    r.backPressured.record(now, p.backPressuredMs());
  }

  /** The current values, as the TaskManager reports them to the JobMaster. */
  snapshot(): TaskMetricsSnapshot {
    const id = this.probe.identity;
    const operators: OperatorMetricsSnapshot[] = this.operatorGroups.map(([operator, group]) => ({
      id: operator.id,
      name: operator.name,
      metrics: numbersOf(group),
    }));
    return {
      vertexId: id.vertexId,
      subtaskIndex: id.subtaskIndex,
      attemptNumber: id.attemptNumber,
      attemptId: id.attemptId,
      metrics: numbersOf(this.group),
      operators,
    };
  }

  close(): void {
    this.group.close();
  }

  private registerTaskMetrics(): void {
    const p = this.probe;
    const r = this.rates;
    this.group
      .gauge(N.NUM_RECORDS_IN, () => p.numRecordsIn())
      .gauge(N.NUM_RECORDS_OUT, () => p.numRecordsOut())
      .gauge(N.NUM_RECORDS_IN_RATE, () => r.recordsIn.rate())
      .gauge(N.NUM_RECORDS_OUT_RATE, () => r.recordsOut.rate())
      .gauge(N.NUM_BYTES_IN, () => p.numBytesIn())
      .gauge(N.NUM_BYTES_OUT, () => p.numBytesOut())
      .gauge(N.NUM_BYTES_IN_RATE, () => r.bytesIn.rate())
      .gauge(N.NUM_BYTES_OUT_RATE, () => r.bytesOut.rate())
      .gauge(N.IDLE_TIME_RATE, () => perSecond(r.idle))
      .gauge(N.BACK_PRESSURED_TIME_RATE, () => perSecond(r.backPressured))
      // As Flink: busy is what is neither idle nor backpressured.
      .gauge(N.BUSY_TIME_RATE, () => Math.max(0, 1000 - perSecond(r.idle) - perSecond(r.backPressured)))
      .gauge(N.ACC_BUSY_TIME, () => Math.round(p.busyMs()))
      .gauge(N.ACC_IDLE_TIME, () => Math.round(p.idleMs()))
      .gauge(N.ACC_BACK_PRESSURED_TIME, () => Math.round(p.backPressuredMs()))
      .gauge(N.IS_BACK_PRESSURED, () => (p.isBackPressured() ? 1 : 0))
      .gauge(N.CURRENT_INPUT_WATERMARK, () => p.currentInputWatermark())
      .gauge(N.RESTORED_STATE_BYTES_LOCAL, () => p.restoredBytesLocal())
      .gauge(N.RESTORED_STATE_BYTES_FROM_STORAGE, () => p.restoredBytesFromStorage());
  }

  private registerOperatorMetrics(operator: OperatorIdentity, group: MetricGroup): void {
    const p = this.probe;
    const id = p.identity;
    if (operator.id === id.head.id) {
      if (id.isSource) {
        group.gauge(N.PENDING_RECORDS, () => p.pendingRecords());
      } else {
        group
          .gauge(N.NUM_RECORDS_IN, () => p.numRecordsIn())
          .gauge(N.NUM_RECORDS_IN_RATE, () => this.rates.recordsIn.rate())
          .gauge(N.CURRENT_INPUT_WATERMARK, () => p.currentInputWatermark());
      }
    }
    if (operator.id === id.tail.id) {
      group
        .gauge(N.NUM_RECORDS_OUT, () => p.numRecordsOut())
        .gauge(N.NUM_RECORDS_OUT_RATE, () => this.rates.recordsOut.rate())
        .gauge(N.CURRENT_OUTPUT_WATERMARK, () => p.currentOutputWatermark());
    }
  }
}

/** The numeric values of a group, as a plain record for the wire. */
function numbersOf(group: MetricGroup): MetricValues {
  const out: Record<string, number> = {};
  for (const [name, value] of group.values()) if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  return out;
}
