import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logLineTime, waitForProcessExit } from '../test/helpers/cluster-probes.js';
import { TestDist } from '../test/helpers/test-dist.js';
import { ZooKeeperServer } from '../test/helpers/zookeeper-server.js';
import { baseline, currentEnvironment, metric, quickMode, type BenchResult } from './benchmark.js';
import { onCleanup } from './process-cleanup.js';

/** Registry name: `npm run bench -- failover`. */
export const name = 'failover';

/** Shorter than Flink's 60 s default so a run takes minutes, not hours; every figure is read against it. */
const SESSION_TIMEOUT_MS = 6_000;
const GRANTED = /granted leadership with leader session id/;
const RUNNING = /All \d+ subtasks of job \w+ are running/;

/** The first line of instance `instance`'s log matching `pattern`, after `since` (epoch ms); its time. */
function lineTime(dist: TestDist, instance: number, pattern: RegExp, since: number): number | undefined {
  for (const line of dist.log('standalonejob', instance).split('\n'))
    if (pattern.test(line) && logLineTime(line) >= since) return logLineTime(line);
  return undefined;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** One failover: two JobManagers, the leader taken away by `signal`; ms until the standby leads and until the job runs again. */
async function measure(zookeeper: ZooKeeperServer, signal: 'SIGKILL' | 'SIGTERM'): Promise<{ leadingMs: number; runningMs: number }> {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '500 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.delay': '100 ms',
      'high-availability.type': 'zookeeper',
      'high-availability.zookeeper.quorum': zookeeper.quorum,
      'high-availability.zookeeper.client.session-timeout': `${SESSION_TIMEOUT_MS} ms`,
    },
  });
  const done = onCleanup(() => dist.destroy());
  try {
    dist.writeConfig({
      'high-availability.storageDir': `file://${join(dist.dir, 'ha')}`,
      'high-availability.cluster-id': `/${dist.dir.split('/').at(-1) ?? 'bench'}`,
      'execution.checkpointing.dir': `file://${join(dist.dir, 'checkpoints')}`,
    });
    dist.addFixtureJob('keyed-counter');
    const args = ['-j', 'org.tsflink.fixtures.KeyedCounter', '--records', '100000000', '--keys', '100', '--rate', '2000'];
    for (let i = 0; i < 2; i++) await dist.run('standalone-job.sh', ['start', ...args, '--output', join(dist.dir, 'out')]);
    await dist.run('taskmanager.sh', ['start']);
    const leader = await until('a leader', () => [0, 1].find((i) => lineTime(dist, i, GRANTED, 0) !== undefined));
    await until('a checkpoint', () => (/Completed checkpoint [2-9]/.test(dist.log('standalonejob', leader)) ? true : undefined));
    const pid = Number(/pid (\d+)\)/.exec(dist.log('standalonejob', leader))?.[1]);
    const standby = 1 - leader;
    const at = Date.now();
    process.kill(pid, signal);
    await waitForProcessExit(pid, 20_000);
    const leading = await until('the standby to lead', () => lineTime(dist, standby, GRANTED, at));
    const running = await until('the job to run again', () => lineTime(dist, standby, RUNNING, at));
    return { leadingMs: leading - at, runningMs: running - at };
  } finally {
    await done();
  }
}

/** Failover times of ZooKeeper high availability, read against the session timeout that bounds them. */
export async function run(): Promise<BenchResult> {
  const rounds = quickMode() ? 1 : 3;
  const zookeeper = await ZooKeeperServer.start();
  const stopZooKeeper = onCleanup(() => zookeeper.stop());
  try {
    const killed = [];
    const stopped = [];
    for (let i = 0; i < rounds; i++) killed.push(await measure(zookeeper, 'SIGKILL'));
    for (let i = 0; i < rounds; i++) stopped.push(await measure(zookeeper, 'SIGTERM'));
    const session = baseline('ZooKeeper session timeout', [SESSION_TIMEOUT_MS]);
    return {
      name,
      ranAt: new Date().toISOString(),
      environment: currentEnvironment(),
      metrics: [
        metric(
          'kill -9 of the leader until the standby leads',
          'ms',
          killed.map((k) => k.leadingMs),
          { baselines: [session] },
        ),
        metric(
          'kill -9 of the leader until the job runs again',
          'ms',
          killed.map((k) => k.runningMs),
          {
            baselines: [session],
            target: { comparison: '<', value: SESSION_TIMEOUT_MS + 1000 },
          },
        ),
        metric(
          'kill -9: ours (running again minus the session timeout)',
          'ms',
          killed.map((k) => k.runningMs - SESSION_TIMEOUT_MS),
        ),
        metric(
          'graceful stop of the leader until the job runs again',
          'ms',
          stopped.map((s) => s.runningMs),
          {
            target: { comparison: '<', value: 1000 },
          },
        ),
        metric(
          'graceful stop of the leader until the standby leads',
          'ms',
          stopped.map((s) => s.leadingMs),
        ),
      ],
      notes: [
        `Two JobManagers (application mode, reactive keyed counter, checkpoints every 500 ms), one TaskManager, a real ZooKeeper; session timeout ${SESSION_TIMEOUT_MS} ms instead of Flink's 60 s.`,
        'After kill -9 the old session lives until ZooKeeper expires it (the session timeout); what follows is ours: the latch wakes the standby, it recovers the checkpoint, the TaskManager re-registers and the job is deployed.',
        'A graceful stop closes the session at once, so no part of it is the session timeout. Times are from the kill to the log line in the new leader.',
      ],
    };
  } finally {
    await stopZooKeeper();
  }
}
