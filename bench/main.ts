import { fileURLToPath } from 'node:url';
import { UsageError } from '../src/core/errors.js';
import type { Benchmark, BenchResult } from './benchmark.js';
import { cleanupAll } from './process-cleanup.js';
import { mergeResults, readResults, targetLines, writeResults } from './results-report.js';
import * as cores from './cores.js';
import * as startup from './startup.js';
import * as throughput from './throughput.js';
import * as rescale from './rescale.js';
import * as rest from './rest.js';
import * as vsFlink from './vs-flink.js';
import * as vsFlinkState from './vs-flink-state.js';
import * as network from './network.js';
import * as failover from './failover.js';
import * as stateSnapshot from './state-snapshot.js';
import * as autoscale from './autoscale.js';
import { FlinkUnavailableError } from './vs-flink/flink-distribution.js';
import { cleanUpOnInterrupt } from '../test/helpers/interrupt.js';

/** The benchmarks a plain `npm run bench` runs, in order; add new modules here. */
const BENCHMARKS: readonly Benchmark[] = [startup, throughput, cores, rescale, stateSnapshot, rest];
/**
 * Benchmarks that run only when named: vs-flink needs Java and Maven and takes half an hour (vs-flink-state is its
 * keyed-state part alone); network needs root for its
 * namespaces; failover needs Debian's ZooKeeper; autoscale models decisions, not processes.
 */
const ON_REQUEST: readonly Benchmark[] = [vsFlink, vsFlinkState, network, failover, autoscale];

/** bench/results in the source tree (this file runs from dist/bench). */
const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

/** Picks the benchmarks named on the command line (all when none), refusing unknown names. */
function select(names: readonly string[]): readonly Benchmark[] {
  if (names.length === 0) return BENCHMARKS;
  const known = [...BENCHMARKS, ...ON_REQUEST];
  const unknown = names.filter((n) => !known.some((b) => b.name === n));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown benchmark(s) ${unknown.join(', ')}: expected one of ${known.map((b) => b.name).join(', ')}.`);
  }
  return known.filter((b) => names.includes(b.name));
}

async function main(names: readonly string[]): Promise<number> {
  const chosen = select(names);
  const results: BenchResult[] = [];
  for (const benchmark of chosen) {
    process.stderr.write(`Running benchmark ${benchmark.name}...\n`);
    results.push(await benchmark.run());
  }
  const markdown = writeResults(RESULTS_DIR, mergeResults(readResults(`${RESULTS_DIR}latest.json`), results));
  process.stdout.write(markdown);
  for (const line of targetLines(results)) process.stderr.write(`${line}\n`);
  process.stderr.write(`Results written to ${RESULTS_DIR}latest.json and latest.md.\n`);
  return 0;
}

cleanUpOnInterrupt((signal) => `Interrupted (${signal}); stopping every process the benchmarks started.`, cleanupAll);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    if (error instanceof FlinkUnavailableError) {
      process.stderr.write(`${error.message}\n`);
      await cleanupAll();
      process.exit(1);
    }
    const detail = error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`Benchmark failed: ${detail}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
