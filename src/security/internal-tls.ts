// Kept apart from the store loading (tls-settings.ts, which pulls in node-forge) so that slot
// threads, which only open connections, load nothing more than Node's own TLS.
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import type { KeyMaterial } from './key-stores.js';

/**
 * What internal TLS is made of: the key, the trusted certificates and the handshake timeout. Plain
 * data, so it can be posted to a slot thread, which opens data connections of its own.
 */
export interface InternalTls {
  readonly key: KeyMaterial;
  readonly ca: readonly string[];
  readonly handshakeTimeoutMs: number;
}

/** The accepting side of internal TLS: always mutual, as Flink's internal SSL is. */
export function internalServerOptions(tls: InternalTls): TlsOptions {
  return {
    ...copyKey(tls.key),
    ca: [...tls.ca],
    minVersion: 'TLSv1.2',
    requestCert: true,
    rejectUnauthorized: true,
    handshakeTimeout: tls.handshakeTimeoutMs,
  };
}

/** The dialling side of internal TLS. The certificate is shared by the cluster's hosts, so the peer's name is not checked, as in Flink. */
export function internalClientOptions(tls: InternalTls): ConnectionOptions {
  return { ...copyKey(tls.key), ca: [...tls.ca], minVersion: 'TLSv1.2', rejectUnauthorized: true, checkServerIdentity: () => undefined };
}

/** A key posted to a thread arrives with its Buffer as a plain Uint8Array; TLS wants a Buffer. */
function copyKey(key: KeyMaterial): KeyMaterial {
  return 'pfx' in key ? { pfx: Buffer.from(key.pfx), passphrase: key.passphrase } : key;
}
