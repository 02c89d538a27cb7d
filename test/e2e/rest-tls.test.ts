import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { readJobManagerInfo } from '../../src/rpc/cluster-runtime.js';
import { clusterRuntimeOf } from '../helpers/cluster-probes.js';
import { makeTestCertificates, tlsStoreConfig } from '../helpers/test-certificates.js';
import { FLINK_HOME, restUrlFrom, TestDist, waitFor, type ScriptResult } from '../helpers/test-dist.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { requestOnce as get } from '../helpers/request-once.js';

const WORD_COUNT = 'examples/streaming/WordCount.jar';
const SUBMITTED = /^Job has been submitted with JobID ([0-9a-f]{32})$/m;

describe('REST API and web UI over TLS with client authentication (security.ssl.rest.*)', () => {
  const certs = makeTestCertificates(mkdtempSync(join(tmpdir(), 'tsf-rest-tls-certs-')));
  const passwords = [certs.keystorePassword, certs.truststorePassword];
  const dist = TestDist.create({
    config: { ...tlsStoreConfig(certs, 'rest'), 'security.ssl.rest.authentication-enabled': true },
  });
  /** How a client trusting the cluster's CA and showing the cluster's keystore connects. */
  const trusted = {
    ca: readFileSync(certs.truststorePem, 'utf8'),
    pfx: readFileSync(certs.keystore),
    passphrase: certs.keystorePassword,
  };
  /** Everything the scripts printed, searched for passwords at the end. */
  const printed: ScriptResult[] = [];
  const run = async (script: string, args: readonly string[] = []): Promise<ScriptResult> => {
    const result = await dist.run(script, args);
    printed.push(result);
    return result;
  };
  let url = '';
  let browser: Browser | undefined;
  let jobId = '';

  before(async () => {
    const started = await run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    url = restUrlFrom(started.stdout);
    const tm = await run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
  });

  after(async () => {
    await browser?.close();
    await dist.destroy();
    rmSync(certs.dir, { recursive: true, force: true });
  });

  it('publishes an https URL: in the script output, the log and jobmanager.json', () => {
    assert.match(url, /^https:\/\/localhost:\d+$/);
    assert.equal(readJobManagerInfo(clusterRuntimeOf(dist))?.restUrl, url);
    assert.match(dist.log('standalonesession', 0), new RegExp(`Web frontend listening at ${url}\\.`));
  });

  it('bin/flink lists and runs a job over mutual TLS, by the published address and by -m', async () => {
    await waitFor('the TaskManager to register', async () => {
      const overview = await get(`${url}/overview`, trusted);
      return 'body' in overview && (JSON.parse(overview.body) as { taskmanagers: number }).taskmanagers === 1 ? true : undefined;
    });
    const list = await run('flink', ['list']);
    assert.equal(list.exitCode, 0, list.stderr);
    assert.equal(list.stdout.trim(), 'Waiting for response...\nNo running jobs.\nNo scheduled jobs.');
    const input = join(dist.dir, 'words.txt');
    writeFileSync(input, 'to be or not to be\n');
    const output = join(dist.dir, 'counts');
    const port = new URL(url).port;
    // -m host:port means https when security.ssl.rest.enabled is on.
    const wordCount = await run('flink', ['run', '-m', `localhost:${port}`, WORD_COUNT, '--input', input, '--output', output]);
    assert.equal(wordCount.exitCode, 0, wordCount.stderr);
    jobId = SUBMITTED.exec(wordCount.stdout)?.[1] ?? '';
    assert.match(wordCount.stdout, new RegExp(`Job with JobID ${jobId} has finished\\.`));
    const all = await run('flink', ['list', '-a']);
    assert.match(all.stdout, new RegExp(`${jobId} : .* \\(FINISHED\\)`), all.stderr);
  });

  it("refuses a client that does not trust its CA, or shows no certificate or a stranger's; accepts the keystore", async () => {
    assert.deepEqual(await get(`${url}/overview`), { error: 'SELF_SIGNED_CERT_IN_CHAIN' });
    assert.deepEqual(await get(`${url}/overview`, { ca: trusted.ca }), { error: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    const stranger = await get(`${url}/overview`, {
      ca: trusted.ca,
      pfx: readFileSync(certs.strangerKeystore),
      passphrase: certs.keystorePassword,
    });
    assert.ok('error' in stranger, `a stranger's certificate was accepted: ${JSON.stringify(stranger)}`);
    const accepted = await get(`${url}/overview`, trusted);
    assert.ok('status' in accepted && accepted.status === 200, JSON.stringify(accepted));

    // bin/flink without a client certificate is refused too, and says what to set.
    const noCertificate = await run('flink', ['list', '-Dsecurity.ssl.rest.authentication-enabled=false']);
    assert.equal(noCertificate.exitCode, 1);
    assert.match(noCertificate.stderr, /refused this client .*security\.ssl\.rest\.keystore/);
    assert.equal(noCertificate.stderr.trim().split('\n').length, 1, noCertificate.stderr);
  });

  it('drops plain HTTP on the TLS port at once, and a burst of them does not flood the log', async () => {
    const plain = url.replace('https:', 'http:');
    for (let i = 0; i < 20; i++) assert.deepEqual(await get(`${plain}/overview`), { error: 'ECONNRESET' });
    const handshakeLines = (): string[] =>
      dist
        .log('standalonesession', 0)
        .split('\n')
        .filter((line) => line.includes('TLS handshake'));
    await waitFor('a failed handshake to be logged', () => (handshakeLines().length > 0 ? true : undefined));
    // Every refused client of these tests failed a handshake: one line a minute stands for all of them.
    assert.ok(handshakeLines().length <= 2, handshakeLines().join('\n'));
    const flinkOverHttp = await run('flink', ['list', '-m', `http://localhost:${new URL(url).port}`]);
    assert.equal(flinkOverHttp.exitCode, 1);
    assert.match(flinkOverHttp.stderr, /\(ECONNRESET\): the connection was dropped; if the JobManager serves HTTPS/);
  });

  it('serves the web UI over https to a browser showing the keystore', { timeout: 60_000 }, async () => {
    assert.ok(existsSync(join(FLINK_HOME, 'dist', 'web', 'index.html')), 'dist/web is missing: run `npm run build`');
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install it with 'apt-get install -y chromium'`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
    // Chromium does not know the test CA; the client certificate is what the server checks.
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      clientCertificates: [{ origin: new URL(url).origin, pfxPath: certs.keystore, passphrase: certs.keystorePassword }],
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${url}/`);
    await waitFor('the header to show 1 TaskManager', async () =>
      (await page.locator('[data-testid="header-taskmanagers"]').textContent()) === '1' ? true : undefined,
    );
    await page.goto(`${url}/#/job-manager/config`);
    const rows = await waitFor('the configuration rows', async () => {
      const texts = await page.locator('[data-testid="config-row"]').allTextContents();
      return texts.some((text) => text.startsWith('security.ssl.rest.keystore-password')) ? texts : undefined;
    });
    assert.ok(rows.includes('security.ssl.rest.keystore-password******'), rows.join('\n'));
    const html = await page.content();
    for (const password of passwords) assert.ok(!html.includes(password), `the page shows ${password}`);
    assert.deepEqual(pageErrors, []);
  });

  it('shows the passwords nowhere: not in REST answers, logs, .out files or script output', async () => {
    assert.notEqual(jobId, '', 'the WordCount job ran');
    for (const path of [
      '/jobmanager/config',
      `/jobs/${jobId}/config`,
      `/jobs/${jobId}/jobmanager/config`,
      '/jobmanager/environment',
      '/config',
    ]) {
      const answer = await get(`${url}${path}`, trusted);
      assert.ok('status' in answer && answer.status === 200, `${path}: ${JSON.stringify(answer)}`);
      for (const password of passwords) assert.ok(!answer.body.includes(password), `${path} shows ${password}: ${answer.body}`);
    }
    const config = await get(`${url}/jobmanager/config`, trusted);
    const entries = JSON.parse('body' in config ? config.body : '[]') as Array<{ key: string; value: string }>;
    assert.deepEqual(
      entries.filter((entry) => entry.key.includes('password')),
      [
        { key: 'security.ssl.rest.keystore-password', value: '******' },
        { key: 'security.ssl.rest.truststore-password', value: '******' },
      ],
    );
    const files = readdirSync(dist.logDir);
    assert.ok(files.some((file) => file.endsWith('.log')) && files.some((file) => file.endsWith('.out')), files.join(', '));
    for (const file of files) {
      const text = readFileSync(join(dist.logDir, file), 'utf8');
      for (const password of passwords) assert.ok(!text.includes(password), `${file} holds ${password}`);
    }
    for (const result of printed) {
      for (const password of passwords) assert.ok(!`${result.stdout}${result.stderr}`.includes(password), `a script printed ${password}`);
    }
  });
});

describe('a REST keystore or truststore that cannot be used', () => {
  const certs = makeTestCertificates(mkdtempSync(join(tmpdir(), 'tsf-rest-tls-certs-')));
  const dist = TestDist.create({
    config: tlsStoreConfig(certs, 'rest'),
  });
  after(async () => {
    await dist.destroy();
    rmSync(certs.dir, { recursive: true, force: true });
  });

  it('stops the JobManager from starting, in one line naming the option and the file', async () => {
    const wrong = await dist.run('jobmanager.sh', ['start', '-Dsecurity.ssl.rest.keystore-password=not-the-password']);
    assert.notEqual(wrong.exitCode, 0);
    const first = wrong.stderr.trim().split('\n')[0] ?? '';
    assert.match(
      first,
      new RegExp(`^Error starting standalonesession daemon: security\\.ssl\\.rest\\.keystore ${certs.keystore}: cannot be opened \\(`),
    );
    assert.ok(!wrong.stderr.includes('not-the-password') && !wrong.stdout.includes('not-the-password'), wrong.stderr);
    assert.deepEqual(dist.pids('standalonesession'), [], 'no JobManager is left running');

    const jks = join(certs.dir, 'rest.jks');
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    const refused = await dist.run('jobmanager.sh', ['start', `-Dsecurity.ssl.rest.keystore=${jks}`]);
    assert.notEqual(refused.exitCode, 0);
    assert.match(
      refused.stderr,
      /is a JKS store, which Node cannot read; PKCS12 and PEM are accepted\. Convert it: keytool -importkeystore/,
    );
  });

  it('stops bin/flink in one line when its truststore cannot be read', async () => {
    const missing = join(certs.dir, 'missing.p12');
    const list = await dist.run('flink', ['list', '-m', 'localhost:8081', `-Dsecurity.ssl.rest.truststore=${missing}`]);
    assert.equal(list.exitCode, 1);
    assert.equal(list.stderr.trim(), `security.ssl.rest.truststore ${missing}: cannot be read (ENOENT).`);
  });
});
