import { setTimeout as sleep } from 'node:timers/promises';

/** Liveness the way Flink's scripts check it: `kill -0`. EPERM still means the process exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `pid` has exited or `timeoutMs` passed; true when it exited. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 100);
  }
  return true;
}

/** How a stop went: stopped by SIGTERM, or killed after the grace period. */
export type StopOutcome = 'terminated' | 'killed';

/** SIGTERM, wait up to `graceMs`, then SIGKILL, as flink-daemon.sh does (FLINK-17470). */
export async function terminateProcess(pid: number, graceMs: number, onKill: () => void): Promise<StopOutcome> {
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return 'terminated';
  onKill();
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 5000);
  return 'killed';
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
