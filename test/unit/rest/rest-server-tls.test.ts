import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { FlinkClientError, FlinkRestClient } from '../../../src/cli/commands/flink-rest-client.js';
import { Configuration } from '../../../src/config/configuration.js';
import { configureLogging, getLogger, MemoryLogSink } from '../../../src/core/logging.js';
import { HandshakeFailureLog } from '../../../src/rest/handshake-failure-log.js';
import { RestServer } from '../../../src/rest/rest-server.js';
import { Router } from '../../../src/rest/router.js';
import { restClientTls, restServerTls } from '../../../src/security/tls-settings.js';
import { makeTestCertificates, tlsStoreConfig } from '../../helpers/test-certificates.js';
import { requestOnce as get } from '../../helpers/request-once.js';

const dir = mkdtempSync(join(tmpdir(), 'tsf-rest-tls-'));
const certs = makeTestCertificates(dir);
const ca = readFileSync(certs.truststorePem, 'utf8');
after(() => rmSync(dir, { recursive: true, force: true }));

/** The REST side of a configuration with security.ssl.rest.enabled, as a JobManager and bin/flink would read it. */
function restConfig(overrides: Record<string, string> = {}): Configuration {
  return Configuration.empty().withOverrides({ ...tlsStoreConfig(certs, 'rest'), ...overrides });
}

/** Starts a REST server with `tls`; returns its https base URL and a stop function. */
async function startServer(configuration: Configuration): Promise<{ url: string; server: RestServer }> {
  const router = new Router().add('GET', '/ok', () => ({ status: 200, json: { ok: true } }));
  const server = new RestServer(router, {
    bindAddress: '127.0.0.1',
    port: 0,
    maxContentLength: 1024,
    allowOrigin: '*',
    tls: restServerTls(configuration),
  });
  const port = await server.start();
  return { url: `${server.scheme}://127.0.0.1:${port}`, server };
}

/** A REST server without TLS, as a JobManager without security.ssl.rest.enabled runs it. */
function startPlainServer(): Promise<{ url: string; server: RestServer }> {
  return startServer(Configuration.empty());
}

