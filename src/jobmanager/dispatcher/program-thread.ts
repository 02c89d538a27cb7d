import { Worker } from 'node:worker_threads';
import type { ExecuteHandler, ProgramDefaults } from '../../api/environment/program-context.js';
import { describeError, ProgramError } from '../../core/errors.js';
import type { JobGraph } from '../../jobgraph/job-graph.js';
import type { JobProgram } from '../../runtime/task-contract.js';
import type { FromProgram, ToProgram } from './program-messages.js';

/** A job's main running on its own thread. */
export interface ProgramThread {
  /** Settles as runProgramMain does: when main returns, or with a ProgramError. */
  readonly finished: Promise<void>;
  /** Ends the thread, wherever main is (a main that loops or waits forever). */
  terminate(): Promise<void>;
}

/** What the JobManager gets of a program built on another thread: its graph. Chains are built by TaskManagers. */
function graphOnly(graph: JobGraph): JobProgram {
  const elsewhere = (): never => {
    throw new ProgramError('Operator chains are built on TaskManagers, not from a program the JobManager ran on a worker thread.');
  };
  return { graph, createChain: elsewhere, createPartitioner: elsewhere };
}

/**
 * Runs a job's main on a worker thread, as Flink runs it off the JobManager's RPC threads: a main
 * that computes or waits forever leaves REST, RPC, heartbeats and signals answering. Each
 * execute() reaches `onExecute` here, on the JobManager's thread, with the graph main built.
 */
export function runProgramMainOffThread(
  moduleUrl: string,
  args: readonly string[],
  defaults: ProgramDefaults,
  onExecute: ExecuteHandler,
): ProgramThread {
  const worker = new Worker(new URL('./program-worker.js', import.meta.url), {
    workerData: { moduleUrl, args: [...args], defaults },
  });
  const finished = new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve();
      else reject(error);
    };
    const reply = (message: ToProgram): void => worker.postMessage(message);
    worker.on('message', (message: FromProgram) => {
      if (message.type === 'execute') {
        onExecute(graphOnly(message.graph)).then(
          (result) => reply({ type: 'executed', call: message.call, result }),
          (error: unknown) => reply({ type: 'execute-failed', call: message.call, message: describeError(error) }),
        );
      } else if (message.type === 'returned') {
        settle();
      } else {
        const error = new ProgramError(message.message, message.suggestion === undefined ? {} : { suggestion: message.suggestion });
        if (message.stack !== undefined) error.stack = message.stack;
        settle(error);
      }
    });
    // An error thrown outside main's promise chain, or the thread running out of memory.
    worker.on('error', (error) =>
      settle(new ProgramError(`The job's main failed on its thread: ${describeError(error)}`, { cause: error })),
    );
    worker.on('exit', (code) => settle(new ProgramError(`The job's main thread ended (exit code ${code}) before main returned.`)));
  });
  return {
    finished,
    terminate: async () => {
      await worker.terminate();
    },
  };
}
