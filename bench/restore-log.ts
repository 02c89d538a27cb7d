/** The state restores the TaskManagers log, and what the page cache held when they ran. */
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { logLineTime } from '../test/helpers/cluster-probes.js';
import type { TestDist } from '../test/helpers/test-dist.js';

const MB = 1024 * 1024;
/** TaskManager log instances to read: a rescale run starts at most a few. */
const INSTANCES = 8;

/** One subtask's restore as its TaskManager logged it; `id` tells restores apart across reads. */
export interface Restore {
  readonly id: string;
  readonly bytes: number;
  readonly ms: number;
  readonly time: number;
}

/** Every restore with state the TaskManagers of `dist` logged so far. */
export function restores(dist: TestDist): Restore[] {
  const out: Restore[] = [];
  for (let instance = 0; instance < INSTANCES; instance++) {
    dist
      .log('taskexecutor', instance)
      .split('\n')
      .forEach((line, index) => {
        const match = /restored (\d+) bytes of state from checkpoint \d+ in (\d+) ms/.exec(line);
        if (match !== null && Number(match[1]) > 0)
          out.push({ id: `${instance}:${index}`, bytes: Number(match[1]), ms: Number(match[2]), time: logLineTime(line) });
      });
  }
  return out;
}

/** The restores logged since `before` was read. */
export function restoresSince(dist: TestDist, before: readonly Restore[]): Restore[] {
  const seen = new Set(before.map((r) => r.id));
  return restores(dist).filter((r) => !seen.has(r.id));
}

/** Each subtask's own restore rate in MB/s (a restore logged as 0 ms counts as 1 ms). */
export function perSubtaskRates(list: readonly Restore[]): number[] {
  return list.map((r) => r.bytes / MB / (Math.max(1, r.ms) / 1000));
}

/** Whether this process may drop the kernel's page cache (root on Linux). */
export function canDropPageCache(): boolean {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Writes dirty pages out and drops the page cache, so the next restore reads its checkpoint from disk. */
export async function dropPageCache(): Promise<void> {
  await execa('sync');
  writeFileSync('/proc/sys/vm/drop_caches', '3\n');
}
