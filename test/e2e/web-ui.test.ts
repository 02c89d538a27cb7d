import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { FLINK_HOME, getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';
const SCREENSHOT_DIR = join(FLINK_HOME, 'test-output', 'web-ui');
/** A rescale includes the TaskManager registering, a cooldown and a restore; the shared box is slow. */
const RESCALE_TIMEOUT_MS = 90_000;

/** Texts of every element with this test id, in document order. */
async function texts(page: Page, testid: string): Promise<string[]> {
  return (await page.locator(`[data-testid="${testid}"]`).allTextContents()).map((text) => text.trim());
}

/** An attribute of every element with this test id. */
async function attributes(page: Page, testid: string, name: string): Promise<string[]> {
  const elements = await page.locator(`[data-testid="${testid}"]`).all();
  return Promise.all(elements.map(async (element) => (await element.getAttribute(name)) ?? ''));
}

/** Polls the rendered page until `probe` says yes; the dashboard must get there on its own refreshes. */
async function waitForPage(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  await waitFor(what, async () => ((await probe()) ? true : undefined), timeoutMs);
}

/** Every vertex of the job page, in the graph and in the table, at `parallelism`. */
async function jobShowsParallelism(page: Page, parallelism: number): Promise<boolean> {
  const graph = await attributes(page, 'graph-node', 'data-parallelism');
  const table = await texts(page, 'vertex-parallelism');
  const labels = await texts(page, 'graph-node-parallelism');
  return (
    graph.length > 0 &&
    graph.length === table.length &&
    [...graph, ...table].every((value) => value === String(parallelism)) &&
    labels.every((label) => label === `Parallelism: ${parallelism}`)
  );
}

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise `..`). */
function rawGet(
  baseUrl: string,
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web UI', () => {
  const dist = TestDist.create({
    config: { 'web.refresh-interval': '500 ms', 'heartbeat.interval': '500 ms', 'heartbeat.timeout': '5 s' },
  });
  const userDataDir = mkdtempSync(join(tmpdir(), 'tsf-chromium-'));
  let context: BrowserContext | undefined;
  let baseUrl = '';

  before(async () => {
    assert.ok(
      existsSync(join(FLINK_HOME, 'dist', 'web', 'index.html')),
      'dist/web is missing: run `npm run build` (it builds the dashboard)',
    );
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install it with 'apt-get install -y chromium'`);
    dist.addExampleJar('TopSpeedWindowing');
    const started = await dist.run('standalone-job.sh', [
      'start',
      '-Dscheduler-mode=reactive',
      '-Dexecution.checkpointing.interval=500ms',
      '-j',
      TOP_SPEED,
    ]);
    assert.equal(started.exitCode, 0, started.stderr);
    baseUrl = restUrlFrom(started.stdout);
    const tm = await dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
  });

  after(async () => {
    await context?.close();
    await dist.destroy();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('serves the dashboard files with their content types, refuses traversal and leaves REST routes alone', async () => {
    for (const path of ['/', '/index.html']) {
      const page = await rawGet(baseUrl, path);
      assert.equal(page.status, 200, path);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.equal(page.headers['cache-control'], 'no-cache', `${path} is revalidated on every load`);
      assert.match(page.body, /<script type="module" src="\/assets\/main\.js"><\/script>/);
    }
    const script = await rawGet(baseUrl, '/assets/main.js');
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.match(script.body, /from '\.\/app-shell\.js'/);
    const styles = await rawGet(baseUrl, '/assets/styles.css');
    assert.match(String(styles.headers['content-type']), /^text\/css/);
    for (const path of [
      '/assets/missing.js',
      '/assets/..%2Fpackage.json',
      '/assets/%2e%2e',
      '/assets/..%2F..%2F..%2Fpackage.json',
      '/assets/../../package.json',
      '/assets/.hidden',
    ]) {
      const refused = await rawGet(baseUrl, path);
      assert.equal(refused.status, 404, path);
      assert.doesNotMatch(refused.body, /"name": "tsflink"/, path);
      assert.ok(Array.isArray((JSON.parse(refused.body) as { errors?: unknown }).errors), `${path} answers Flink's error JSON`);
    }
    const overview = await rawGet(baseUrl, '/overview');
    assert.equal(overview.status, 200);
    assert.equal(typeof (JSON.parse(overview.body) as { taskmanagers?: unknown }).taskmanagers, 'number');
  });

  it('follows a reactive rescale from one TaskManager to two without reloading', { timeout: 240_000 }, async (t) => {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1440, height: 1000 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/`);

    await waitForPage('the overview to show 1 TaskManager', async () => (await texts(page, 'overview-taskmanagers'))[0] === '1');
    await waitForPage('the job to be listed', async () => (await texts(page, 'job-link')).length === 1);
    await page.evaluate('window.__sameDocument = true');
    await page.locator('[data-testid="job-link"]').click();

    await waitForPage('the job page at parallelism 1', () => jobShowsParallelism(page, 1), RESCALE_TIMEOUT_MS);
    assert.equal((await texts(page, 'header-taskmanagers'))[0], '1');
    assert.equal((await texts(page, 'job-scheduler'))[0], 'Adaptive');
    const shipStrategies = await attributes(page, 'graph-edge', 'data-ship-strategy');
    assert.ok(shipStrategies.includes('HASH'), `the keyBy edge is drawn as HASH (edges: ${shipStrategies.join(', ')})`);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'job-parallelism-1.png'), fullPage: true });

    const second = await dist.run('taskmanager.sh', ['start']);
    assert.equal(second.exitCode, 0, second.stderr);
    await waitForPage('the header to show 2 TaskManagers', async () => (await texts(page, 'header-taskmanagers'))[0] === '2');
    await waitForPage('the job page at parallelism 2', () => jobShowsParallelism(page, 2), RESCALE_TIMEOUT_MS);
    await waitForPage('the timeline to mark the scale-up', async () =>
      (await attributes(page, 'rescale-marker', 'data-cause')).includes('taskmanager-joined'),
    );
    // Once the new run's sinks process records, the timeline shows the downtime REST reports (newest row first).
    const jobId = (await getJson<{ jobs: Array<{ id: string }> }>(baseUrl, '/jobs')).jobs[0]!.id;
    const scaleUp = await waitFor(
      'the scale-up downtime to be measured',
      async () => {
        const { changes } = await getJson<{
          changes: Array<{ cause: string; downtimeMs: number; downtimeBasis: string; recordsReplayed: number | null }>;
        }>(baseUrl, `/jobs/${jobId}/parallelism-history`);
        const change = changes.at(-1);
        return change?.cause === 'taskmanager-joined' && change.downtimeBasis !== 'pending' ? change : undefined;
      },
      RESCALE_TIMEOUT_MS,
    );
    const shown = `${scaleUp.downtimeMs < 1000 ? `${scaleUp.downtimeMs} ms` : `${(scaleUp.downtimeMs / 1000).toFixed(1)} s`}${scaleUp.downtimeBasis === 'scheduler' ? ' (idle)' : ''}`;
    await waitForPage(`the timeline to show the downtime ${shown}`, async () => (await texts(page, 'rescale-downtime'))[0] === shown);
    assert.equal((await texts(page, 'rescale-replayed'))[0], String(scaleUp.recordsReplayed ?? '–'), 'and the records it replayed');
    assert.equal((await texts(page, 'rescale-backoff'))[0], '0 ms', 'and no restart back-off');
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'the page updated itself without a reload');
    // The generator emits 10 records/s per subtask: the source row shows a live rate above zero.
    await waitForPage('a live record rate on the source vertex', async () => {
      const rate = (await texts(page, 'vertex-records-out'))[0] ?? '';
      return /^[\d,.]+\/s$/.test(rate) && Number(rate.replace(/[,/s]/g, '')) > 0;
    });

    // The job's checkpoints one by one, and its configuration, as Flink's Checkpoints and Configuration tabs.
    await waitForPage('the checkpoint history to list completed checkpoints', async () =>
      (await texts(page, 'checkpoint-history-row')).some((row) => row.includes('COMPLETED')),
    );
    assert.match((await texts(page, 'job-config-restart-strategy'))[0] ?? '', /\S/);
    // A checkpoint opens in detail: each vertex, then each subtask of the vertex chosen.
    await page.locator('[data-testid="checkpoint-link"]').first().click();
    await waitForPage(
      'the checkpoint details to list both vertices',
      async () => (await texts(page, 'checkpoint-vertex-row')).length === 2,
    );
    await page.locator('[data-testid="checkpoint-vertex-row"] button').first().click();
    await waitForPage('the chosen vertex to list its 2 subtasks', async () => (await texts(page, 'checkpoint-subtask-row')).length === 2);

    // Selecting a vertex lists its subtasks: one per TaskManager, since each TaskManager has one slot.
    await page.locator('[data-testid="graph-node"]').first().click();
    await waitForPage(
      'the selected vertex to list 2 subtasks on TaskManagers',
      async () => (await texts(page, 'subtask-row')).length === 2 && (await texts(page, 'subtask-taskmanager')).length === 2,
    );
    const hosts = await texts(page, 'subtask-taskmanager');
    const jobPage = join(SCREENSHOT_DIR, 'job-parallelism-2.png');
    await page.screenshot({ path: jobPage, fullPage: true });

    await page.locator('nav a[data-page="taskmanagers"]').click();
    await waitForPage('the TaskManagers page to list 2', async () => (await texts(page, 'taskmanager-row')).length === 2);
    const registered = await attributes(page, 'taskmanager-row', 'data-taskmanager-id');
    assert.deepEqual([...hosts].sort(), [...registered].sort(), 'the two subtasks run on the two registered TaskManagers');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'taskmanagers.png'), fullPage: true });
    await page.locator('nav a[data-page="overview"]').click();
    await waitForPage(
      'the overview to show 2 TaskManagers and 2 slots',
      async () => (await texts(page, 'overview-taskmanagers'))[0] === '2' && (await texts(page, 'overview-slots-total'))[0] === '2',
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview.png'), fullPage: true });
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'navigation stayed within the page');
    assert.deepEqual(pageErrors, [], 'no script errors in the page');
    t.diagnostic(`screenshots in ${SCREENSHOT_DIR} (job page after the rescale: ${jobPage})`);
  });
});
