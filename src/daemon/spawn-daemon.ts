import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
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
 * Flink's `> out 2>&1`), with an IPC channel used only for the one readiness message. This uses
 * node:child_process directly: the daemon outlives us, so execa's promise and cleanup add nothing
 * here but the cost of loading it on every start.
 */
export function spawnDaemon(spec: SpawnSpec): SpawnedDaemon {
  const outFd = openSync(spec.outFile, 'w', 0o644);
  const subprocess = spawn(spec.command, [...spec.args], {
    env: spec.env,
    detached: true,
    stdio: ['ignore', outFd, outFd, 'ipc'],
    serialization: 'json',
  });
  closeSync(outFd);
  const pid = subprocess.pid;
  if (pid === undefined) throw new Error(`Could not start ${spec.command}`);
  subprocess.on('error', () => undefined);
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
