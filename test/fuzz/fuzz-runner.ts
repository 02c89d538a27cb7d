import { Prng } from './prng.js';
import { FATAL, type FuzzFailure, type FuzzTarget } from './fuzz-target.js';
import { knownFinding } from './known-findings.js';

/** How long, or how many inputs, to fuzz one target. */
export interface FuzzBudget {
  readonly seed: string;
  /** Stop after this many inputs. */
  readonly maxInputs?: number;
  /** Stop starting batches after this many ms. */
  readonly maxMs?: number;
  /** Replay only this input index (reproduction). */
  readonly only?: number;
  /** Stop at the first failing batch, so one bug is not reported a hundred times. */
  readonly stopOnFailure?: boolean;
}

/** What fuzzing one target did. */
export interface FuzzReport {
  readonly target: string;
  readonly inputs: number;
  /** New failures: bugs nobody has been told about yet. */
  readonly failures: readonly FuzzFailure[];
  /** Instances of known findings (reported to their owners, see known-findings.ts). */
  readonly known: readonly FuzzFailure[];
  readonly elapsedMs: number;
}

/** Splits failures into new ones and instances of known findings. */
export function buildReport(target: string, inputs: number, all: readonly FuzzFailure[], elapsedMs: number): FuzzReport {
  return {
    target,
    inputs,
    failures: all.filter((f) => knownFinding(f) === undefined),
    known: all.filter((f) => knownFinding(f) !== undefined),
    elapsedMs,
  };
}

/**
 * Runs a target's inputs in batches (concurrently within a batch), each input from its own seeded
 * generator, and the target's health check after every batch. A setup failure is a failure too.
 */
export async function fuzzTarget(target: FuzzTarget, budget: FuzzBudget): Promise<FuzzReport> {
  const started = Date.now();
  const failures: FuzzFailure[] = [];
  let inputs = 0;
  try {
    await target.setup();
  } catch (error) {
    return buildReport(
      target.name,
      inputs,
      [{ target: target.name, index: -1, message: `setup failed: ${String(error)}`, input: '' }],
      Date.now() - started,
    );
  }
  try {
    const indices = budget.only !== undefined ? [budget.only] : undefined;
    let next = 0;
    const more = (): boolean =>
      indices !== undefined
        ? next < indices.length
        : (budget.maxInputs === undefined || next < budget.maxInputs) &&
          (budget.maxMs === undefined || Date.now() - started < budget.maxMs);
    while (more()) {
      const batch: number[] = [];
      while (batch.length < target.batchSize && more()) batch.push(indices !== undefined ? indices[next++]! : next++);
      const before = failures.filter((f) => knownFinding(f) === undefined).length;
      await runBatch(target, budget.seed, batch, failures);
      inputs += batch.length;
      const problems = await target.checkHealth();
      for (const problem of problems) {
        failures.push({
          target: target.name,
          index: -1,
          message: `after inputs ${batch[0]}..${batch[batch.length - 1]}: ${problem}`,
          input: '',
        });
      }
      if (problems.some((problem) => problem.startsWith(FATAL))) break;
      if (budget.stopOnFailure === true && failures.filter((f) => knownFinding(f) === undefined).length > before) break;
    }
  } finally {
    await target
      .teardown()
      .catch((error: unknown) =>
        failures.push({ target: target.name, index: -1, message: `teardown failed: ${String(error)}`, input: '' }),
      );
  }
  return buildReport(target.name, inputs, failures, Date.now() - started);
}

async function runBatch(target: FuzzTarget, seed: string, batch: readonly number[], failures: FuzzFailure[]): Promise<void> {
  let cursor = 0;
  const worker = async (): Promise<void> => {
    while (cursor < batch.length) {
      const index = batch[cursor++]!;
      try {
        const outcome = await target.runOne(Prng.forInput(seed, target.name, index), index);
        if (outcome.problem !== undefined) failures.push({ target: target.name, index, message: outcome.problem, input: outcome.input });
      } catch (error) {
        failures.push({
          target: target.name,
          index,
          message: `the fuzzer itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          input: '',
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(target.concurrency, batch.length) }, worker));
}

/** A failure as a report line, with what it takes to replay it. */
export function formatFailure(failure: FuzzFailure, seed: string): string {
  const replay = failure.index >= 0 ? ` (replay: npm run fuzz -- --seed ${seed} --target ${failure.target} --only ${failure.index})` : '';
  const input = failure.input === '' ? '' : `\n    input: ${failure.input}`;
  return `  [${failure.target} #${failure.index}] ${failure.message}${replay}${input}`;
}

/** Failures grouped by the shape of their message (numbers, ids and quoted parts blurred), largest group first. */
export function groupFailures(failures: readonly FuzzFailure[]): Array<{ count: number; example: FuzzFailure }> {
  const groups = new Map<string, { count: number; example: FuzzFailure }>();
  for (const failure of failures) {
    const shape = failure.message
      .replace(/after inputs \d+\.\.\d+: /, '')
      .replace(/'[^']*'|"[^"]*"|\d+|[0-9a-f]{8,}/g, '#')
      .slice(0, 90);
    const group = groups.get(shape);
    if (group === undefined) groups.set(shape, { count: 1, example: failure });
    else group.count++;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
