/**
 * The context a job's main runs in: the cluster's defaults and what execute() should do. Kept in
 * AsyncLocalStorage so several programs can run in one process at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { JobProgram } from '../../runtime/task-contract.js';

/** Cluster values a program's environment starts from. */
export interface ProgramDefaults {
  readonly parallelism: number;
  /** -1: derive from the parallelism. */
  readonly maxParallelism: number;
  readonly autoWatermarkIntervalMs: number;
  readonly checkpointIntervalMs: number | undefined;
  readonly bufferTimeoutMs: number;
}

/** What execute() resolves to (Flink's JobExecutionResult). */
export interface JobExecutionResult {
  readonly jobName: string;
  readonly jobId?: string;
  readonly netRuntimeMs: number;
}

/** Receives the built program at execute(): the JobManager submits it, a TaskManager keeps it. */
export type ExecuteHandler = (program: JobProgram) => Promise<JobExecutionResult>;

/** One run of a program's main. */
export interface ProgramContext {
  readonly defaults: ProgramDefaults;
  readonly args: readonly string[];
  readonly onExecute: ExecuteHandler;
  executions: number;
}

/** The cluster defaults of a fresh distribution (parallelism.default 1, 200 ms watermarks, 100 ms buffer timeout). */
export const FRESH_DEFAULTS: ProgramDefaults = {
  parallelism: 1,
  maxParallelism: -1,
  autoWatermarkIntervalMs: 200,
  checkpointIntervalMs: undefined,
  bufferTimeoutMs: 100,
};

const storage = new AsyncLocalStorage<ProgramContext>();

/** The context of the program whose main is running here, if any. */
export function currentProgramContext(): ProgramContext | undefined {
  return storage.getStore();
}

/** Runs `fn` (a program's main) inside `context`. */
export function runWithProgramContext<R>(context: ProgramContext, fn: () => R): R {
  return storage.run(context, fn);
}
