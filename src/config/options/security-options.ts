import type { OptionGroup } from '../config-option.js';
import { atLeast } from '../option-checks.js';
import { booleanOption, enumOption, intOption, stringOption } from '../option-builders.js';

/** Store formats a keystore or truststore may have; JKS is recognised only to say how to convert it. */
export const STORE_TYPES = ['PKCS12', 'PEM', 'JKS'] as const;

export const SECURITY_CLUSTER_SECRET_FILE = stringOption('security.cluster-secret.file', {
  description:
    'File holding the secret every process of the cluster proves it knows before it may talk to another (at least 16 characters; whitespace around it is ignored). Needed when the cluster talks over TCP, so that every host holds the same secret; a Kubernetes Secret mounted as a file fits. The environment variable TSFLINK_CLUSTER_SECRET, when set, is used instead of this file.',
  note: 'tsflink only. On one host the JobManager makes a secret of its own in the private runtime directory, and this is not needed.',
});

export const SECURITY_CLUSTER_SECRET_REQUIRED = booleanOption('security.cluster-secret.required', {
  description:
    'When true, a cluster that talks over TCP refuses to start without a cluster secret or internal TLS. Setting false lets any host that reaches the ports join: only for a closed network you trust.',
  default: true,
  note: 'tsflink only.',
});

function storeOptions(scope: 'internal' | 'rest', fallback: boolean) {
  const what = scope === 'internal' ? 'internal connections (RPC and data between JobManager and TaskManagers)' : 'the REST endpoint';
  const legacy = (suffix: string): { fallbackKeys?: readonly string[] } => (fallback ? { fallbackKeys: [`security.ssl.${suffix}`] } : {});
  return {
    keystore: stringOption(`security.ssl.${scope}.keystore`, {
      description: `Keystore holding the private key and certificate of ${what} (PKCS12, or PEM with key and certificate).`,
      ...legacy('keystore'),
    }),
    keystorePassword: stringOption(`security.ssl.${scope}.keystore-password`, {
      description: `Password of security.ssl.${scope}.keystore.`,
      ...legacy('keystore-password'),
    }),
    keyPassword: stringOption(`security.ssl.${scope}.key-password`, {
      description: `Password of the private key in security.ssl.${scope}.keystore; when unset, the keystore password.`,
      ...legacy('key-password'),
    }),
    truststore: stringOption(`security.ssl.${scope}.truststore`, {
      description: `Truststore holding the certificates ${scope === 'internal' ? 'a peer' : 'a client or server'} must be signed by (PKCS12, or PEM certificates).`,
      ...legacy('truststore'),
    }),
    truststorePassword: stringOption(`security.ssl.${scope}.truststore-password`, {
      description: `Password of security.ssl.${scope}.truststore.`,
      ...legacy('truststore-password'),
    }),
    keystoreType: enumOption(`security.ssl.${scope}.keystore-type`, STORE_TYPES, {
      description: `Format of security.ssl.${scope}.keystore. A JKS keystore is refused with the keytool command that converts it to PKCS12.`,
      default: 'PKCS12',
    }),
    truststoreType: enumOption(`security.ssl.${scope}.truststore-type`, STORE_TYPES, {
      description: `Format of security.ssl.${scope}.truststore.`,
      default: 'PKCS12',
    }),
  };
}

export const SSL_INTERNAL_ENABLED = booleanOption('security.ssl.internal.enabled', {
  description:
    'Encrypts and mutually authenticates every internal connection over TCP (RPC and data): each side shows a certificate from its keystore, and accepts only peers whose certificate its truststore trusts.',
  default: false,
  fallbackKeys: ['security.ssl.enabled'],
  note: 'Connections over Unix sockets on one host are private to the user and stay plain.',
});

/** Keystore and truststore of internal TLS. */
export const SSL_INTERNAL = storeOptions('internal', true);

export const SSL_INTERNAL_HANDSHAKE_TIMEOUT = intOption('security.ssl.internal.handshake-timeout', {
  description: 'Milliseconds an internal TLS handshake may take before the connection is dropped.',
  default: 10_000,
  check: atLeast(1),
});

export const SSL_REST_ENABLED = booleanOption('security.ssl.rest.enabled', {
  description:
    'Serves the REST API and web UI over HTTPS, with the certificate of security.ssl.rest.keystore; the JobManager logs, prints and publishes an https:// URL. A keystore that cannot be opened stops the JobManager at start, in one line. bin/flink, reading the same keys, calls the REST API over HTTPS (rest.address:rest.port and a bare -m host:port too) and trusts security.ssl.rest.truststore.',
  default: false,
  note: "A plain-HTTP request to the port is dropped at once; failed handshakes are logged at most once a minute; a client has 10 s to finish its handshake. Without security.ssl.rest.truststore, bin/flink trusts the system's CAs (Flink's client needs a truststore).",
});

export const SSL_REST_AUTHENTICATION_ENABLED = booleanOption('security.ssl.rest.authentication-enabled', {
  description:
    'Requires REST clients, the web browser included, to show a certificate that security.ssl.rest.truststore trusts (mutual TLS); others are refused during the handshake. bin/flink then shows security.ssl.rest.keystore.',
  default: false,
});

export const SSL_VERIFY_HOSTNAME = booleanOption('security.ssl.verify-hostname', {
  description: "Whether a REST client such as bin/flink checks that the server's certificate names the host it connected to.",
  default: true,
  note: 'Internal connections never check the name: their certificate is shared by the whole cluster, as in Flink.',
});

/** Keystore and truststore of the REST endpoint (and of clients such as bin/flink that call it). */
export const SSL_REST = storeOptions('rest', true);

/** Who may talk to the cluster, and over what. */
export const SECURITY_OPTIONS: OptionGroup = {
  title: 'Security',
  options: [
    SECURITY_CLUSTER_SECRET_FILE,
    SECURITY_CLUSTER_SECRET_REQUIRED,
    SSL_INTERNAL_ENABLED,
    ...Object.values(SSL_INTERNAL),
    SSL_INTERNAL_HANDSHAKE_TIMEOUT,
    SSL_REST_ENABLED,
    SSL_REST_AUTHENTICATION_ENABLED,
    ...Object.values(SSL_REST),
    SSL_VERIFY_HOSTNAME,
  ],
};
