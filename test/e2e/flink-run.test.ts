import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { committedLines } from '../helpers/committed-output.js';
import { FLINK_HOME, getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

const WORD_COUNT = 'examples/streaming/WordCount.jar';
const WORD_COUNT_CLASS = 'org.apache.flink.streaming.examples.wordcount.WordCount';
const TOP_SPEED = 'examples/streaming/TopSpeedWindowing.jar';
const SUBMITTED = /^Job has been submitted with JobID ([0-9a-f]{32})$/m;

/** The final (word,count) of each word in WordCount's committed output. */
function finalCounts(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const match = /^\((\w+),(\d+)\)$/.exec(line);
    if (match !== null) counts.set(match[1]!, Math.max(counts.get(match[1]!) ?? 0, Number(match[2])));
  }
  return counts;
}

describe("Flink's first steps and CLI flow on a session cluster of three TaskManagers", () => {
  const dist = TestDist.create({ config: { 'taskmanager.numberOfTaskSlots': 2 } });
  let url = '';

  before(async () => {
    writeFileSync(join(dist.confDir, 'workers'), 'localhost\nlocalhost\nlocalhost\n');
    const started = await dist.run('start-cluster.sh');
    assert.equal(started.exitCode, 0, started.stderr);
    url = restUrlFrom(started.stdout);
    await waitFor('three TaskManagers', async () =>
      (await getJson<{ taskmanagers: number }>(url, '/overview')).taskmanagers === 3 ? true : undefined,
    );
  });
  after(() => dist.destroy());

  it('flink run attached: WordCount over --input into --output, then its result and runtime', async () => {
    const input = join(dist.dir, 'words.txt');
    writeFileSync(input, 'to be or not to be\nthat is the question\n');
    const output = join(dist.dir, 'word-counts');
    const run = await dist.run('flink', ['run', WORD_COUNT, '--input', input, '--output', output]);
    assert.equal(run.exitCode, 0, run.stderr);
    const jobId = SUBMITTED.exec(run.stdout)?.[1];
    assert.ok(jobId !== undefined, run.stdout);
    assert.match(run.stdout, new RegExp(`Program execution finished\\nJob with JobID ${jobId} has finished\\.\\nJob Runtime: \\d+ ms`));
    const counts = finalCounts(committedLines(output));
    assert.deepEqual(
      [...counts].sort(([a], [b]) => a.localeCompare(b)),
      [
        ['be', 2],
        ['is', 1],
        ['not', 1],
        ['or', 1],
        ['question', 1],
        ['that', 1],
        ['the', 1],
        ['to', 2],
      ],
    );
    const jars = await getJson<{ files: unknown[] }>(url, '/jars');
    assert.deepEqual(jars.files, [], 'the CLI removes its upload once the job is submitted');
  });

  it('without --output, the counts reach the TaskManagers .out files', async () => {
    const mark = dist.stdoutMark();
    const run = await dist.run('flink', ['run', WORD_COUNT]);
    assert.equal(run.exitCode, 0, run.stderr);
    const printed = dist.taskManagerStdout(mark);
    assert.ok(
      printed.some((line) => /\(be,\d+\)$/.test(line)),
      printed.slice(0, 5).join('\n'),
    );
  });

  it('flink run with -m, -p and -c and program arguments runs at that parallelism', async () => {
    const output = join(dist.dir, 'word-counts-p2');
    const address = new URL(url).host;
    const run = await dist.run('flink', ['run', '-m', address, '-p', '2', '-c', WORD_COUNT_CLASS, WORD_COUNT, '--output', output]);
    assert.equal(run.exitCode, 0, run.stderr);
    const jobId = SUBMITTED.exec(run.stdout)![1]!;
    const job = await getJson<{ vertices: Array<{ name: string; parallelism: number }> }>(url, `/jobs/${jobId}`);
    assert.ok(
      job.vertices.some((v) => v.parallelism === 2),
      JSON.stringify(job.vertices.map((v) => [v.name, v.parallelism])),
    );
    assert.ok((finalCounts(committedLines(output)).get('be') ?? 0) > 0);
  });

  it('flink info prints the plan as JSON: operators, parallelism, pact and edges', async () => {
    const info = await dist.run('flink', ['info', '-p', '3', WORD_COUNT]);
    assert.equal(info.exitCode, 0, info.stderr);
    const json = /-{23} Execution Plan -{23}\n([\s\S]*)\n-{62}/.exec(info.stdout)?.[1];
    assert.ok(json !== undefined, info.stdout);
    const plan = JSON.parse(json) as {
      nodes: Array<{ id: number; pact: string; parallelism: number; predecessors?: Array<{ id: number; ship_strategy: string }> }>;
    };
    assert.equal(plan.nodes[0]!.pact, 'Data Source');
    assert.equal(plan.nodes.at(-1)!.pact, 'Data Sink');
    assert.ok(plan.nodes.some((n) => n.pact === 'Operator' && n.parallelism === 3));
    assert.ok(
      plan.nodes.some((n) => n.predecessors?.some((p) => p.ship_strategy === 'HASH')),
      'keyBy shows as a HASH edge',
    );
  });

  it('flink run -d returns once submitted; list -r, -s and -a; cancel; list -a shows CANCELED', async () => {
    const run = await dist.run('flink', ['run', '-d', TOP_SPEED]);
    assert.equal(run.exitCode, 0, run.stderr);
    const jobId = SUBMITTED.exec(run.stdout)![1]!;
    assert.doesNotMatch(run.stdout, /Program execution finished/);
    await waitFor('the detached job to run', async () =>
      (await getJson<{ state: string }>(url, `/jobs/${jobId}`)).state === 'RUNNING' ? true : undefined,
    );
    const running = await dist.run('flink', ['list', '-r']);
    assert.match(running.stdout, new RegExp(`${jobId} : CarTopSpeedWindowingExample \\(RUNNING\\)`));
    assert.match((await dist.run('flink', ['list', '-s'])).stdout, /No scheduled jobs\./);
    const cancel = await dist.run('flink', ['cancel', jobId]);
    assert.equal(cancel.exitCode, 0, cancel.stderr);
    await waitFor('the job to be canceled', async () =>
      (await getJson<{ state: string }>(url, `/jobs/${jobId}`)).state === 'CANCELED' ? true : undefined,
    );
    const all = await dist.run('flink', ['list', '-a']);
    assert.match(all.stdout, new RegExp(`${jobId} : CarTopSpeedWindowingExample \\(CANCELED\\)`));
    assert.match(all.stdout, /: WordCount \(FINISHED\)/);
  });

  it('an attached run of a job that fails exits 1 with the cause', async () => {
    const module = join(FLINK_HOME, 'dist', 'test', 'fixtures', 'jobs', 'failing-job.js');
    const run = await dist.run('flink', ['run', module]);
    assert.equal(run.exitCode, 1, run.stdout);
    assert.match(run.stdout, /The program finished with the following exception:\n\nJob [0-9a-f]{32} ended FAILED: .*bad record 500/);
  });

  it('refuses a missing jar, a missing class and a main that throws, each in one line', async () => {
    const missing = await dist.run('flink', ['run', join(dist.dir, 'nope.jar')]);
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr.trim(), /^Could not build the program from JAR file: JAR file does not exist: .*nope\.jar$/);
    const noClass = await dist.run('flink', ['run', '-c', 'no.such.Job', WORD_COUNT]);
    assert.equal(noClass.exitCode, 1);
    assert.equal(noClass.stderr.trim().split('\n').length, 1, noClass.stderr);
    assert.match(noClass.stderr, /HTTP 400: Could not execute application: .*no module for class no\.such\.Job/);
    const throwing = await dist.run('flink', ['run', join(FLINK_HOME, 'dist', 'test', 'fixtures', 'jobs', 'throwing-main.js')]);
    assert.equal(throwing.exitCode, 1);
    assert.match(throwing.stderr, /Could not execute application: .*this main refuses to run/);
    assert.equal(throwing.stderr.trim().split('\n').length, 1, throwing.stderr);
  });
});

