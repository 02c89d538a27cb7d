import type { ExecutionAttemptId, JobId, ResourceId, VertexId } from '../../core/ids.js';
import { RpcError } from '../../core/errors.js';

/** Metric values by Flink name (`numRecordsIn`, `busyTimeMsPerSecond`, ...); every value a finite number. */
export type MetricValues = Readonly<Record<string, number>>;

/** One operator's metrics inside a task's snapshot. */
export interface OperatorMetricsSnapshot {
  readonly id: string;
  readonly name: string;
  readonly metrics: MetricValues;
}

/** The metrics of one attempt of one subtask at one moment. */
export interface TaskMetricsSnapshot {
  readonly vertexId: VertexId;
  readonly subtaskIndex: number;
  readonly attemptNumber: number;
  readonly attemptId: ExecutionAttemptId;
  /** Task-scope metrics. */
  readonly metrics: MetricValues;
  readonly operators: readonly OperatorMetricsSnapshot[];
}

/** What a TaskManager sends its JobMaster about once a second: the metrics of its subtasks of one job. */
export interface TaskMetricsReport {
  readonly jobId: JobId;
  readonly resourceId: ResourceId;
  readonly tasks: readonly TaskMetricsSnapshot[];
}

/** Bounds that keep a hostile or broken peer from making the JobManager hold arbitrary amounts. */
const LIMITS = { tasks: 4096, operators: 64, metrics: 128, text: 512 } as const;

/** Checks a report that arrived over RPC; throws RpcError RPC_PROTOCOL naming the first problem. */
export function validateTaskMetricsReport(value: unknown): TaskMetricsReport {
  const report = record(value, 'report');
  text(report['jobId'], 'jobId');
  text(report['resourceId'], 'resourceId');
  const tasks = list(report['tasks'], 'tasks', LIMITS.tasks);
  tasks.forEach((task, index) => validateTask(task, `tasks[${index}]`));
  return value as TaskMetricsReport;
}

function validateTask(value: unknown, where: string): void {
  const task = record(value, where);
  text(task['vertexId'], `${where}.vertexId`);
  text(task['attemptId'], `${where}.attemptId`);
  count(task['subtaskIndex'], `${where}.subtaskIndex`);
  count(task['attemptNumber'], `${where}.attemptNumber`);
  values(task['metrics'], `${where}.metrics`);
  list(task['operators'], `${where}.operators`, LIMITS.operators).forEach((operator, index) => {
    const entry = record(operator, `${where}.operators[${index}]`);
    text(entry['id'], `${where}.operators[${index}].id`);
    text(entry['name'], `${where}.operators[${index}].name`);
    values(entry['metrics'], `${where}.operators[${index}].metrics`);
  });
}

function refuse(message: string): never {
  throw new RpcError('RPC_PROTOCOL', `malformed task metrics report: ${message}`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.text)
    refuse(`${where} must be a non-empty string of at most ${LIMITS.text} characters`);
}

function count(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) refuse(`${where} must be a non-negative integer`);
}

function list(value: unknown, where: string, max: number): unknown[] {
  if (!Array.isArray(value) || value.length > max) refuse(`${where} must be an array of at most ${max} entries`);
  return value;
}

function values(value: unknown, where: string): void {
  const entries = Object.entries(record(value, where));
  if (entries.length > LIMITS.metrics) refuse(`${where} has more than ${LIMITS.metrics} metrics`);
  for (const [name, metric] of entries) {
    if (name.length === 0 || name.length > LIMITS.text) refuse(`${where} has a metric name that is empty or too long`);
    if (typeof metric !== 'number' || !Number.isFinite(metric)) refuse(`${where}.${name} must be a finite number`);
  }
}
