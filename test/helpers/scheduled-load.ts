import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { TestDist } from './test-dist.js';

/** How the scheduled-load fixture job runs: its arrival schedule, when it starts, its keys and per-record cost. */
export interface ScheduledLoadOptions {
  /** `rate:seconds,...`, e.g. `1500:30,6000:45`. */
  readonly schedule: string;
  /** Epoch ms the schedule starts. */
  readonly startMs: number;
  readonly keys: number;
  readonly costUs: number;
  /** The exactly-once file sink's directory. */
  readonly output: string;
}

/** Starts the scheduled-load fixture as an application cluster (standalone-job.sh start-foreground), checkpointing into the dist. */
export function startScheduledLoadJob(dist: TestDist, options: ScheduledLoadOptions): ResultPromise {
  dist.addFixtureJob('scheduled-load');
  return dist.startForeground('standalone-job.sh', [
    '-Dexecution.checkpointing.dir=file://' + join(dist.dir, 'checkpoints'),
    '-j',
    'org.tsflink.fixtures.ScheduledLoad',
    '--schedule',
    options.schedule,
    '--start',
    String(options.startMs),
    '--keys',
    String(options.keys),
    '--cost-us',
    String(options.costUs),
    '--output',
    options.output,
  ]);
}
