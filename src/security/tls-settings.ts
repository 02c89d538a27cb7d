import type { ConnectionOptions, TlsOptions } from 'node:tls';
import type { Configuration } from '../config/configuration.js';
import type { ConfigOption } from '../config/config-option.js';
import {
  SSL_INTERNAL,
  SSL_INTERNAL_ENABLED,
  SSL_INTERNAL_HANDSHAKE_TIMEOUT,
  SSL_REST,
  SSL_REST_AUTHENTICATION_ENABLED,
  SSL_REST_ENABLED,
  SSL_VERIFY_HOSTNAME,
} from '../config/options/security-options.js';
import { TsFlinkError } from '../core/errors.js';
import type { InternalTls } from './internal-tls.js';
import { loadKeyStore, loadTrustStore, type StoreSpec } from './key-stores.js';

type Stores = typeof SSL_INTERNAL;

function required(configuration: Configuration, option: ConfigOption<string | undefined>, because: string): string {
  const value = configuration.get(option);
  if (value === undefined || value === '') {
    throw new TsFlinkError('CONFIG_INVALID', `${option.key} is not set, but ${because} needs it.`);
  }
  return value;
}

function storeSpec(configuration: Configuration, stores: Stores, kind: 'keystore' | 'truststore', because: string): StoreSpec {
  const pathOption = kind === 'keystore' ? stores.keystore : stores.truststore;
  return {
    option: pathOption.key,
    path: required(configuration, pathOption, because),
    type: configuration.get(kind === 'keystore' ? stores.keystoreType : stores.truststoreType),
    password: configuration.get(kind === 'keystore' ? stores.keystorePassword : stores.truststorePassword),
    keyPassword: kind === 'keystore' ? configuration.get(stores.keyPassword) : undefined,
  };
}

/** Internal TLS from security.ssl.internal.*, or undefined when it is off; a store that cannot be used throws. */
export function internalTls(configuration: Configuration): InternalTls | undefined {
  if (!configuration.get(SSL_INTERNAL_ENABLED)) return undefined;
  const because = 'security.ssl.internal.enabled';
  return {
    key: loadKeyStore(storeSpec(configuration, SSL_INTERNAL, 'keystore', because)),
    ca: loadTrustStore(storeSpec(configuration, SSL_INTERNAL, 'truststore', because)),
    handshakeTimeoutMs: configuration.get(SSL_INTERNAL_HANDSHAKE_TIMEOUT),
  };
}

/** HTTPS options of the REST server, or undefined when security.ssl.rest.enabled is off. */
export function restServerTls(configuration: Configuration): TlsOptions | undefined {
  if (!configuration.get(SSL_REST_ENABLED)) return undefined;
  const key = loadKeyStore(storeSpec(configuration, SSL_REST, 'keystore', 'security.ssl.rest.enabled'));
  if (!configuration.get(SSL_REST_AUTHENTICATION_ENABLED)) return { ...key, minVersion: 'TLSv1.2' };
  const ca = loadTrustStore(storeSpec(configuration, SSL_REST, 'truststore', 'security.ssl.rest.authentication-enabled'));
  return { ...key, ca, minVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true };
}

/**
 * TLS options of a REST client such as bin/flink, or undefined when security.ssl.rest.enabled is
 * off: it trusts the REST truststore (or the system's when none is set) and shows the keystore
 * when the server asks for client certificates.
 */
export function restClientTls(configuration: Configuration): ConnectionOptions | undefined {
  if (!configuration.get(SSL_REST_ENABLED)) return undefined;
  const truststore = configuration.get(SSL_REST.truststore);
  const ca = truststore === undefined ? {} : { ca: loadTrustStore(storeSpec(configuration, SSL_REST, 'truststore', '')) };
  const key = configuration.get(SSL_REST_AUTHENTICATION_ENABLED)
    ? loadKeyStore(storeSpec(configuration, SSL_REST, 'keystore', 'security.ssl.rest.authentication-enabled'))
    : {};
  const hostname = configuration.get(SSL_VERIFY_HOSTNAME) ? {} : { checkServerIdentity: () => undefined };
  return { ...ca, ...key, ...hostname, minVersion: 'TLSv1.2' };
}
