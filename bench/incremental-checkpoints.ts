/**
 * The incremental-checkpoint rows of `npm run bench -- state`: at the largest state size, the same
 * job runs with full checkpoints and with `execution.checkpointing.incremental`, and each
 * incremental figure (bytes written per checkpoint, checkpoint duration) stands beside the full
 * baseline measured in the same run. Two workloads: every key keeps changing its counter (the
 * payload stays), and only 1 % of the keys keep changing.
 */
import { baseline, median, metric, type MetricResult } from './benchmark.js';
import { measure, type CheckpointSample, type StateSize } from './state-snapshot.js';

const MB = 1024 * 1024;
const KB = 1024;

/** The workloads: all keys touched again within seconds, or a hot 1 % of them. */
const WORKLOADS = [
  { label: 'every key changing', hot: undefined },
  { label: '1 % of keys changing', hot: 0.01 },
] as const;

/** Rows comparing incremental with full checkpoints at `state`, and the notes that explain them. */
export async function incrementalRows(state: StateSize, checkpoints: number): Promise<{ metrics: MetricResult[]; notes: string[] }> {
  const metrics: MetricResult[] = [];
  for (const workload of WORKLOADS) {
    const hot = workload.hot === undefined ? undefined : Math.max(1, Math.round(state.keys * workload.hot));
    const full = (await measure(state, checkpoints, { hot })).checkpoints;
    const incremental = (await measure(state, checkpoints, { hot, incremental: true })).checkpoints;
    const stateMb = median(incremental.map((c) => c.stateBytes)) / MB;
    const measured = `state ${stateMb.toFixed(1)} MB, ${workload.label}`;
    const written = (samples: readonly CheckpointSample[]): number[] => samples.map((c) => c.checkpointedBytes / KB);
    metrics.push(
      metric(`${state.label} keyed state, ${workload.label}: bytes an incremental checkpoint writes`, 'KB', written(incremental), {
        baselines: [baseline('a full checkpoint of the same job', written(full))],
        measured,
      }),
      metric(
        `${state.label} keyed state, ${workload.label}: incremental checkpoint end-to-end duration`,
        'ms',
        incremental.map((c) => c.endToEndMs),
        {
          baselines: [
            baseline(
              'a full checkpoint of the same job',
              full.map((c) => c.endToEndMs),
            ),
          ],
          measured,
        },
      ),
    );
  }
  return {
    metrics,
    notes: [
      `Incremental rows: the ${state.label} job runs twice per workload, with full checkpoints (the baseline) and with execution.checkpointing.incremental; the rows are REST checkpointed_size and end_to_end_duration of the ${checkpoints} checkpoints after the fill. "Every key changing" is the job above (its counters change, its payloads do not); "1 % of keys changing" visits every key once, then only the first 1 %.`,
    ],
  };
}