describe('the jar REST API', () => {
  const dist = TestDist.create({ config: {} });
  let url = '';
  before(async () => {
    const started = await dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    url = restUrlFrom(started.stdout);
  });
  after(() => dist.destroy());

  async function upload(name: string, bytes: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
    const form = new FormData();
    form.append('jarfile', new Blob([bytes]), name);
    const response = await fetch(`${url}/jars/upload`, { method: 'POST', body: form });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it('uploads, lists with the entry class, plans, runs and deletes a jar as Flink does', async () => {
    const uploaded = await upload('WordCount.jar', readFileSync(join(FLINK_HOME, WORD_COUNT)));
    assert.equal(uploaded.status, 200);
    assert.equal(uploaded.json['status'], 'success');
    assert.match(String(uploaded.json['filename']), /flink-web-upload\/[0-9a-f-]{36}_WordCount\.jar$/);
    const list = await getJson<{ address: string; files: Array<{ id: string; name: string; entry: Array<{ name: string }> }> }>(
      url,
      '/jars',
    );
    assert.equal(list.address, url);
    const jar = list.files[0]!;
    assert.equal(jar.name, 'WordCount.jar');
    assert.deepEqual(
      jar.entry.map((e) => e.name),
      [WORD_COUNT_CLASS],
    );
    const plan = await getJson<{ plan: { name: string; nodes: Array<{ parallelism: number }> } }>(
      url,
      `/jars/${jar.id}/plan?parallelism=3`,
    );
    assert.equal(plan.plan.name, 'WordCount');
    assert.ok(plan.plan.nodes.some((n) => n.parallelism === 3));
    const bad = await fetch(`${url}/jars/${jar.id}/run`, {
      method: 'POST',
      body: JSON.stringify({ programArgs: 'a', programArgsList: ['b'] }),
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { errors: string[] }).errors[0]!, /programArgs and programArgsList/);
    const deleted = await fetch(`${url}/jars/${jar.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    assert.deepEqual((await getJson<{ files: unknown[] }>(url, '/jars')).files, []);
    const again = await fetch(`${url}/jars/${jar.id}`, { method: 'DELETE' });
    assert.equal(again.status, 400);
  });

  it('refuses a file that is not a jar, and ids that would leave the upload directory', async () => {
    const notJar = await upload('notes.txt', Buffer.from('hello'));
    assert.equal(notJar.status, 400);
    assert.deepEqual(notJar.json['errors'], ['Only Jar files are allowed.']);
    const escape = await fetch(`${url}/jars/${encodeURIComponent('../../conf/config.yaml')}/plan`);
    assert.equal(escape.status, 400);
    const noFile = await fetch(`${url}/jars/upload`, { method: 'POST', body: '{}' });
    assert.equal(noFile.status, 400);
    assert.match(((await noFile.json()) as { errors: string[] }).errors[0]!, /multipart\/form-data body with the file in field 'jarfile'/);
  });
});

describe('where jobs cannot be submitted', () => {
  const dists: TestDist[] = [];
  after(async () => {
    await Promise.all(dists.map((d) => d.destroy()));
  });

  it('flink run against an application cluster says it takes no submissions', async () => {
    const dist = TestDist.create({ config: {} });
    dists.push(dist);
    dist.addExampleJar('TopSpeedWindowing');
    const started = await dist.run('standalone-job.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    const run = await dist.run('flink', ['run', '-m', new URL(restUrlFrom(started.stdout)).host, WORD_COUNT]);
    assert.equal(run.exitCode, 1);
    // Flink's own answer, checked against Flink 1.20 with compare-flink's tools: "[POST request not allowed]".
    assert.match(
      run.stderr.trim(),
      /^Failed to submit JobGraph: \[POST request not allowed\]: the JobManager at \S+ takes no job submissions: it is an application cluster \(standalone-job\.sh\)/,
    );
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('web.submit.enable: false hides the jar endpoints and the submit feature', async () => {
    const dist = TestDist.create({ config: { 'web.submit.enable': false } });
    dists.push(dist);
    const started = await dist.run('jobmanager.sh', ['start']);
    const url = restUrlFrom(started.stdout);
    assert.equal((await fetch(`${url}/jars`)).status, 404);
    const config = await getJson<{ features: Record<string, boolean> }>(url, '/config');
    assert.equal(config.features['web-submit'], false);
  });
});
