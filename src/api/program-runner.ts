/**
 * Runs a job module's main(args) inside a program context, so that the environment it gets knows
 * the cluster's defaults and what execute() should do (submit on the JobManager, capture on a
 * TaskManager). Several programs may run in one process at once.
 */
import { describeError, ProgramError } from '../core/errors.js';
import { runWithProgramContext, type ExecuteHandler, type ProgramContext, type ProgramDefaults } from './environment/program-context.js';

type MainFunction = (args: string[]) => unknown;

function findMain(mod: Record<string, unknown>, moduleUrl: string): MainFunction {
  if (typeof mod['main'] === 'function') return mod['main'] as MainFunction;
  const def = mod['default'];
  if (typeof def === 'function') return def as MainFunction;
  if (typeof def === 'object' && def !== null && typeof (def as Record<string, unknown>)['main'] === 'function') {
    return (def as { main: MainFunction }).main.bind(def);
  }
  throw new ProgramError(`The job module ${moduleUrl} has no main(args)`, {
    suggestion: 'export a function named main (or a default function) that builds the job and calls env.execute()',
  });
}

/** Wraps an error thrown by the user's main, keeping its stack below ours. */
function programFailure(error: unknown, moduleUrl: string): ProgramError {
  if (error instanceof ProgramError) return error;
  const wrapped = new ProgramError(`The main method of ${moduleUrl} failed: ${describeError(error)}`, { cause: error });
  if (error instanceof Error && error.stack !== undefined) wrapped.stack = `${wrapped.stack ?? wrapped.message}\nCaused by: ${error.stack}`;
  return wrapped;
}

/**
 * Imports `moduleUrl`, runs its main with `args`; every env.execute() inside calls `onExecute` with
 * the built JobProgram. Resolves when main returns; fails with a ProgramError when the module cannot
 * be loaded, has no main, main throws, or main returns without executing a job.
 */
export async function runProgramMain(
  moduleUrl: string,
  args: readonly string[],
  defaults: ProgramDefaults,
  onExecute: ExecuteHandler,
): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(moduleUrl)) as Record<string, unknown>;
  } catch (cause) {
    throw new ProgramError(`Cannot load the job module ${moduleUrl}: ${describeError(cause)}`, { cause });
  }
  const main = findMain(mod, moduleUrl);
  const context: ProgramContext = { defaults, args: [...args], onExecute, executions: 0 };
  try {
    await runWithProgramContext(context, () => main([...args]));
  } catch (error) {
    throw programFailure(error, moduleUrl);
  }
  if (context.executions === 0) {
    throw new ProgramError(`The main method of ${moduleUrl} returned without executing a job`, {
      suggestion: 'call env.execute(jobName) at the end of main',
    });
  }
}
