import type { FlinkRestClient } from './flink-rest-client.js';

/** Which groups `flink list` shows. */
export interface ListSelection {
  readonly running: boolean;
  readonly scheduled: boolean;
  readonly all: boolean;
}

/** The part of a /jobs/overview entry the listing uses. */
interface JobEntry {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
}

const CLOSING_LINE = '--------------------------------------------------------------';

/** `flink list`: running/restarting, scheduled (and with -a terminated) jobs, as Flink's CLI prints them. */
export async function listJobs(client: FlinkRestClient, selection: ListSelection, print: (line: string) => void): Promise<void> {
  const showDefault = !selection.running && !selection.scheduled && !selection.all;
  const showRunning = selection.running || selection.all || showDefault;
  const showScheduled = selection.scheduled || selection.all || showDefault;
  print('Waiting for response...');
  const { jobs } = await client.get<{ jobs: JobEntry[] }>('/jobs/overview');
  const scheduled = jobs.filter((job) => job.state === 'CREATED' || job.state === 'INITIALIZING');
  const terminated = jobs.filter((job) => job.state === 'FINISHED' || job.state === 'CANCELED' || job.state === 'FAILED');
  const running = jobs.filter((job) => !scheduled.includes(job) && !terminated.includes(job));
  if (showRunning) printGroup('------------------ Running/Restarting Jobs -------------------', running, 'No running jobs.', print);
  if (showScheduled) printGroup('----------------------- Scheduled Jobs -----------------------', scheduled, 'No scheduled jobs.', print);
  if (selection.all && terminated.length > 0)
    printGroup('---------------------- Terminated Jobs -----------------------', terminated, undefined, print);
}

function printGroup(header: string, jobs: readonly JobEntry[], whenEmpty: string | undefined, print: (line: string) => void): void {
  if (jobs.length === 0) {
    if (whenEmpty !== undefined) print(whenEmpty);
    return;
  }
  print(header);
  for (const job of [...jobs].sort((a, b) => a['start-time'] - b['start-time'])) print(jobLine(job));
  print(CLOSING_LINE);
}

/** `dd.MM.yyyy HH:mm:ss : <jobId> : <name> (<STATE>)` in local time. */
export function jobLine(job: JobEntry): string {
  return `${formatStartTime(job['start-time'])} : ${job.jid} : ${job.name} (${job.state})`;
}

/** Flink's `dd.MM.yyyy HH:mm:ss`, local time. */
export function formatStartTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getDate())}.${two(date.getMonth() + 1)}.${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
