import type { FlinkRestClient } from './flink-rest-client.js';

/** `flink cancel <jobId>`: asks the JobManager to cancel the job and reports once it accepted. */
export async function cancelJob(client: FlinkRestClient, jobId: string, print: (line: string) => void): Promise<void> {
  print(`Cancelling job ${jobId}.`);
  await client.patch(`/jobs/${jobId}?mode=cancel`);
  print(`Cancelled job ${jobId}.`);
}
