/**
 * A cluster spread over hosts, each a network namespace with its own address (see NetworkLab): the
 * JobManager on one, TaskManagers on the others, talking TCP through a switch that the tests cut,
 * slow down and listen to. Everything runs through the real bin/ scripts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { confWith, Hosts, labClusterConfig, resourceIdOn, unixDataConnections } from '../helpers/lab-cluster.js';
import { processesOn, startSshServers } from '../helpers/ssh-servers.js';
import { capture } from '../helpers/wire-capture.js';
import { NetworkLab } from '../helpers/network-lab.js';
import { makeTestCertificates, tlsStoreConfig, type TestCertificates } from '../helpers/test-certificates.js';
import { FLINK_HOME, getJson, restUrlFrom, TestDist, waitFor, runningAt } from '../helpers/test-dist.js';

const RECORDS = 12_000;
const KEYS = 120;

function clusterConfig(lab: NetworkLab, dir: string): Record<string, string | number | boolean> {
  return {
    ...labClusterConfig(lab, dir),
    'heartbeat.interval': '200 ms',
    'heartbeat.timeout': '2 s',
    'scheduler-mode': 'reactive',
    'execution.checkpointing.interval': '300 ms',
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': 1000,
    'restart-strategy.fixed-delay.delay': '100 ms',
  };
}

/** Starts the keyed counter on the JobManager's host; returns its REST URL and job id. */
async function startCounter(hosts: Hosts, output: string, rate: number, records = RECORDS): Promise<{ url: string; jobId: string }> {
  hosts.dist.addFixtureJob('keyed-counter');
  const started = await hosts.script('jm', 'standalone-job.sh', [
    'start',
    `-Dexecution.checkpointing.dir=file://${join(hosts.dist.dir, 'checkpoints')}`,
    '-j',
    'org.tsflink.fixtures.KeyedCounter',
    '--records',
    String(records),
    '--keys',
    String(KEYS),
    '--rate',
    String(rate),
    '--output',
    output,
  ]);
  assert.equal(started.exitCode, 0, `${started.stdout}\n${started.stderr}`);
  return { url: restUrlFrom(started.stdout), jobId: /\(([0-9a-f]{32})\)/.exec(started.stdout)![1]! };
}

/** An application cluster ends with its job, taking REST with it: its log tells how the job ended. */
async function finished(hosts: Hosts, jobId: string): Promise<void> {
  const ended = await waitFor(
    'the job to end',
    () => new RegExp(`\\(${jobId}\\) switched from state \\w+ to (FINISHED|FAILED|CANCELED)`).exec(hosts.logs('jm'))?.[1],
    120_000,
  );
  assert.equal(ended, 'FINISHED');
}

function assertExactlyOnce(output: string): void {
  const lines = committedLines(output);
  const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
  assert.deepEqual(duplicated.slice(0, 10), [], 'no (key,count) line is committed twice');
  assert.deepEqual(missing.slice(0, 10), [], 'every (key,count) line is committed');
  assert.equal(lines.length, RECORDS);
}

/** A lab and a dist of its own for one test, both gone when the test ends, passed or not. */
function cluster(t: TestContext, hostNames: readonly string[], extra: Record<string, string | number | boolean> = {}): Hosts {
  const lab = NetworkLab.create(hostNames);
  const dist = TestDist.create({});
  t.after(async () => {
    // The lab first: it kills every process on its hosts, whose pid files the dist does not know.
    lab.destroy();
    await dist.destroy();
  });
  dist.writeConfig({ ...clusterConfig(lab, dist.dir), ...extra });
  return new Hosts(lab, dist);
}

/** Waits for a refusal in the logs; on a timeout, says what the JobManager and tm3 warned about instead. */
async function refused(hosts: Hosts, what: string, seen: () => boolean): Promise<void> {
  await waitFor(what, () => (seen() ? true : undefined), 20_000).catch((error: Error) => {
    const said = [hosts.logs('jm'), hosts.logs('tm3')]
      .join('\n')
      .split('\n')
      .filter((line) => /WARN|ERROR|Refused/.test(line));
    throw new Error(`${error.message}\n${said.slice(-15).join('\n')}`);
  });
}

