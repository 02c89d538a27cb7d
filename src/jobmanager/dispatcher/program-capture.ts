import type { ProgramDefaults } from '../../api/environment/program-context.js';
import { ProgramError } from '../../core/errors.js';
import type { JobProgram } from '../../runtime/task-contract.js';
import { runProgramMainOffThread } from './program-thread.js';

/** Thrown out of execute() to stop a main whose plan was all that was wanted (Flink's ProgramAbortException). */
class PlanCaptured extends ProgramError {
  constructor() {
    super('plan captured');
  }
}

/**
 * Runs a job's main on its own thread only up to its first execute() and returns the program it
 * built there (without submitting it); undefined when main returned without executing. A main
 * that failed before execute() rejects with its error.
 */
export async function captureProgram(
  moduleUrl: string,
  args: readonly string[],
  defaults: ProgramDefaults,
): Promise<JobProgram | undefined> {
  let captured: JobProgram | undefined;
  const thread = runProgramMainOffThread(moduleUrl, args, defaults, (program) => {
    captured = program;
    return Promise.reject(new PlanCaptured());
  });
  try {
    await thread.finished;
  } catch (error) {
    if (captured === undefined) throw error;
  } finally {
    await thread.terminate();
  }
  return captured;
}
