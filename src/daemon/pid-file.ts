import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { withFileLock } from './file-lock.js';
import { isProcessAlive } from './process-control.js';

/**
 * One pid file per daemon type, one pid per line, oldest first, as flink-daemon.sh keeps it. Every
 * change happens under a lock so that parallel starts agree on instance ids.
 */
export class PidFile {
  constructor(readonly path: string) {}

  private get lockPath(): string {
    return `${this.path}.lock`;
  }

  /** The pids listed, oldest first; stale ones included, as Flink counts them. */
  read(): number[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => Number.parseInt(line, 10))
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  }

  /**
   * Reserves the next instance id (the line count) and records the pid `spawn` returns, under one
   * lock. `dropIfAllDead` mirrors flink-console.sh, which clears a file whose pids are all dead.
   */
  async register(
    spawn: (instanceId: number) => Promise<number>,
    options: { dropIfAllDead?: boolean } = {},
  ): Promise<{ instanceId: number; pid: number }> {
    mkdirSync(dirname(this.path), { recursive: true });
    return withFileLock(this.lockPath, async () => {
      let lines = this.rawLines();
      if (options.dropIfAllDead === true && lines.length > 0 && lines.every((line) => !isProcessAlive(Number(line)))) {
        rmSync(this.path, { force: true });
        lines = [];
      }
      const instanceId = lines.length;
      const pid = await spawn(instanceId);
      writeFileSync(this.path, [...lines, String(pid)].join('\n') + '\n');
      return { instanceId, pid };
    });
  }

  /** Removes and returns the newest line (LIFO), deleting the file when it becomes empty. */
  async popNewest(): Promise<number | 'empty' | 'missing'> {
    if (!existsSync(this.path)) return 'missing';
    return withFileLock(this.lockPath, () => {
      if (!existsSync(this.path)) return 'missing';
      const lines = readFileSync(this.path, 'utf8').split('\n');
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      const last = lines.pop();
      if (lines.length === 0) rmSync(this.path, { force: true });
      else writeFileSync(this.path, lines.join('\n') + '\n');
      const pid = last === undefined ? Number.NaN : Number.parseInt(last.trim(), 10);
      return Number.isInteger(pid) && pid > 0 ? pid : 'empty';
    });
  }

  /** Removes the newest line holding `pid` (a start that failed takes its own line back); true when one was there. */
  async remove(pid: number): Promise<boolean> {
    if (!existsSync(this.path)) return false;
    return withFileLock(this.lockPath, () => {
      const lines = this.rawLines();
      const index = lines.map((line) => Number.parseInt(line.trim(), 10)).lastIndexOf(pid);
      if (index < 0) return false;
      lines.splice(index, 1);
      if (lines.length === 0) rmSync(this.path, { force: true });
      else writeFileSync(this.path, lines.join('\n') + '\n');
      return true;
    });
  }

  /** Takes every pid out of the file (stop-all renames it aside first, as Flink does). */
  async takeAll(): Promise<number[]> {
    if (!existsSync(this.path)) return [];
    return withFileLock(this.lockPath, () => {
      if (!existsSync(this.path)) return [];
      const aside = `${this.path}.tmp`;
      renameSync(this.path, aside);
      const pids = new PidFile(aside).read();
      rmSync(aside, { force: true });
      return pids;
    });
  }

  private rawLines(): string[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  }
}
