import { ConfigurationError } from '../core/errors.js';

/**
 * A configuration value that does not parse or is out of range. Its message is the problem alone
 * ("expected ..."); Configuration turns it into a one-line error naming key, value and origin.
 */
export class ConfigValueError extends ConfigurationError {
  /** What was wrong with the text and what is accepted, without a trailing period. */
  readonly problem: string;

  constructor(problem: string) {
    super(problem);
    this.problem = problem;
  }
}

/** Builds the error for `expected` with an optional detail naming what was wrong. */
export function valueError(expected: string, detail?: string): ConfigValueError {
  return new ConfigValueError(detail === undefined ? `expected ${expected}` : `${detail}; expected ${expected}`);
}
