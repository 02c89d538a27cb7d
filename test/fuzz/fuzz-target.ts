import type { Prng } from './prng.js';

/** Something wrong that one input (or the batch it was in) caused. */
export interface FuzzFailure {
  readonly target: string;
  /** Index of the input within the run, or -1 for a check made after a batch. */
  readonly index: number;
  readonly message: string;
  /** A shortened description of the input, enough to rebuild it with the seed. */
  readonly input: string;
}

/** What one input did; `problem` set means the input found a bug. */
export interface FuzzOutcome {
  readonly input: string;
  readonly problem?: string;
}

/**
 * One thing to fuzz: how to prepare it, how to run a single input from a seeded generator, and
 * the health check that follows every batch (is the process alive, does it still serve, is its
 * memory bounded). Inputs are independent, so any one can be replayed from the seed and index.
 */
export interface FuzzTarget {
  readonly name: string;
  /** Inputs run at the same time within a batch. */
  readonly concurrency: number;
  /** Inputs per batch, between health checks. */
  readonly batchSize: number;
  setup(): Promise<void>;
  runOne(rng: Prng, index: number): Promise<FuzzOutcome>;
  /** Problems found after a batch (empty when healthy). */
  checkHealth(): Promise<string[]>;
  teardown(): Promise<void>;
}

/** Starts a health problem after which fuzzing the target further is pointless (its process died). */
export const FATAL = 'fatal: ';

/** Rejects with a clear message if `promise` takes longer than `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Whether a message is a single line: no character a terminal moves to another line for (LF, CR, VT, FF). */
export function isOneLine(text: string): boolean {
  return !/[\n\r\v\f]/.test(text);
}
