import { spawnSync } from 'node:child_process';

/** The pid of a process that has certainly exited: one we started and waited for. */
export function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (result.pid === undefined) throw new Error('could not start a process to obtain a dead pid');
  return result.pid;
}
