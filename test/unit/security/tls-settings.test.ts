import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Configuration } from '../../../src/config/configuration.js';
import { loadKeyStore, loadTrustStore } from '../../../src/security/key-stores.js';
import { internalClientOptions, internalServerOptions } from '../../../src/security/internal-tls.js';
import { internalTls, restClientTls, restServerTls } from '../../../src/security/tls-settings.js';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { makeTestCertificates, tlsStoreConfig } from '../../helpers/test-certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'tsf-tls-'));
const certs = makeTestCertificates(dir);

function internalConfig(overrides: Record<string, string> = {}): Configuration {
  return Configuration.empty().withOverrides({ ...tlsStoreConfig(certs, 'internal'), ...overrides });
}

/** Runs one TLS handshake between a server and a client with these options; resolves with the client's error, if any. */
async function handshake(server: TlsOptions, client: ConnectionOptions): Promise<string | undefined> {
  const tlsServer = createServer(server, (socket) => socket.end('hello'));
  tlsServer.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  const port = (tlsServer.address() as { port: number }).port;
  try {
    return await new Promise<string | undefined>((resolve) => {
      const socket: TLSSocket = connect({ ...client, host: '127.0.0.1', port });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('end', () => resolve(received === 'hello' ? undefined : `no greeting (${received})`));
      socket.on('error', (error) => resolve(error.message));
    });
  } finally {
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  }
}

after(() => rmSync(dir, { recursive: true, force: true }));

describe('key stores', () => {
  it('reads a certificate-only PKCS12 truststore and its PEM twin alike', () => {
    const fromP12 = loadTrustStore({ option: 't', path: certs.truststore, type: 'PKCS12', password: certs.truststorePassword });
    const fromPem = loadTrustStore({ option: 't', path: certs.truststorePem, type: 'PEM', password: undefined });
    assert.equal(fromP12.length, 1);
    assert.equal(fromP12[0]!.replace(/\s/g, ''), fromPem[0]!.replace(/\s/g, ''));
  });

  it('names the option and file when the keystore password is wrong', () => {
    assert.throws(
      () => loadKeyStore({ option: 'security.ssl.internal.keystore', path: certs.keystore, type: 'PKCS12', password: 'nope' }),
      (error: Error) => error.message.startsWith(`security.ssl.internal.keystore ${certs.keystore}: cannot be opened`),
    );
  });

  it('refuses a JKS store with the keytool command that converts it', () => {
    const jks = join(dir, 'cluster.jks');
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    assert.throws(
      () => loadKeyStore({ option: 'security.ssl.internal.keystore', path: jks, type: 'PKCS12', password: 'x' }),
      (error: Error & { suggestion?: string }) =>
        /is a JKS store/.test(error.message) &&
        /keytool -importkeystore -srckeystore \S+cluster\.jks -srcstoretype JKS/.test(error.suggestion ?? ''),
    );
  });

  it('names a missing file', () => {
    assert.throws(
      () => loadTrustStore({ option: 'security.ssl.rest.truststore', path: join(dir, 'absent.p12'), type: 'PKCS12', password: '' }),
      /security\.ssl\.rest\.truststore \S+absent\.p12: cannot be read \(ENOENT\)/,
    );
  });
});

describe('internal TLS', () => {
  it('is off unless security.ssl.internal.enabled is set', () => {
    assert.equal(internalTls(Configuration.empty()), undefined);
  });

  it('says which option is missing', () => {
    assert.throws(
      () => internalTls(internalConfig({ 'security.ssl.internal.truststore': '' })),
      /security\.ssl\.internal\.truststore is not set, but security\.ssl\.internal\.enabled needs it/,
    );
  });

  it('lets two members of the cluster talk, PKCS12 on one side and PEM on the other', async () => {
    const p12 = internalTls(internalConfig())!;
    const pem = internalTls(
      internalConfig({
        'security.ssl.internal.keystore': certs.keystorePem,
        'security.ssl.internal.truststore': certs.truststorePem,
      }),
    )!;
    assert.equal(await handshake(internalServerOptions(p12), internalClientOptions(pem)), undefined);
  });

  it('refuses a client whose certificate another CA signed, and a client with none', async () => {
    const tls = internalTls(internalConfig())!;
    const stranger = internalTls(internalConfig({ 'security.ssl.internal.keystore': certs.strangerKeystore }))!;
    assert.notEqual(await handshake(internalServerOptions(tls), internalClientOptions(stranger)), undefined);
    const { pfx: _pfx, passphrase: _passphrase, ...anonymous } = internalClientOptions(tls);
    assert.notEqual(await handshake(internalServerOptions(tls), anonymous), undefined);
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const tls = internalTls(internalConfig())!;
    const stranger = internalTls(internalConfig({ 'security.ssl.internal.keystore': certs.strangerKeystore }))!;
    assert.match((await handshake(internalServerOptions(stranger), internalClientOptions(tls))) ?? '', /certificate/i);
  });
});

describe('REST TLS', () => {
  const rest = (overrides: Record<string, string>): Configuration =>
    Configuration.empty().withOverrides({ ...tlsStoreConfig(certs, 'rest'), ...overrides });

  it('asks for client certificates only with security.ssl.rest.authentication-enabled', () => {
    assert.equal(restServerTls(rest({}))!.requestCert, undefined);
    assert.equal(restServerTls(rest({ 'security.ssl.rest.authentication-enabled': 'true' }))!.requestCert, true);
  });

  it('gives a client that trusts the REST truststore and checks the host name', async () => {
    const client = restClientTls(rest({}))!;
    assert.equal(client.checkServerIdentity, undefined);
    assert.equal(await handshake(restServerTls(rest({}))!, { ...client, servername: 'localhost' }), undefined);
    assert.notEqual(restClientTls(rest({ 'security.ssl.verify-hostname': 'false' }))!.checkServerIdentity, undefined);
  });
});
