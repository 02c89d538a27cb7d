/**
 * `npm run bench -- vs-flink-state`: only vs-flink's scenarios with filled keyed state (10 MB and
 * 100 MB): checkpoint duration, restore time, rescale times and records replayed against real
 * Apache Flink, in a fraction of the whole comparison's half hour. Its rows are kept under their own
 * name, so a run leaves the last full vs-flink figures standing beside them.
 */
import { currentEnvironment, quickMode, type BenchResult } from './benchmark.js';
import { ensureFlink } from './vs-flink/flink-distribution.js';
import { Figures } from './vs-flink/figures.js';
import type { ClusterFactory } from './vs-flink/scenarios.js';
import { flinkCluster, tsflinkCluster } from './vs-flink/systems.js';
import { rescalePair, STATE_SCENARIOS } from './vs-flink.js';

/** Registry name: `npm run bench vs-flink-state`; on request only, like vs-flink. */
export const name = 'vs-flink-state';

/** Pairs of runs (tsflink, then Flink); each figure is a median over them. */
const PAIRS = quickMode() ? 1 : 3;

export async function run(): Promise<BenchResult> {
  const flinkDist = await ensureFlink();
  const tsflink: ClusterFactory = async (config) => tsflinkCluster(config);
  const flink: ClusterFactory = (config) => flinkCluster(flinkDist, config);
  const figures = new Figures();
  const failures: string[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    process.stderr.write(`vs-flink-state: pair ${pair + 1} of ${PAIRS}\n`);
    for (const scenario of STATE_SCENARIOS) {
      // One system failing one scenario (Flink under load has missed its 180 s) costs that pair, not the run.
      try {
        await rescalePair(figures, scenario, tsflink, flink);
      } catch (error) {
        const line = `pair ${pair + 1}, ${scenario.label}: ${error instanceof Error ? error.message : String(error)}`;
        process.stderr.write(`vs-flink-state: ${line}\n`);
        failures.push(line);
      }
    }
  }
  return {
    name,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    metrics: figures.metrics(),
    notes: [
      `vs-flink's keyed-state scenarios alone: Apache Flink ${flinkDist.version} beside tsflink, ${PAIRS} pair(s), tsflink then Flink in each; ratios are of the medians, runs are per-pair ratios.`,
      ...failures.map((f) => `Not measured: ${f}.`),
      'Restore time: the slowest subtask of the rescaled run, INITIALIZING → RUNNING, read from /jobs/:id/vertices/:vid/subtasktimes on both systems. Checkpoint duration: the completed checkpoint before the first rescale, end to end.',
    ],
  };
}
