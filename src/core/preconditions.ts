/** Throws when an invariant of the caller's own state does not hold: a bug, not bad input. */
export function checkState(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Illegal state: ${message}`);
}

/** Throws when an argument is outside what the function accepts. */
export function checkArgument(condition: unknown, message: string): asserts condition {
  if (!condition) throw new RangeError(message);
}
