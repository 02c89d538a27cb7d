/**
 * The worker thread a job's main runs on (see program-thread.ts): runs main with the program
 * context the JobManager gave, and hands each execute() to the JobManager's thread as a message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runProgramMain } from '../../api/program-runner.js';
import type { JobExecutionResult, ProgramDefaults } from '../../api/environment/program-context.js';
import { describeError, ProgramError } from '../../core/errors.js';
import type { FromProgram, ToProgram } from './program-messages.js';

const { moduleUrl, args, defaults } = workerData as { moduleUrl: string; args: string[]; defaults: ProgramDefaults };
const port = parentPort!;
const pending = new Map<number, { resolve: (r: JobExecutionResult) => void; reject: (e: Error) => void }>();
let nextCall = 0;

port.on('message', (message: ToProgram) => {
  const call = pending.get(message.call);
  if (call === undefined) return;
  pending.delete(message.call);
  if (message.type === 'executed') call.resolve(message.result);
  else call.reject(new ProgramError(message.message));
});

const send = (message: FromProgram): void => port.postMessage(message);

runProgramMain(moduleUrl, args, defaults, (program) => {
  const call = nextCall++;
  return new Promise<JobExecutionResult>((resolve, reject) => {
    pending.set(call, { resolve, reject });
    send({ type: 'execute', call, graph: program.graph });
  });
}).then(
  () => {
    send({ type: 'returned' });
    port.close();
  },
  (error: unknown) => {
    const failure = error instanceof Error ? error : new Error(describeError(error));
    send({
      type: 'failed',
      message: failure.message,
      stack: failure.stack,
      suggestion: failure instanceof ProgramError ? failure.suggestion : undefined,
    });
    port.close();
  },
);
