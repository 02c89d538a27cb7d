import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Configuration } from '../config/configuration.js';
import { SECURITY_CLUSTER_SECRET_FILE, SECURITY_CLUSTER_SECRET_REQUIRED } from '../config/options/security-options.js';
import { TsFlinkError } from '../core/errors.js';
import type { ClusterNetwork } from './cluster-network.js';
import { loadOrCreateSecret, readSecret, type ClusterRuntime } from './cluster-runtime.js';

/** The environment variable that carries the cluster secret, as a Kubernetes Secret is often passed. */
export const CLUSTER_SECRET_ENV = 'TSFLINK_CLUSTER_SECRET';
/** A shorter secret is too easy to guess. */
export const MIN_SECRET_LENGTH = 16;

/** Where a process's cluster secret comes from, read once at start (or on every attempt, for the runtime file). */
export type SecretSource = () => Buffer;

function derive(text: string): Buffer {
  // Hashing lets the secret be any text a user can put in a file or a variable, always giving a 32-byte key.
  return createHash('sha256').update(`tsflink cluster secret\n${text}`).digest();
}

/** The secret set by TSFLINK_CLUSTER_SECRET or security.cluster-secret.file, or undefined when neither is. */
export function configuredSecret(configuration: Configuration, env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const fromEnv = env[CLUSTER_SECRET_ENV];
  const file = configuration.get(SECURITY_CLUSTER_SECRET_FILE);
  let text: string;
  let origin: string;
  if (fromEnv !== undefined && fromEnv !== '') {
    text = fromEnv.trim();
    origin = `The environment variable ${CLUSTER_SECRET_ENV}`;
  } else if (file !== undefined && file !== '') {
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new TsFlinkError(
        'CONFIG_INVALID',
        `security.cluster-secret.file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      );
    }
    origin = `security.cluster-secret.file ${file}`;
  } else {
    return undefined;
  }
  if (text.length < MIN_SECRET_LENGTH) {
    throw new TsFlinkError(
      'CONFIG_INVALID',
      `${origin} holds ${text.length} characters; a cluster secret needs at least ${MIN_SECRET_LENGTH}.`,
      {
        suggestion: 'Make one with: head -c 32 /dev/urandom | base64',
      },
    );
  }
  return derive(text);
}

/**
 * The secret this process proves it holds to every peer. On one host the JobManager makes its own
 * in the private runtime directory. Over TCP it must come from the configuration, so that every
 * host holds it; with internal TLS, the certificates authenticate instead and it may be left out.
 */
export function clusterSecret(
  configuration: Configuration,
  network: ClusterNetwork,
  runtime: ClusterRuntime,
  role: 'jobmanager' | 'taskmanager',
  env: NodeJS.ProcessEnv = process.env,
): SecretSource {
  const configured = configuredSecret(configuration, env);
  if (configured !== undefined) return () => configured;
  if (network.usesTcp) {
    if (network.security.tls === undefined && configuration.get(SECURITY_CLUSTER_SECRET_REQUIRED)) {
      throw new TsFlinkError(
        'CONFIG_INVALID',
        `This cluster talks over TCP (jobmanager.rpc.address is not this host, or cluster.transport is tcp) but has neither a cluster secret nor internal TLS: set ${CLUSTER_SECRET_ENV} or security.cluster-secret.file on every host, or security.ssl.internal.enabled: true; security.cluster-secret.required: false accepts anyone who reaches the ports.`,
      );
    }
    const open = derive(
      network.security.tls === undefined ? 'no secret: security.cluster-secret.required is false' : 'authenticated by internal TLS',
    );
    return () => open;
  }
  if (role === 'jobmanager') {
    const secret = loadOrCreateSecret(runtime);
    return () => secret;
  }
  // Read on every attempt: a JobManager started after this TaskManager writes it then.
  return () => readSecret(runtime);
}
