import type { FuzzFailure } from './fuzz-target.js';

/**
 * A bug the fuzzers found in code owned elsewhere, reported to its owner and not yet fixed. Runs
 * still count and print it, but it does not fail them; delete the entry once the fix lands, so the
 * fuzzers guard the fix from then on.
 */
export interface KnownFinding {
  readonly target: string;
  readonly pattern: RegExp;
  /** The file that needs the fix. */
  readonly where: string;
  readonly summary: string;
}

/** Open findings, each reported in the run's summary. */
export const KNOWN_FINDINGS: readonly KnownFinding[] = [];

/** The known finding a failure is an instance of, if any. */
export function knownFinding(failure: FuzzFailure): KnownFinding | undefined {
  return KNOWN_FINDINGS.find((known) => known.target === failure.target && known.pattern.test(failure.message));
}
