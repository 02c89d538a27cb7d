import { ConfigurationError, TsFlinkError, UsageError, describeError } from '../core/errors.js';
import { terminal } from './ui/terminal.js';

/** Prints an error the way a user can act on it and returns the exit code; unexpected errors keep their stack. */
export function handleError(error: unknown): number {
  if (error instanceof ConfigurationError || error instanceof UsageError) {
    terminal.error(error.message);
  } else if (error instanceof TsFlinkError) {
    terminal.error(`${describeError(error)}`);
  } else if (isSystemError(error)) {
    // The machine said no (a path, a permission, a port): one line the user can act on, no stack.
    terminal.error(
      `Cannot ${error.syscall}${error.path === undefined ? '' : ` ${error.path}`}: ${error.code} (${error.message.replace(/^[A-Z]+: /, '')})`,
    );
  } else {
    terminal.error(`Unexpected error: ${describeError(error)}`);
    if (error instanceof Error && error.stack !== undefined) terminal.dim(error.stack);
  }
  if (error instanceof TsFlinkError && error.suggestion !== undefined) terminal.dim(error.suggestion);
  return 1;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}