describe('REST server over TLS (security.ssl.rest.enabled)', () => {
  const logs = new MemoryLogSink();
  let url = '';
  let server: RestServer;

  before(async () => {
    configureLogging(logs, 'INFO');
    ({ url, server } = await startServer(restConfig()));
  });
  after(() => server.stop());

  it('serves HTTPS to a client that trusts its CA, and an https URL', async () => {
    assert.match(url, /^https:\/\//);
    assert.deepEqual(await get(`${url}/ok`, { ca }), { status: 200, body: '{"ok":true}' });
  });

  it('is refused by a client that does not trust its CA', async () => {
    assert.deepEqual(await get(`${url}/ok`), { error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('drops plain HTTP on the TLS port at once and logs why, once, however often it comes', async () => {
    // A server of its own: the log keeps one line a minute, and other tests fail handshakes too.
    const own = await startServer(restConfig());
    try {
      const before = logs.lines.length;
      for (let i = 0; i < 5; i++) assert.deepEqual(await get(`${own.url.replace('https:', 'http:')}/ok`), { error: 'ECONNRESET' });
      // The other server's line about the untrusting client may land here too, late.
      const logged = logs.lines.slice(before).filter((line) => line.includes('plain HTTP'));
      assert.equal(logged.length, 1, logged.join('\n'));
      assert.match(
        logged[0]!,
        /WARN +rest - TLS handshake with a REST client from 127\.0\.0\.1 failed: it sent plain HTTP to the HTTPS port\.$/,
      );
    } finally {
      await own.server.stop();
    }
  });

  it('keeps serving after failed handshakes', async () => {
    assert.deepEqual(await get(`${url}/ok`, { ca }), { status: 200, body: '{"ok":true}' });
  });
});

describe('REST server with client authentication (security.ssl.rest.authentication-enabled)', () => {
  const logs = new MemoryLogSink();
  let url = '';
  let server: RestServer;
  const keystore = readFileSync(certs.keystore);

  before(async () => {
    configureLogging(logs, 'INFO');
    ({ url, server } = await startServer(restConfig({ 'security.ssl.rest.authentication-enabled': 'true' })));
  });
  after(() => server.stop());

  it('accepts a client showing a certificate its truststore trusts', async () => {
    assert.deepEqual(await get(`${url}/ok`, { ca, pfx: keystore, passphrase: certs.keystorePassword }), {
      status: 200,
      body: '{"ok":true}',
    });
  });

  it('refuses a client without a certificate, and logs why', async () => {
    assert.deepEqual(await get(`${url}/ok`, { ca }), { error: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    assert.ok(
      logs.lines.some((line) =>
        line.endsWith('failed: it showed no certificate, and security.ssl.rest.authentication-enabled requires one.'),
      ),
      logs.lines.join('\n'),
    );
  });

  it("refuses a client whose certificate another CA signed (the stranger's)", async () => {
    const stranger = await get(`${url}/ok`, { ca, pfx: readFileSync(certs.strangerKeystore), passphrase: certs.keystorePassword });
    assert.ok('error' in stranger, JSON.stringify(stranger));
  });
});

describe('FlinkRestClient against a TLS REST endpoint', () => {
  let url = '';
  let server: RestServer;

  before(async () => {
    configureLogging(new MemoryLogSink(), 'INFO');
    ({ url, server } = await startServer(restConfig({ 'security.ssl.rest.authentication-enabled': 'true' })));
  });
  after(() => server.stop());

  /** The one-line message a failed call gives. */
  async function failure(client: FlinkRestClient): Promise<string> {
    const error = await client.get('/ok').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof FlinkClientError && error.unreachable, String(error));
    assert.ok(!error.message.includes('\n'), error.message);
    return error.message;
  }

  it('calls it with restClientTls: the REST truststore and, with authentication on, the keystore', async () => {
    const client = new FlinkRestClient(url, restClientTls(restConfig({ 'security.ssl.rest.authentication-enabled': 'true' })));
    assert.deepEqual(await client.get('/ok'), { ok: true });
  });

  it('says which setting is missing when the two sides disagree', async () => {
    // Without a truststore, only the system's CAs are trusted: not the cluster's own.
    const noTruststore = Configuration.empty().withOverrides({ 'security.ssl.rest.enabled': 'true' });
    assert.match(await failure(new FlinkRestClient(url, restClientTls(noTruststore))), /Point security\.ssl\.rest\.truststore at/);
    assert.match(
      await failure(new FlinkRestClient(url, restClientTls(restConfig()))),
      /refused this client .*set security\.ssl\.rest\.authentication-enabled: true and security\.ssl\.rest\.keystore/,
    );
    const plain = await startPlainServer();
    try {
      assert.match(
        await failure(new FlinkRestClient(plain.url.replace('http:', 'https:'), restClientTls(restConfig()))),
        /\(EPROTO: wrong version number\): the port answers without TLS; is security\.ssl\.rest\.enabled off on the JobManager\?$/,
      );
    } finally {
      await plain.server.stop();
    }
    assert.match(
      await failure(new FlinkRestClient(url.replace('https:', 'http:'))),
      /if the JobManager serves HTTPS \(security\.ssl\.rest\.enabled\)/,
    );
  });

  it('checks the host name unless security.ssl.verify-hostname is false', async () => {
    // A name the certificate does not hold (it names localhost and 127.0.0.1), resolved to the server.
    const byOtherName = url.replace('127.0.0.1', 'jobmanager.invalid');
    const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all === true ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as LookupFunction;
    const authenticated = { 'security.ssl.rest.authentication-enabled': 'true' };
    const checked = { ...restClientTls(restConfig(authenticated)), lookup };
    assert.match(await failure(new FlinkRestClient(byOtherName, checked)), /ERR_TLS_CERT_ALTNAME_INVALID.*verify-hostname: false/);
    const unchecked = { ...restClientTls(restConfig({ ...authenticated, 'security.ssl.verify-hostname': 'false' })), lookup };
    assert.deepEqual(await new FlinkRestClient(byOtherName, unchecked).get('/ok'), { ok: true });
  });
});

describe('HandshakeFailureLog', () => {
  it('logs one line a minute, and counts those it left out into the next', () => {
    const logs = new MemoryLogSink();
    configureLogging(logs, 'INFO');
    let now = 1_000_000;
    const failures = new HandshakeFailureLog(getLogger('rest'), () => now);
    const socket = { remoteAddress: '10.0.0.1', authorizationError: null } as unknown as TLSSocket;
    const plain = Object.assign(new Error('x:SSL routines:ssl3_get_record:http request:y.c:1:'), { code: 'ERR_SSL_HTTP_REQUEST' });
    const odd = Object.assign(new Error('x:SSL routines:func:unsupported protocol:y.c:1:'), { code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' });
    failures.failed(plain, socket);
    for (let i = 0; i < 3; i++) {
      now += 10_000;
      failures.failed(plain, socket);
    }
    now += 30_000;
    failures.failed(odd, socket);
    assert.deepEqual(
      logs.lines.map((line) => line.replace(/^.* WARN +rest - /, '')),
      [
        'TLS handshake with a REST client from 10.0.0.1 failed: it sent plain HTTP to the HTTPS port.',
        'TLS handshake with a REST client from 10.0.0.1 failed: unsupported protocol (3 more since the last such line, not logged).',
      ],
    );
  });
});
