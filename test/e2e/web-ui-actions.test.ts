import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { FLINK_HOME, getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

describe('web UI actions on a session cluster', () => {
  const dist = TestDist.create({ config: { 'web.refresh-interval': '300 ms' } });
  const userDataDir = mkdtempSync(join(tmpdir(), 'tsf-chromium-'));
  let context: BrowserContext | undefined;
  let url = '';

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install it with 'apt-get install -y chromium'`);
    const started = await dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    url = restUrlFrom(started.stdout);
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  });
  after(async () => {
    await context?.close();
    await dist.destroy();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('cancels a running job with the Cancel Job button, after a confirmation', async () => {
    const run = await dist.run('flink', ['run', '-d', 'examples/streaming/TopSpeedWindowing.jar']);
    assert.equal(run.exitCode, 0, run.stderr);
    const jobId = /JobID ([0-9a-f]{32})/.exec(run.stdout)![1]!;
    const page = await context!.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      dialog.accept().catch(() => undefined);
    });
    await page.goto(`${url}/#/jobs/${jobId}`);
    await page.locator('[data-testid="cancel-job"]').click({ timeout: 30_000 });
    await waitFor('the job to be canceled', async () =>
      (await getJson<{ state: string }>(url, `/jobs/${jobId}`)).state === 'CANCELED' ? true : undefined,
    );
    assert.match(dialogs[0] ?? '', new RegExp(`Cancel job CarTopSpeedWindowingExample \\(${jobId}\\)\\?`));
    await page.locator('[data-testid="cancel-job"]').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('uploads a jar on the Submit New Job page, runs it with its arguments, opens the job, and deletes the jar', async () => {
    const page = await context!.newPage();
    page.on('dialog', (dialog) => {
      dialog.accept().catch(() => undefined);
    });
    await page.goto(`${url}/#/overview`);
    await page.locator('[data-testid="nav-submit"]').click({ timeout: 30_000 });
    await page.locator('[data-testid="jar-file"]').setInputFiles(join(FLINK_HOME, 'examples', 'streaming', 'TopSpeedWindowing.jar'));
    await page.locator('[data-testid="jar-upload"]').click();
    const row = page.locator('[data-testid="jar-row"]').filter({ hasText: 'TopSpeedWindowing.jar' });
    await row.waitFor({ timeout: 30_000 });
    assert.equal(
      await row.locator('[data-testid="run-entry-class"]').inputValue(),
      'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing',
    );
    await row.locator('[data-testid="run-parallelism"]').fill('1');
    await row.locator('[data-testid="run-args"]').fill('--execution-mode STREAMING');
    await row.locator('[data-testid="jar-run"]').click();
    await page.waitForURL(/#\/jobs\/[0-9a-f]{32}$/, { timeout: 30_000 });
    const jobId = /#\/jobs\/([0-9a-f]{32})$/.exec(page.url())![1]!;
    const job = await getJson<{ name: string; state: string; 'job-type'?: string }>(url, `/jobs/${jobId}`);
    assert.equal(job.name, 'CarTopSpeedWindowingExample');
    await fetch(`${url}/jobs/${jobId}?mode=cancel`, { method: 'PATCH' });
    await waitFor('the submitted job to be canceled', async () =>
      (await getJson<{ state: string }>(url, `/jobs/${jobId}`)).state === 'CANCELED' ? true : undefined,
    );
    await page.goto(`${url}/#/submit`);
    await page
      .locator('[data-testid="jar-row"]')
      .filter({ hasText: 'TopSpeedWindowing.jar' })
      .locator('[data-testid="jar-delete"]')
      .click({ timeout: 30_000 });
    await waitFor('the jar to be deleted', async () =>
      (await getJson<{ files: unknown[] }>(url, '/jars')).files.length === 0 ? true : undefined,
    );
    await page.locator('[data-testid="jar-row"]').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it("shows the JobManager's configuration, log and stdout, and a TaskManager's log, at Flink's addresses", async () => {
    const page = await context!.newPage();
    await page.goto(`${url}/#/job-manager/config`);
    const refreshInterval = page.locator('[data-testid="config-row"]').filter({ hasText: 'web.refresh-interval' });
    await refreshInterval.waitFor({ timeout: 30_000 });
    const log = page.locator('[data-testid="log-text"]');
    await waitFor('the JobManager log in the page', async () =>
      ((await log.textContent()) ?? '').includes('Rest endpoint listening at') ? true : undefined,
    );
    assert.ok((await page.locator('[data-testid="log-file"]').count()) >= 1);
    await page.locator('[data-testid="show-stdout"]').click();
    await waitFor('the stdout view', async () =>
      (await page.locator('[data-testid="log-title"]').textContent()) === 'Stdout' ? true : undefined,
    );
    const { taskmanagers } = await getJson<{ taskmanagers: Array<{ id: string }> }>(url, '/taskmanagers');
    // The address Flink's log-url endpoint hands out for a TaskManager.
    await page.goto(`${url}/#/task-manager/${encodeURIComponent(taskmanagers[0]!.id)}/logs`);
    await waitFor('the TaskManager log in the page', async () => (((await log.textContent()) ?? '').length > 20 ? true : undefined));
    assert.match((await log.textContent()) ?? '', /TaskManager|TaskExecutor|taskexecutor/i);
  });

  it("shows a not-available page for Flink's dashboard pages tsflink lacks, and opens Flink's TaskManager link", async () => {
    const page = await context!.newPage();
    await page.goto(`${url}/#/job-manager/metrics`);
    assert.equal(await page.locator('[data-testid="not-available-hash"]').textContent({ timeout: 30_000 }), '#/job-manager/metrics');
    await page.goto(`${url}/#/task-manager`);
    await page.locator('[data-testid="taskmanagers-page"]').waitFor({ timeout: 30_000 });
  });
});