describe('a cluster over several hosts', () => {
  it('scales with TaskManagers joining and leaving over TCP, exactly once, with 20 ms latency and 1 % loss', async (t) => {
    const hosts = cluster(t, ['jm', 'tm1', 'tm2', 'tm3']);
    const { lab, dist } = hosts;
    for (const host of ['jm', 'tm1', 'tm2', 'tm3']) {
      const applied = await lab.degrade(host, 20, 1);
      assert.ok(applied.delay && applied.loss, `${host}: the delay and loss could not be applied: ${applied.how}`);
      t.diagnostic(`${host}: 20 ms delay and 1 % loss: ${applied.how}`);
    }
    const output = join(dist.dir, 'counts');
    const { url, jobId } = await startCounter(hosts, output, 400);
    await hosts.startTaskManager('tm1');
    await runningAt(url, jobId, 1);
    await hosts.startTaskManager('tm2');
    await runningAt(url, jobId, 2);
    await hosts.startTaskManager('tm3');
    await runningAt(url, jobId, 3);
    assert.equal((await hosts.script('tm3', 'taskmanager.sh', ['stop'])).exitCode, 0);
    await runningAt(url, jobId, 2);
    process.kill(hosts.pids('tm2')[0]!, 'SIGKILL');
    await runningAt(url, jobId, 1);
    // A second TaskManager on tm1: records between the two stay off TCP, on their Unix sockets.
    await hosts.startTaskManager('tm1');
    await runningAt(url, jobId, 2);
    await waitFor('a data connection over a Unix socket on tm1', () => (unixDataConnections(lab, 'tm1') > 0 ? true : undefined));
    await finished(hosts, jobId);
    assertExactlyOnce(output);
    const jobManagerLog = hosts.logs('jm');
    for (const host of ['tm1', 'tm2', 'tm3']) {
      assert.match(
        jobManagerLog,
        new RegExp(`Registering TaskManager with ResourceID \\S+ \\(${lab.host(host).address.replace(/\./g, '\\.')}:\\d+\\)`),
      );
    }
    assert.match(hosts.logs('tm1'), /taskmanager\.host is localhost, which other hosts cannot reach/);
  });

  it('notices a partition after heartbeat.timeout, scales down, and takes the TaskManager back when it heals', async (t) => {
    const hosts = cluster(t, ['jm', 'tm1', 'tm2']);
    const { lab } = hosts;
    const { url, jobId } = await startCounter(hosts, join(hosts.dist.dir, 'counts'), 100, 1_000_000);
    await hosts.startTaskManager('tm1');
    await hosts.startTaskManager('tm2');
    const wire = await capture(lab, 'jm', join(hosts.dist.dir, 'plain.pcap'));
    await runningAt(url, jobId, 2);
    const victim = resourceIdOn(hosts, 'tm2');
    const cutAt = Date.now();
    lab.partition('tm2');
    const noticedAt = await waitFor('the JobManager to notice the partition', () =>
      hosts.logs('jm').includes(`heartbeat of TaskManager with id ${victim} timed out`) ? Date.now() : undefined,
    );
    await runningAt(url, jobId, 1);
    // Nothing closed the connection, so only the missing heartbeats can tell: not before the timeout of 2 s.
    assert.ok(noticedAt - cutAt >= 1_500, `noticed after ${noticedAt - cutAt} ms, before heartbeat.timeout could expire`);
    t.diagnostic(`partition noticed after ${noticedAt - cutAt} ms (heartbeat.timeout 2 s, interval 200 ms)`);
    lab.heal('tm2');
    await runningAt(url, jobId, 2);
    assert.match(hosts.logs('tm2'), /heartbeat of JobManager \S+ timed out; reconnecting|Lost the connection to the JobManager/);
    const plain = (await wire.stop()).toString('latin1');
    assert.ok(plain.includes('"proto":"tsflink"'), 'plain TCP carries the handshake in the clear (the capture sees it)');
  });

  it('over TLS, refuses peers without the cluster certificate, and nothing crosses the wire in the clear', async (t) => {
    const certs: TestCertificates = makeTestCertificates(join(tmpdir(), `tsf-certs-${process.pid}-${Date.now()}`));
    t.after(() => rmSync(certs.dir, { recursive: true, force: true }));
    const tls = {
      ...tlsStoreConfig(certs, 'internal'),
      // TLS alone authenticates: no cluster secret is given.
      'security.cluster-secret.file': '',
    };
    const hosts = cluster(t, ['jm', 'tm1', 'tm2', 'tm3'], tls);
    const { lab } = hosts;
    const wire = await capture(lab, 'jm', join(hosts.dist.dir, 'tls.pcap'));
    const { url, jobId } = await startCounter(hosts, join(hosts.dist.dir, 'counts'), 300, 1_000_000);
    await hosts.startTaskManager('tm1');
    await hosts.startTaskManager('tm2');
    await runningAt(url, jobId, 2);
    await waitFor('a checkpoint over TLS', () => (/Completed checkpoint \d+ for job/.test(hosts.logs('jm')) ? true : undefined));
    const captured = await wire.stop();
    const text = captured.toString('latin1');
    // TLS 1.2/1.3 application data records: the capture did see the cluster's traffic, encrypted.
    const records = text.split('\x17\x03\x03').length - 1;
    assert.ok(records > 20, `the capture holds TLS records (${records} in ${captured.length} bytes)`);
    for (const clear of ['"proto":"tsflink"', 'registerTaskExecutor', 'count-per-key', 'KeyedCounter']) {
      assert.ok(!text.includes(clear), `"${clear}" crossed the wire in the clear`);
    }

    // A TaskManager whose certificate another CA signed, then one without TLS (but with a secret): both refused.
    const strangerConf = confWith(hosts, 'stranger-conf', { 'security.ssl.internal.keystore': certs.strangerKeystore });
    await hosts.script('tm3', 'taskmanager.sh', ['start'], { FLINK_CONF_DIR: strangerConf });
    const tm3 = hosts.lab.host('tm3').address.replace(/\./g, '\\.');
    const refusal = new RegExp(`Refused a connection at 0\\.0\\.0\\.0:6123: TLS handshake with (::ffff:)?${tm3}:\\d+ failed`);
    const refusals = (): number => (hosts.logs('jm').match(new RegExp(refusal.source, 'g')) ?? []).length;
    await refused(hosts, 'the stranger to be refused', () => refusal.test(hosts.logs('jm')));
    await hosts.script('tm3', 'taskmanager.sh', ['stop-all'], { FLINK_CONF_DIR: strangerConf });
    const plainConf = confWith(hosts, 'plain-conf', { 'security.ssl.internal.enabled': false });
    const before = refusals();
    await hosts.script('tm3', 'taskmanager.sh', ['start'], {
      FLINK_CONF_DIR: plainConf,
      TSFLINK_CLUSTER_SECRET: 'not the cluster, but long enough',
    });
    await refused(hosts, 'the plain TaskManager to be refused', () => refusals() > before);
    assert.doesNotMatch(hosts.logs('jm'), new RegExp(`Registering TaskManager with ResourceID \\S+ \\(${tm3}:`), 'no stranger registered');
    assert.deepEqual(
      (await getJson<{ taskmanagers: unknown[] }>(url, '/taskmanagers')).taskmanagers.length,
      2,
      'only the two TaskManagers of the cluster are registered',
    );
    for (const host of ['jm', 'tm1', 'tm2', 'tm3']) {
      const logs = hosts.logs(host);
      for (const password of [certs.keystorePassword, certs.truststorePassword])
        assert.ok(!logs.includes(password), `${host}'s log shows a password`);
    }
    const config = await getJson<Array<{ key: string; value: string }>>(url, '/jobmanager/config');
    assert.equal(config.find((entry) => entry.key === 'security.ssl.internal.keystore-password')?.value, '******');
  });

  it('refuses a TaskManager that does not share the checkpoint directory, naming its host and the path', async (t) => {
    const hosts = cluster(t, ['jm', 'tm1']);
    const checkpoints = join(hosts.dist.dir, 'checkpoints');
    mkdirSync(checkpoints);
    hosts.dist.writeConfig({ ...labClusterConfig(hosts.lab, hosts.dist.dir), 'execution.checkpointing.dir': `file://${checkpoints}` });
    const started = await hosts.script('jm', 'jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    // tm1 sees a private tmpfs where the others see the shared directory: its own disk, not the cluster's storage.
    const script = join(FLINK_HOME, 'bin', 'taskmanager.sh');
    const tm = await hosts.lab.run(
      'tm1',
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs tm1-disk "${checkpoints}" && exec "$0" start`, script],
      hosts.env('tm1'),
    );
    t.diagnostic(`taskmanager.sh start said: ${String(tm.stdout).trim()} ${String(tm.stderr).trim()}`.slice(0, 400));
    const address = hosts.lab.host('tm1').address;
    const line = await waitFor('the JobManager to refuse tm1', () =>
      hosts
        .logs('jm')
        .split('\n')
        .find((l) => l.includes('Rejecting TaskManager') && l.includes(`on host ${address}`)),
    );
    assert.match(line, new RegExp(`wrote ${checkpoints.replace(/[/.]/g, '\\$&')}/\\S+, but the JobManager cannot read it \\(ENOENT\\)`));
    await waitFor('tm1 to end', () => (/The JobManager refused this TaskManager/.test(hosts.logs('tm1')) ? true : undefined));
    const url = restUrlFrom(started.stdout);
    assert.equal((await getJson<{ taskmanagers: unknown[] }>(url, '/taskmanagers')).taskmanagers.length, 0);
  });

  it('start-cluster.sh and stop-cluster.sh reach the workers over ssh, as Flink does', async (t) => {
    const hosts = cluster(t, ['jm', 'tm1', 'tm2']);
    const { lab, dist } = hosts;
    dist.writeConfig({ ...labClusterConfig(lab, dist.dir) });
    const ssh = startSshServers(t, hosts, ['tm1', 'tm2']);
    writeFileSync(join(dist.confDir, 'workers'), `${lab.host('tm1').address}\n${lab.host('tm2').address}\n`);
    // ssh passes the test's FLINK_* variables on (SendEnv, and AcceptEnv on the workers), as a shared conf dir would.
    const env = { FLINK_SSH_OPTS: ssh.options };
    const started = await hosts.script('jm', 'start-cluster.sh', [], env);
    assert.equal(started.exitCode, 0, `${started.stdout}\n${started.stderr}`);
    const url = restUrlFrom(started.stdout);
    const registered = await waitFor('both workers to register', async () => {
      const { taskmanagers } = await getJson<{ taskmanagers: Array<{ dataPort: number; path: string }> }>(url, '/taskmanagers');
      return taskmanagers.length === 2 ? taskmanagers : undefined;
    });
    assert.equal(registered.length, 2);
    for (const host of ['tm1', 'tm2']) {
      const address = lab.host(host).address.replace(/\./g, '\\.');
      assert.match(
        hosts.logs('jm'),
        new RegExp(`Registering TaskManager with ResourceID \\S+ \\(${address}:\\d+\\)`),
        `${host} registered from its own address`,
      );
    }
    const stopped = await hosts.script('jm', 'stop-cluster.sh', [], env);
    assert.equal(stopped.exitCode, 0, `${stopped.stdout}\n${stopped.stderr}`);
    await waitFor('every TaskManager and the JobManager to be gone', () =>
      ['jm', 'tm1', 'tm2'].every((host) => processesOn(lab, host).every((command) => !/dist\/src\/entrypoint/.test(command)))
        ? true
        : undefined,
    );
  });
});
