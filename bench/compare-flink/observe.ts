import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processExists } from '../../test/helpers/cluster-probes.js';
import { checkpointAfter, mark, onlyJob, runningAt, TUNED_FOR_RESCALING } from '../vs-flink/scenarios.js';
import { restGet, type ClusterConfig, type ClusterUnderTest } from '../vs-flink/systems.js';

/** One REST answer: its HTTP status and, when it was JSON, the body. */
export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What a user or a tool sees of one system going through the comparison scenario. */
export interface Observations {
  /** Answers by moment ("running on 2 TaskManagers", "after cancel") and endpoint template. */
  readonly rest: Record<string, Record<string, RestAnswer>>;
  /** `bin/flink` output, normalized (ids, paths and times replaced), by command. */
  readonly cli: Record<string, { exitCode: number; output: string }>;
  /** The job's states in the order /jobs/:id timestamps put them. */
  readonly transitions: readonly string[];
}

/** What test/fixtures/flink-rest-shapes.json holds: Flink's side of the scenario, recorded by `compare-flink --record-fixture`. */
export interface FlinkGolden {
  readonly flinkVersion: string;
  /** Answer shapes of the endpoints Flink served with 200, by moment and template. */
  readonly moments: Record<string, Record<string, Record<string, string>>>;
  readonly cli: Observations['cli'];
  readonly transitions: readonly string[];
}

/** The scenario's options, the same on both systems: Reactive Mode, fast failure detection, no cooldown. */
export const SCENARIO_CONFIG: ClusterConfig = {
  ...TUNED_FOR_RESCALING,
  // Keep the JobManager up after the cancel, so the final state can be read.
  'execution.shutdown-on-application-finish': false,
};

/** Replaces what differs between any two runs (ids, paths, times, counts) by placeholders. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\b[0-9a-f]{32}\b/g, '<id>')
    .replace(/file:\/\S+/g, '<path>')
    .replace(/(^|\s)\/\S+/g, '$1<path>')
    .replace(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}/g, '<time>')
    .replace(/\b\d+ ?ms\b/g, '<n> ms')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** The GET endpoint templates of Flink's REST snapshot whose parameters this scenario can fill. */
export function fillableTemplates(snapshotGets: readonly string[]): string[] {
  return snapshotGets.filter(
    (t) => !/:(applicationid|rescaleuuid)|\/datasets|savepoint-disposal|checkpoints\/:triggerid|rescaling\/:triggerid/.test(t),
  );
}

interface JobDetails {
  state: string;
  timestamps: Record<string, number>;
  vertices: Array<{ id: string }>;
}

/** Fills a template's parameters from the running job. */
async function parametersOf(c: ClusterUnderTest, jobId: string, savepointTrigger: string | undefined): Promise<Record<string, string>> {
  const job = await restGet<JobDetails>(c, `/jobs/${jobId}`);
  const vertexId = job.vertices[0]!.id;
  const checkpoints = await restGet<{ latest?: { completed?: { id: number } | null } }>(c, `/jobs/${jobId}/checkpoints`).catch(
    () => undefined,
  );
  const taskManagers = await restGet<{ taskmanagers: Array<{ id: string }> }>(c, '/taskmanagers');
  const subtask = await restGet<{ attempt?: number }>(c, `/jobs/${jobId}/vertices/${vertexId}/subtasks/0`).catch(() => ({ attempt: 0 }));
  return {
    jobid: jobId,
    vertexid: vertexId,
    checkpointid: String(checkpoints?.latest?.completed?.id ?? 1),
    taskmanagerid: taskManagers.taskmanagers[0]?.id ?? 'none',
    subtaskindex: '0',
    attempt: String(subtask.attempt ?? 0),
    triggerid: savepointTrigger ?? 'none',
  };
}

/** GETs every template, filled; records status and JSON body. */
async function captureRest(
  c: ClusterUnderTest,
  templates: readonly string[],
  parameters: Record<string, string>,
): Promise<Record<string, RestAnswer>> {
  const answers: Record<string, RestAnswer> = {};
  for (const template of templates) {
    const path = template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(parameters[name] ?? name));
    try {
      const response = await fetch(`${c.restUrl}${path}`);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (a log file, say): the status is what is compared
      }
      answers[template] = { status: response.status, body };
    } catch (error) {
      answers[template] = { status: 0, body: String(error) };
    }
  }
  return answers;
}

/**
 * Waits until every vertex of the new run has reported metrics (both systems fetch them from the
 * TaskManagers now and then), so back pressure and metric answers are compared with data in them.
 */
