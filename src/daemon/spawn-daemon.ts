import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';
import { isReadinessMessage, type ReadinessMessage } from './readiness.js';

/** What the launcher learned about a daemon it spawned. */
export type LaunchOutcome =
  | ReadinessMessage
  | { readonly type: 'exited'; readonly exitCode: number | null; readonly signal: string | null }
  | { readonly type: 'timeout' };

/** A daemon process started in the background, detached from the launcher. */
export interface SpawnedDaemon {
  readonly pid: number;
  /** Settles with the daemon's first readiness message, its exit, or a timeout. */
  readonly outcome: Promise<LaunchOutcome>;
}

/** How to start the daemon's process. */
export interface SpawnSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly outFile: string;
  readonly readyTimeoutMs: number;
}

/**
 * Starts a detached process writing stdout and stderr straight into `outFile` (truncated, as
 * Flink's `> out 2>&1`), with an IPC channel used only for the one readiness message.
 */
export function spawnDaemon(spec: SpawnSpec): SpawnedDaemon {
  // execa's types only list descriptors 3-9, but any open descriptor is passed through as is.
  const outFd = openSync(spec.outFile, 'w', 0o644) as 3;
  const subprocess = execa(spec.command, [...spec.args], {
    env: spec.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    stdin: 'ignore',
    stdout: outFd,
    stderr: outFd,
    ipc: true,
    serialization: 'json',
  });
  closeSync(outFd);
  const pid = subprocess.pid;
  if (pid === undefined) throw new Error(`Could not start ${spec.command}`);
  // The daemon outlives us; its eventual exit must not surface as an unhandled rejection here.
  void Promise.resolve(subprocess).catch(() => undefined);
  const outcome = new Promise<LaunchOutcome>((resolve) => {
    const timer = setTimeout(() => resolve({ type: 'timeout' }), spec.readyTimeoutMs);
    subprocess.on('message', (message: unknown) => {
      if (isReadinessMessage(message)) {
        clearTimeout(timer);
        resolve(message);
      }
    });
    subprocess.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ type: 'exited', exitCode, signal });
    });
  }).finally(() => {
    subprocess.removeAllListeners('message');
    subprocess.removeAllListeners('exit');
    if (subprocess.connected) subprocess.disconnect();
    subprocess.unref();
  });
  return { pid, outcome };
}
