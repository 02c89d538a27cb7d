/** Errors of the DataStream API: a program built something tsflink cannot run. */
import { TsFlinkError } from '../core/errors.js';

/** The job program uses the API in a way that is not allowed (bad parallelism, forward over a parallelism change, ...). */
export class InvalidProgramError extends TsFlinkError {
  constructor(message: string, options: { context?: Record<string, unknown>; suggestion?: string } = {}) {
    super('PROGRAM_INVALID', message, options);
  }
}
