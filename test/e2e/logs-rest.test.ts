import assert from 'node:assert/strict';
import { appendFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

interface LogList {
  logs: Array<{ name: string; size: number; mtime: number }>;
}

async function text(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

describe('log files in REST, as Flink serves them', () => {
  const dist = TestDist.create({ config: {} });
  let url = '';
  let taskManagerId = '';

  before(async () => {
    const started = await dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    url = restUrlFrom(started.stdout);
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    taskManagerId = await waitFor('the TaskManager to register', async () => {
      const tms = await getJson<{ taskmanagers: Array<{ id: string }> }>(url, '/taskmanagers');
      return tms.taskmanagers[0]?.id;
    });
  });
  after(() => dist.destroy());

  it("lists the JobManager's log directory and serves its .log and .out", async () => {
    const list = await getJson<LogList>(url, '/jobmanager/logs');
    const names = list.logs.map((l) => l.name);
    assert.ok(
      names.some((n) => /-standalonesession-0-.*\.log$/.test(n)),
      names.join(' '),
    );
    const log = await text(`${url}/jobmanager/log`);
    assert.equal(log.status, 200);
    assert.match(log.body, /Rest endpoint listening at/);
    const entry = list.logs.find((l) => l.name.endsWith('.log') && l.name.includes('standalonesession'))!;
    assert.ok(entry.size > 0 && entry.mtime > 0);
    const byName = await text(`${url}/jobmanager/logs/${entry.name}`);
    assert.ok(byName.body.startsWith(log.body.slice(0, 200)));
    assert.equal((await text(`${url}/jobmanager/stdout`)).status, 200);
  });

  it("relays a TaskManager's files through its connection", async () => {
    const list = await getJson<LogList>(url, `/taskmanagers/${taskManagerId}/logs`);
    assert.ok(list.logs.some((l) => /-taskexecutor-0-.*\.log$/.test(l.name)));
    const log = await text(`${url}/taskmanagers/${taskManagerId}/log`);
    assert.equal(log.status, 200);
    assert.match(log.body, /Successful registration at resource manager/);
    assert.equal((await text(`${url}/taskmanagers/${taskManagerId}/stdout`)).status, 200);
    const unknown = await text(`${url}/taskmanagers/no-such-tm/log`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /Could not find TaskExecutor no-such-tm\./);
  });

  it('streams a file larger than one piece whole, and pages with offset and length', async () => {
    const big = join(dist.logDir, 'big-notes.txt');
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 30; i++) appendFileSync(big, line.repeat(1000)); // 3,000,000 bytes: three pieces
    const whole = await fetch(`${url}/jobmanager/logs/big-notes.txt`);
    assert.equal(whole.status, 200);
    assert.equal((await whole.arrayBuffer()).byteLength, 3_000_000);
    const page = await text(`${url}/jobmanager/logs/big-notes.txt?offset=100&length=150`);
    assert.equal(page.body, line + 'x'.repeat(50));
  });

  it('serves nothing outside the log directory', async () => {
    symlinkSync(join(dist.confDir, 'config.yaml'), join(dist.logDir, 'linked.log'));
    for (const name of ['..%2Fconf%2Fconfig.yaml', '.hidden', 'linked.log', 'missing.log']) {
      const answer = await text(`${url}/jobmanager/logs/${name}`);
      assert.ok([400, 404].includes(answer.status), `${name}: ${answer.status}`);
      assert.doesNotMatch(answer.body, /rest\.port|jobmanager\.rpc/, name);
    }
    const names = (await getJson<LogList>(url, '/jobmanager/logs')).logs.map((l) => l.name);
    assert.ok(!names.includes('linked.log'), 'a symbolic link is not listed');
    const bad = await text(`${url}/jobmanager/logs/big-notes.txt?offset=-1`);
    assert.equal(bad.status, 400);
  });
});
