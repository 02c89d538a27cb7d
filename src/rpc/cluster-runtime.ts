import type { ResourceId } from '../core/ids.js';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { TsFlinkError } from '../core/errors.js';
import type { EndpointAddress } from './address.js';
import { checkSocketPath } from './rpc-server.js';

/** Everything that lets the processes of one cluster find and trust each other on this host. */
export interface ClusterRuntime {
  /** Private (0700) directory holding the sockets, the secret and runtime files. */
  readonly dir: string;
  readonly jobManagerAddress: EndpointAddress;
  readonly secretPath: string;
  /** Written by a ready JobManager: pid and REST URL, for `bin/flink` and tests. */
  readonly jobManagerInfoPath: string;
}

/** What identifies a cluster on this host. */
export interface ClusterIdentity {
  readonly confDir: string;
  readonly tmpDir: string;
  readonly rpcAddress: string;
  readonly rpcPort: number;
}

/**
 * Two clusters are the same when they share the conf dir and the JobManager's rpc address and
 * port, so clusters with their own conf dirs (or ports) run side by side without colliding.
 */
export function resolveClusterRuntime(identity: ClusterIdentity): ClusterRuntime {
  let confDir = identity.confDir;
  try {
    confDir = realpathSync(confDir);
  } catch {
    // A conf dir that does not exist is reported by the config loader, not here.
  }
  const key = createHash('sha256').update(`${confDir}\n${identity.rpcAddress}:${identity.rpcPort}`).digest('hex').slice(0, 12);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = join(identity.tmpDir, `tsflink-${uid}`, key);
  const socket = join(dir, 'jm.sock');
  checkSocketPath(socket);
  return {
    dir,
    jobManagerAddress: { kind: 'unix', path: socket },
    secretPath: join(dir, 'secret'),
    jobManagerInfoPath: join(dir, 'jobmanager.json'),
  };
}

/** Path of a TaskManager's data socket inside the cluster's runtime dir. */
export function taskManagerDataAddress(runtime: ClusterRuntime, resourceId: ResourceId): EndpointAddress {
  const tag = createHash('sha256').update(resourceId).digest('hex').slice(0, 12);
  const path = join(runtime.dir, `tm-${tag}.sock`);
  checkSocketPath(path);
  return { kind: 'unix', path };
}

/** Creates `dir` and its parent 0700 and owned by us; refuses a directory someone else owns. */
export function ensurePrivateDirectory(dir: string): void {
  const parent = join(dir, '..');
  for (const path of [parent, dir]) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const stat = lstatSync(path);
    const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
    if (!stat.isDirectory() || stat.uid !== uid) {
      throw new TsFlinkError('RUNTIME_DIR_UNSAFE', `Refusing to use ${path}: it is not a directory owned by this user.`, {
        suggestion: 'Remove it, or point io.tmp.dirs at a directory of your own.',
      });
    }
    if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
  }
}

/** The JobManager keeps the secret across restarts so TaskManagers can reconnect to a new JobManager. */
export function loadOrCreateSecret(runtime: ClusterRuntime): Buffer {
  ensurePrivateDirectory(runtime.dir);
  if (!existsSync(runtime.secretPath)) {
    const temp = `${runtime.secretPath}.${process.pid}.tmp`;
    writeFileSync(temp, randomBytes(32).toString('hex'), { mode: 0o600 });
    try {
      // link() never replaces: of JobManagers starting together (standbys), the first one's secret holds.
      linkSync(temp, runtime.secretPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  return readSecret(runtime);
}

/** Reads the cluster secret; a TaskManager without it cannot join. */
export function readSecret(runtime: ClusterRuntime): Buffer {
  let text: string;
  try {
    text = readFileSync(runtime.secretPath, 'utf8').trim();
  } catch (error) {
    throw new TsFlinkError(
      'SECRET_MISSING',
      `Cannot read the cluster secret at ${runtime.secretPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      {
        cause: error,
        suggestion: 'Start the JobManager first (bin/jobmanager.sh start or bin/standalone-job.sh start).',
      },
    );
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new TsFlinkError('SECRET_INVALID', `The cluster secret at ${runtime.secretPath} is malformed.`);
  return Buffer.from(text, 'hex');
}

/** Facts a ready JobManager publishes for local clients. */
export interface JobManagerInfo {
  readonly pid: number;
  readonly restUrl: string;
  readonly startedAt: number;
}

export function writeJobManagerInfo(runtime: ClusterRuntime, info: JobManagerInfo): void {
  const temp = `${runtime.jobManagerInfoPath}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(info), { mode: 0o600 });
  renameSync(temp, runtime.jobManagerInfoPath);
}

export function readJobManagerInfo(runtime: ClusterRuntime): JobManagerInfo | undefined {
  try {
    return JSON.parse(readFileSync(runtime.jobManagerInfoPath, 'utf8')) as JobManagerInfo;
  } catch {
    return undefined;
  }
}

export function removeJobManagerInfo(runtime: ClusterRuntime): void {
  rmSync(runtime.jobManagerInfoPath, { force: true });
}