async function metricsReported(c: ClusterUnderTest, jobId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const job = await restGet<JobDetails>(c, `/jobs/${jobId}`);
    const reported = await Promise.all(
      job.vertices.map(async (v) => (await restGet<unknown[]>(c, `/jobs/${jobId}/vertices/${v.id}/subtasks/0/metrics`)).length > 0),
    );
    if (reported.every(Boolean)) return;
    await sleep(200);
  }
}

async function triggerSavepoint(c: ClusterUnderTest, jobId: string, directory: string): Promise<string> {
  const response = await fetch(`${c.restUrl}/jobs/${jobId}/savepoints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'target-directory': directory, 'cancel-job': false }),
  });
  const { 'request-id': trigger } = (await response.json()) as { 'request-id': string };
  for (;;) {
    const status = await restGet<{ status: { id: string } }>(c, `/jobs/${jobId}/savepoints/${trigger}`);
    if (status.status.id === 'COMPLETED') return trigger;
    await sleep(50);
  }
}

/**
 * The scenario: an application cluster with TopSpeedWindowing in Reactive Mode, 1 → 2 → 1
 * TaskManagers, a savepoint (REST and `flink savepoint`), `flink list`, then `flink cancel`.
 */
export async function observe(c: ClusterUnderTest, templates: readonly string[], workDir: string): Promise<Observations> {
  const rest: Record<string, Record<string, RestAnswer>> = {};
  const cli: Record<string, { exitCode: number; output: string }> = {};
  const run = async (name: string, args: string[]) => {
    const result = await c.cli(args);
    cli[name] = { exitCode: result.exitCode, output: normalizeOutput(`${result.stdout}\n${result.stderr}`) };
  };
  await c.startJobManager({ kind: 'application', job: 'topSpeed', args: [] });
  const address = ['-m', c.restUrl.replace(/^http:\/\//, '')];
  await c.startTaskManager();
  const jobId = await onlyJob(c);
  const vertices = (await restGet<JobDetails>(c, `/jobs/${jobId}`)).vertices.length;
  await runningAt(c, 0, 1, vertices);
  // A completed checkpoint first, so the rescale restores one on both systems alike.
  await checkpointAfter(c, 0);
  let from = mark(c);
  await c.startTaskManager();
  await runningAt(c, from, 2, vertices);
  await checkpointAfter(c, mark(c));
  await metricsReported(c, jobId);
  const trigger = await triggerSavepoint(c, jobId, `file://${join(workDir, 'rest-savepoints')}`);
  rest['running on 2 TaskManagers'] = await captureRest(c, templates, await parametersOf(c, jobId, trigger));
  from = mark(c);
  await c.stopTaskManager();
  await runningAt(c, from, 1, vertices);
  await run('flink list', ['list', ...address]);
  await run('flink savepoint', ['savepoint', ...address, jobId, `file://${join(workDir, 'savepoints')}`]);
  await run('flink cancel', ['cancel', ...address, jobId]);
  let job: JobDetails;
  for (;;) {
    job = await restGet<JobDetails>(c, `/jobs/${jobId}`);
    if (job.state === 'CANCELED') break;
    if (!processExists(c.jobManagerPid())) throw new Error(`${c.system}: the JobManager exited after the cancel`);
    await sleep(50);
  }
  await run('flink list (after cancel)', ['list', '-a', ...address]);
  rest['after cancel'] = await captureRest(c, templates, await parametersOf(c, jobId, trigger));
  const transitions = Object.entries(job.timestamps)
    .filter(([, time]) => time > 0)
    .sort((a, b) => a[1] - b[1])
    .map(([state]) => state);
  return { rest, cli, transitions };
}

/** Every line of every file under `dir` (hidden in-progress files included), sorted. */
export function linesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const lines: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else
        lines.push(
          ...readFileSync(full, 'utf8')
            .split('\n')
            .filter((l) => l.length > 0),
        );
    }
  };
  walk(dir);
  return lines.sort();
}

/** Runs TopSpeedWindowing over `input` into `output` on a fresh application cluster, to the end. */
export async function runTopSpeedOnFile(c: ClusterUnderTest, input: string, output: string): Promise<string[]> {
  await c.startJobManager({ kind: 'application', job: 'topSpeed', args: ['--input', input, '--output', output] });
  const jobManager = c.jobManagerPid();
  await c.startTaskManager();
  const deadline = Date.now() + 120_000;
  while (processExists(jobManager)) {
    if (Date.now() > deadline) throw new Error(`${c.system}: TopSpeedWindowing over ${input} did not finish in 120 s`);
    await sleep(100);
  }
  return linesUnder(output);
}
