/** Reads the size of a job's latest completed checkpoint from REST, and waits for it to reach a size. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckpointingStatistics, JobIdsWithStatusOverview } from '../src/rest/types/responses.js';
import { getJson } from '../test/helpers/test-dist.js';

const MB = 1024 * 1024;

/** The id of the one job the JobManager at `url` runs. */
export async function onlyJobId(url: string): Promise<string> {
  const { jobs } = await getJson<JobIdsWithStatusOverview>(url, '/jobs');
  const job = jobs[0];
  if (job === undefined || jobs.length !== 1) throw new Error(`expected one job at ${url}, found ${jobs.length}`);
  return job.id;
}

/** Bytes of the latest completed checkpoint (full state size), undefined before the first. */
export async function latestCheckpointBytes(url: string, jobId: string): Promise<number | undefined> {
  const stats = await getJson<CheckpointingStatistics>(url, `/jobs/${jobId}/checkpoints`);
  return stats.latest.completed?.state_size;
}

/**
 * Polls until a completed checkpoint holds at least `bytes`, so a benchmark labelled with a state size
 * measures that size (a fixed wait filled the "100 MB" state to 12–15 MB). Returns the size reached.
 */
export async function fillUntilCheckpointBytes(url: string, jobId: string, bytes: number, timeoutMs = 300_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let reached = 0;
  while (Date.now() < deadline) {
    reached = (await latestCheckpointBytes(url, jobId)) ?? 0;
    if (reached >= bytes) return reached;
    await sleep(200);
  }
  throw new Error(
    `the checkpoint reached ${(reached / MB).toFixed(1)} MB, not the ${(bytes / MB).toFixed(1)} MB asked, within ${timeoutMs / 1000} s`,
  );
}
