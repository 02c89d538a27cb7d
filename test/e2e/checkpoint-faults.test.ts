import assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

const BASE = {
  'heartbeat.interval': '200 ms',
  'heartbeat.timeout': '2 s',
  'scheduler-mode': 'reactive',
  'restart-strategy.type': 'fixed-delay',
  'restart-strategy.fixed-delay.attempts': 100,
  'restart-strategy.fixed-delay.delay': '100 ms',
  // These faults are in state files: the jobs' few kilobytes of state would otherwise travel inline.
  'execution.checkpointing.data-inline-threshold': 0,
};

interface CheckpointCounts {
  counts: { completed: number; failed: number };
}

describe('checkpoint storage faults', () => {
  const dists: TestDist[] = [];
  const newDist = (config: Record<string, string | number | boolean>): TestDist => {
    const dist = TestDist.create({ config: { ...BASE, ...config } });
    dists.push(dist);
    return dist;
  };
  after(async () => {
    await Promise.all(dists.map((d) => d.destroy()));
  });

  it('restores from the previous checkpoint when the newest one is corrupt, and says which', async () => {
    const dist = newDist({ 'execution.checkpointing.interval': '1500 ms', 'execution.checkpointing.num-retained': 2 });
    dist.addFixtureJob('keyed-counter');
    const checkpoints = join(dist.dir, 'checkpoints');
    const output = join(dist.dir, 'counts');
    const job = dist.startForeground('standalone-job.sh', [
      `-Dexecution.checkpointing.dir=file://${checkpoints}`,
      '-j',
      'org.tsflink.fixtures.KeyedCounter',
      '--records',
      '16000',
      '--keys',
      '100',
      '--rate',
      '1000',
      '--output',
      output,
    ]);
    await dist.run('taskmanager.sh', ['start']);
    await dist.run('taskmanager.sh', ['start']);
    const newest = await waitFor(
      'a second completed checkpoint',
      () => {
        const ids = [...dist.log('standalonejob', 0).matchAll(/Completed checkpoint (\d+)/g)].map((m) => Number(m[1]));
        return ids.length >= 2 ? ids.at(-1) : undefined;
      },
      30_000,
    );
    const jobDir = readdirSync(checkpoints)
      .map((d) => join(checkpoints, d))
      .find((d) => statSync(d).isDirectory())!;
    const chk = join(jobDir, `chk-${newest}`);
    for (const file of readdirSync(chk).filter((f) => f !== '_metadata')) flipBytes(join(chk, file));
    process.kill(dist.pids('taskexecutor').at(-1)!, 'SIGKILL');
    const result = await job;
    assert.equal(result.exitCode, 0, String(result.all).slice(-3000));
    const log = String(result.all);
    assert.match(log, new RegExp(`Checkpoint ${newest} of job \\w+ is corrupt`));
    assert.match(log, new RegExp(`Restoring job \\w+ from checkpoint ${newest - 1}\\b`));
    // Falling back past a committed checkpoint replays its output; nothing may be missing.
    assert.deepEqual(checkKeyedCounts(committedLines(output), 100, 160).missing.slice(0, 5), []);
    // A finished job keeps no checkpoint: not the corrupt one, nor one the kill aborted mid-flight.
    assert.deepEqual(
      readdirSync(jobDir).filter((name) => name.startsWith('chk-')),
      [],
    );
  });

  it('counts failed checkpoints when the directory becomes unusable, keeps running, and fails past the tolerable number', async () => {
    // Past the threshold the job fails over through its restart strategy (as in Flink); with none it ends FAILED.
    const dist = newDist({
      'execution.checkpointing.interval': '300 ms',
      'execution.checkpointing.tolerable-failed-checkpoints': 3,
      'restart-strategy.type': 'none',
    });
    const checkpoints = join(dist.dir, 'checkpoints');
    dist.addExampleJar('TopSpeedWindowing');
    const started = await dist.run('standalone-job.sh', [
      'start',
      `-Dexecution.checkpointing.dir=file://${checkpoints}`,
      '-j',
      'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing',
    ]);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    const jobId = /\(([0-9a-f]{32})\)/.exec(started.stdout)![1]!;
    await dist.run('taskmanager.sh', ['start']);
    await waitFor(
      'a completed checkpoint',
      async () => ((await getJson<CheckpointCounts>(url, `/jobs/${jobId}/checkpoints`)).counts.completed > 0 ? true : undefined),
      20_000,
    );
    breakDirectory(join(checkpoints, jobId));
    await waitFor(
      'failed checkpoints to be counted',
      async () => ((await getJson<CheckpointCounts>(url, `/jobs/${jobId}/checkpoints`)).counts.failed >= 1 ? true : undefined),
      20_000,
    );
    const jobManager = dist.pids('standalonejob')[0]!;
    await waitFor(
      'the job to fail past the tolerable number of failed checkpoints',
      () => {
        try {
          process.kill(jobManager, 0);
          return undefined;
        } catch {
          return true;
        }
      },
      30_000,
    );
    assert.match(dist.log('standalonejob', 0), /Exceeded checkpoint tolerable failure threshold/);
  });

  it('keeps running while checkpoints fail within the tolerable number, and recovers when the disk does', async () => {
    const dist = newDist({ 'execution.checkpointing.interval': '300 ms', 'execution.checkpointing.tolerable-failed-checkpoints': 1000 });
    const checkpoints = join(dist.dir, 'checkpoints');
    dist.addExampleJar('TopSpeedWindowing');
    const started = await dist.run('standalone-job.sh', [
      'start',
      `-Dexecution.checkpointing.dir=file://${checkpoints}`,
      '-j',
      'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing',
    ]);
    const url = restUrlFrom(started.stdout);
    const jobId = /\(([0-9a-f]{32})\)/.exec(started.stdout)![1]!;
    await dist.run('taskmanager.sh', ['start']);
    await waitFor(
      'a completed checkpoint',
      async () => ((await getJson<CheckpointCounts>(url, `/jobs/${jobId}/checkpoints`)).counts.completed > 0 ? true : undefined),
      20_000,
    );
    breakDirectory(join(checkpoints, jobId));
    const failed = await waitFor(
      'failed checkpoints',
      async () => {
        const counts = (await getJson<CheckpointCounts>(url, `/jobs/${jobId}/checkpoints`)).counts;
        return counts.failed >= 2 ? counts : undefined;
      },
      20_000,
    );
    assert.equal((await getJson<{ state: string }>(url, `/jobs/${jobId}`)).state, 'RUNNING');
    repairDirectory(join(checkpoints, jobId));
    await waitFor(
      'checkpoints to complete again',
      async () =>
        (await getJson<CheckpointCounts>(url, `/jobs/${jobId}/checkpoints`)).counts.completed > failed.completed ? true : undefined,
      20_000,
    );
  });
});

/** Flips bytes in the middle of a state file, leaving its size alone. */
function flipBytes(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return;
  const fd = openSync(path, 'r+');
  try {
    for (const at of [Math.floor(size / 3), Math.floor(size / 2), size - 1]) writeSync(fd, Buffer.from([0xa5]), 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes a checkpoint directory unusable even for root (permissions do not stop root): the directory
 * moves aside and a plain file takes its place, so every write below it fails with ENOTDIR.
 */
function breakDirectory(dir: string): void {
  renameSync(dir, `${dir}.aside`);
  writeFileSync(dir, 'not a directory');
}

function repairDirectory(dir: string): void {
  rmSync(dir, { force: true });
  renameSync(`${dir}.aside`, dir);
}
