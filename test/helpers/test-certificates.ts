import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Keystores and truststores made with openssl for one test: a cluster's own CA, and a stranger's. */
export interface TestCertificates {
  readonly dir: string;
  /** PKCS12 keystore signed by the cluster's CA (password `keystore-pw`), and its PEM twin. */
  readonly keystore: string;
  readonly keystorePem: string;
  /** PKCS12 truststore holding only the cluster's CA (password `truststore-pw`), and its PEM twin. */
  readonly truststore: string;
  readonly truststorePem: string;
  /** A keystore whose certificate another CA signed: a peer the cluster must refuse. */
  readonly strangerKeystore: string;
  readonly keystorePassword: string;
  readonly truststorePassword: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function signedKeystore(dir: string, name: string, ca: string, password: string, host = 'localhost'): void {
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${host}`);
  const extensions = join(dir, `${name}.ext`);
  writeFileSync(extensions, `subjectAltName=DNS:${host},IP:127.0.0.1\n`);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    extensions,
    '-out',
    `${name}.pem`,
  );
  openssl(dir, 'pkcs12', '-export', '-in', `${name}.pem`, '-inkey', `${name}.key`, '-out', `${name}.p12`, '-passout', `pass:${password}`);
  writeFileSync(
    join(dir, `${name}-bundle.pem`),
    readFileSync(join(dir, `${name}.key`), 'utf8') + readFileSync(join(dir, `${name}.pem`), 'utf8'),
  );
}

/** Makes a CA, a keystore it signed, a truststore holding it, and a stranger's keystore, under `dir`. */
export function makeTestCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const keystorePassword = 'keystore-pw';
  const truststorePassword = 'truststore-pw';
  for (const ca of ['cluster-ca', 'stranger-ca']) {
    openssl(
      dir,
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-days',
      '30',
      '-subj',
      `/CN=${ca}`,
    );
  }
  signedKeystore(dir, 'node', 'cluster-ca', keystorePassword);
  signedKeystore(dir, 'stranger', 'stranger-ca', keystorePassword);
  openssl(dir, 'pkcs12', '-export', '-nokeys', '-in', 'cluster-ca.pem', '-out', 'truststore.p12', '-passout', `pass:${truststorePassword}`);
  return {
    dir,
    keystore: join(dir, 'node.p12'),
    keystorePem: join(dir, 'node-bundle.pem'),
    truststore: join(dir, 'truststore.p12'),
    truststorePem: join(dir, 'cluster-ca.pem'),
    strangerKeystore: join(dir, 'stranger.p12'),
    keystorePassword,
    truststorePassword,
  };
}

/** The keystore and truststore options of `scope` (internal or REST TLS) pointing at `certs`, with TLS on. */
export function tlsStoreConfig(certs: TestCertificates, scope: 'internal' | 'rest'): Record<string, string> {
  return {
    [`security.ssl.${scope}.enabled`]: 'true',
    [`security.ssl.${scope}.keystore`]: certs.keystore,
    [`security.ssl.${scope}.keystore-password`]: certs.keystorePassword,
    [`security.ssl.${scope}.truststore`]: certs.truststore,
    [`security.ssl.${scope}.truststore-password`]: certs.truststorePassword,
  };
}
