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
export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  {
    target: 'rest',
    pattern: /from the HTTP parser without a JSON \{"errors": \[\.\.\.\]\} body/,
    where: 'src/rest/rest-server.ts',
    summary: "requests node:http cannot parse (bad request line or header bytes, unknown methods, more than 16 KiB of headers) get node's default bare 400/431 without a JSON {\"errors\"} body: the server has no 'clientError' handler",
  },
  {
    target: 'rest',
    pattern: /a body above rest\.server\.max-content-length got a reset/,
    where: 'src/rest/rest-server.ts',
    summary: 'the 413 for a body above rest.server.max-content-length closes the connection while the client is still sending, so the client sees EPIPE/ECONNRESET instead of the 413 (drain a bounded amount before closing)',
  },
];

/** The known finding a failure is an instance of, if any. */
export function knownFinding(failure: FuzzFailure): KnownFinding | undefined {
  return KNOWN_FINDINGS.find((known) => known.target === failure.target && known.pattern.test(failure.message));
}
