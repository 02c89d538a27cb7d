/**
 * `npm run bench -- network`: the cluster over TCP between hosts (network namespaces, see
 * test/helpers/network-lab.ts), plain and with internal TLS, beside the same job over Unix sockets
 * in the same run; how fast a kill -9 and a partition are noticed over TCP. Needs root.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hosts, labClusterConfig } from '../test/helpers/lab-cluster.js';
import { NetworkLab } from '../test/helpers/network-lab.js';
import { logLineTime } from '../test/helpers/cluster-probes.js';
import { makeTestCertificates, tlsStoreConfig } from '../test/helpers/test-certificates.js';
import { FLINK_HOME, TestDist, waitFor } from '../test/helpers/test-dist.js';
import { baseline, currentEnvironment, metric, quickMode, type BenchResult } from './benchmark.js';
import { onCleanup } from './process-cleanup.js';
import { JOB_CLASS, runningToFinishedMs, throughputCluster, timeJob } from './throughput.js';

/** Registry name: `npm run bench network`. */
export const name = 'network';

const RUNS = quickMode() ? 1 : 3;
const KILLS = quickMode() ? 2 : 5;
const RECORDS = quickMode() ? 1_000_000 : 6_000_000;
const HEARTBEAT = { 'heartbeat.interval': '200 ms', 'heartbeat.timeout': '2 s' };
const HEARTBEAT_TIMEOUT_MS = 2_000;

/** A lab of `hostNames` with a cluster config over it; `done` removes both. */
function labCluster(
  hostNames: readonly string[],
  extra: Record<string, string | number | boolean>,
): { hosts: Hosts; done: () => Promise<void> } {
  const lab = NetworkLab.create(hostNames);
  const dist = TestDist.create({ config: { 'taskmanager.numberOfTaskSlots': 1 } });
  const done = onCleanup(async () => {
    lab.destroy();
    await dist.destroy();
  });
  dist.writeConfig({ 'taskmanager.numberOfTaskSlots': 1, ...labClusterConfig(lab, dist.dir), ...extra });
  return { hosts: new Hosts(lab, dist), done };
}

/** Records/s of the throughput job at parallelism 2 with one TaskManager on each of two hosts. */
async function overTcp(extra: Record<string, string | number | boolean>): Promise<number> {
  const { hosts, done } = labCluster(['jm', 'tm1', 'tm2'], extra);
  try {
    copyFileSync(join(FLINK_HOME, 'dist', 'bench', 'jobs', 'throughput-job.js'), join(hosts.dist.libDir, 'throughput-job.mjs'));
    await hosts.startTaskManager('tm1');
    await hosts.startTaskManager('tm2');
    const result = await hosts.startForeground('jm', 'standalone-job.sh', [
      '-Dparallelism.default=2',
      '-j',
      JOB_CLASS,
      '--records',
      String(RECORDS),
    ]);
    return RECORDS / (runningToFinishedMs(result.exitCode, String(result.all)) / 1000);
  } finally {
    await done();
  }
}

/** Records/s of the same job with both TaskManagers on this host, over Unix sockets. */
async function overUnix(): Promise<number> {
  const { dist, done } = await throughputCluster();
  try {
    const { elapsedMs } = await timeJob(dist, ['-Dparallelism.default=2', '-j', JOB_CLASS, '--records', String(RECORDS)]);
    return RECORDS / (elapsedMs / 1000);
  } finally {
    await done();
  }
}

/** The first JobManager log line after `from` that says `resourceId` was lost; its time. */
function lossLineTime(log: string, resourceId: string): number | undefined {
  const line = log.split('\n').find((l) => l.includes(`TaskManager ${resourceId} lost:`));
  return line === undefined ? undefined : logLineTime(line);
}

/**
 * Milliseconds from kill -9 of a registered TaskManager to the JobManager's "lost" line, `KILLS`
 * times: over TCP with the TaskManager on another host, or over the Unix socket on one.
 */
async function killToLoss(overTcpLink: boolean): Promise<number[]> {
  const times: number[] = [];
  if (overTcpLink) {
    const { hosts, done } = labCluster(['jm', 'tm1'], HEARTBEAT);
    try {
      const started = await hosts.script('jm', 'jobmanager.sh', ['start']);
      if (started.exitCode !== 0) throw new Error(`jobmanager.sh start failed: ${started.stderr}`);
      for (let i = 0; i < KILLS; i++) {
        await hosts.startTaskManager('tm1');
        const pid = hosts.pids('tm1').at(-1)!;
        const resourceId = await registeredId(() => hosts.logs('jm'), i);
        const killedAt = Date.now();
        process.kill(pid, 'SIGKILL');
        times.push((await waitFor('the loss', () => lossLineTime(hosts.logs('jm'), resourceId))) - killedAt);
        await hosts.script('tm1', 'taskmanager.sh', ['stop-all']);
      }
    } finally {
      await done();
    }
    return times;
  }
  const dist = TestDist.create({ config: HEARTBEAT });
  const done = onCleanup(() => dist.destroy());
  try {
    const started = await dist.run('jobmanager.sh', ['start']);
    if (started.exitCode !== 0) throw new Error(`jobmanager.sh start failed: ${started.stderr}`);
    for (let i = 0; i < KILLS; i++) {
      await dist.run('taskmanager.sh', ['start']);
      const resourceId = await registeredId(() => dist.log('standalonesession', 0), i);
      const killedAt = Date.now();
      process.kill(dist.pids('taskexecutor').at(-1)!, 'SIGKILL');
      times.push((await waitFor('the loss', () => lossLineTime(dist.log('standalonesession', 0), resourceId))) - killedAt);
    }
  } finally {
    await done();
  }
  return times;
}

/** The resource id of the `index`-th TaskManager the JobManager registered. */
async function registeredId(log: () => string, index: number): Promise<string> {
  return waitFor('the TaskManager to register', () => [...log().matchAll(/Registering TaskManager with ResourceID (\S+)/g)][index]?.[1]);
}

/** Milliseconds from cutting a TaskManager's cable to the JobManager's "lost" line, healing in between. */
async function partitionToLoss(): Promise<number[]> {
  const { hosts, done } = labCluster(['jm', 'tm1'], HEARTBEAT);
  const times: number[] = [];
  try {
    const started = await hosts.script('jm', 'jobmanager.sh', ['start']);
    if (started.exitCode !== 0) throw new Error(`jobmanager.sh start failed: ${started.stderr}`);
    await hosts.startTaskManager('tm1');
    for (let i = 0; i < RUNS; i++) {
      const resourceId = await registeredId(() => hosts.logs('jm'), i);
      const before = hosts.logs('jm').length;
      const cutAt = Date.now();
      hosts.lab.partition('tm1');
      times.push((await waitFor('the loss', () => lossLineTime(hosts.logs('jm').slice(before), resourceId))) - cutAt);
      hosts.lab.heal('tm1');
    }
  } finally {
    await done();
  }
  return times;
}

export async function run(): Promise<BenchResult> {
  const certDir = mkdtempSync(join(tmpdir(), 'tsf-bench-certs-'));
  const cleanCerts = onCleanup(() => rmSync(certDir, { recursive: true, force: true }));
  try {
    const certs = makeTestCertificates(certDir);
    const unix: number[] = [];
    const tcp: number[] = [];
    const tls: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      unix.push(await overUnix());
      tcp.push(await overTcp({}));
      tls.push(await overTcp(tlsStoreConfig(certs, 'internal')));
    }
    const unixBaseline = baseline('the same job, both TaskManagers on this host, over Unix sockets', unix);
    const killTcp = await killToLoss(true);
    const killUnix = await killToLoss(false);
    const partition = await partitionToLoss();
    const job = 'source → keyBy → reduce → discard, parallelism 2, one TaskManager on each of two hosts';
    return {
      name,
      ranAt: new Date().toISOString(),
      environment: currentEnvironment(),
      metrics: [
        metric(`${job}, TCP`, 'records/s', tcp, { baselines: [unixBaseline] }),
        metric(`${job}, TCP with internal TLS`, 'records/s', tls, { baselines: [unixBaseline, baseline('plain TCP', tcp)] }),
        metric(
          'TCP throughput as a share of Unix sockets (run by run)',
          '%',
          tcp.map((v, i) => (100 * v) / unix[i]!),
          { target: { comparison: '≥', value: 70 } },
        ),
        metric(
          'TLS throughput as a share of Unix sockets (run by run)',
          '%',
          tls.map((v, i) => (100 * v) / unix[i]!),
          { target: { comparison: '≥', value: 50 } },
        ),
        metric('kill -9 of a TaskManager on another host → JobManager declares it lost (TCP)', 'ms', killTcp, {
          baselines: [baseline('the same over the Unix socket, on one host', killUnix)],
          target: { comparison: '<', value: 100 },
        }),
        metric("partition of a TaskManager's host → JobManager declares it lost", 'ms', partition, {
          baselines: [
            baseline(
              'heartbeat.timeout',
              partition.map(() => HEARTBEAT_TIMEOUT_MS),
            ),
          ],
          target: { comparison: '≤', value: HEARTBEAT_TIMEOUT_MS + 500 },
          measured: 'heartbeat.interval 200 ms, heartbeat.timeout 2 s; a cut cable closes nothing, so only the missing heartbeats tell',
        }),
      ],
      notes: [
        'Hosts are network namespaces on this machine joined by veth pairs and a bridge: real TCP/IP, but no wire latency; the share of Unix-socket throughput is what the protocol stack and TLS cost.',
      ],
    };
  } finally {
    await cleanCerts();
  }
}
