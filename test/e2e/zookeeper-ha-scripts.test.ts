import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { renderZooCfg, type ZooKeeperPeer } from '../../src/ha/zookeeper/system-zookeeper.js';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { freePort } from '../helpers/prometheus-server.js';
import { TestDist, waitFor } from '../helpers/test-dist.js';
import { fourLetterWord, ZooKeeperServer } from '../helpers/zookeeper-server.js';

/** Stops every ZooKeeper `dist`'s zookeeper.sh started (kill -9 for any that stays), then removes the dist. */
async function destroyWithZooKeeper(dist: TestDist): Promise<void> {
  await dist.run('zookeeper.sh', ['stop-all']);
  const pidFile = dist.pidFile('zookeeper');
  if (existsSync(pidFile))
    for (const pid of readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  await dist.destroy();
}

describe('bin/zookeeper.sh and an HA start-cluster.sh with conf/masters', () => {
  const dist = TestDist.create();
  after(() => destroyWithZooKeeper(dist));

  it('runs the system ZooKeeper with conf/zoo.cfg, one JobManager per masters line, and stops them all', async () => {
    const zooKeeperPort = await freePort();
    writeFileSync(join(dist.confDir, 'zoo.cfg'), renderZooCfg({ dataDir: join(dist.dir, 'zookeeper'), clientPort: zooKeeperPort }));
    const zookeeper = await dist.run('zookeeper.sh', ['start']);
    assert.equal(zookeeper.exitCode, 0, zookeeper.stderr);
    assert.match(zookeeper.stdout, new RegExp(`ZooKeeper is serving on port ${zooKeeperPort}\\.`));
    assert.match(await fourLetterWord(zooKeeperPort, 'srvr'), /Mode: standalone/);

    const restPorts = [await freePort(), await freePort()];
    writeFileSync(join(dist.confDir, 'masters'), restPorts.map((port) => `localhost:${port}`).join('\n') + '\n');
    writeFileSync(join(dist.confDir, 'workers'), 'localhost\n');
    dist.writeConfig({
      'high-availability.type': 'zookeeper',
      'high-availability.zookeeper.quorum': `127.0.0.1:${zooKeeperPort}`,
      'high-availability.storageDir': `file://${join(dist.dir, 'ha')}`,
      'high-availability.zookeeper.client.session-timeout': '4 s',
    });
    const started = await dist.run('start-cluster.sh');
    assert.equal(started.exitCode, 0, started.stderr);
    assert.match(started.stdout, /Starting HA cluster with 2 masters\./);
    assert.equal(dist.pids('standalonesession').length, 2);
    // One serves, the other sends clients to it.
    const answers = await waitFor(
      'one leader and one standby',
      async () => {
        const statuses = await Promise.all(
          restPorts.map(async (port) => (await fetch(`http://localhost:${port}/overview`, { redirect: 'manual' })).status),
        );
        return statuses.includes(200) && statuses.includes(307) ? statuses : undefined;
      },
      20_000,
    );
    const leaderPort = restPorts[answers.indexOf(200)]!;
    const followed = await fetch(`http://localhost:${restPorts[answers.indexOf(307)]!}/overview`);
    assert.equal(followed.status, 200, 'a client following the redirect reaches the leader');
    assert.equal(((await followed.json()) as { taskmanagers: number }).taskmanagers >= 0, true);
    await waitFor('the TaskManager to register with the leader', async () => {
      const overview = (await (await fetch(`http://localhost:${leaderPort}/overview`)).json()) as { taskmanagers: number };
      return overview.taskmanagers === 1 ? true : undefined;
    });

    const jobManagers = dist.pids('standalonesession');
    const stopped = await dist.run('stop-cluster.sh');
    assert.equal(stopped.exitCode, 0, stopped.stderr);
    for (const pid of jobManagers) assert.ok(await waitForProcessExit(pid, 15_000), `JobManager ${pid} stopped`);
    assert.equal(dist.pids('standalonesession').length, 0);

    const zooKeeperPid = Number(readFileSync(dist.pidFile('zookeeper'), 'utf8').trim());
    const zookeeperStop = await dist.run('zookeeper.sh', ['stop']);
    assert.match(zookeeperStop.stdout, /Stopping zookeeper daemon \(pid: \d+\)/);
    assert.ok(await waitForProcessExit(zooKeeperPid, 15_000), 'ZooKeeper stopped');
  });
});

describe('bin/zookeeper.sh as one peer of a three-server ensemble', () => {
  const dist = TestDist.create();
  const peersOfTest: ZooKeeperServer[] = [];
  after(async () => {
    await destroyWithZooKeeper(dist);
    for (const server of peersOfTest) await server.stop();
  });

  it('starts its peer without waiting for a quorum, which the other two peers then complete', async () => {
    const peers: ZooKeeperPeer[] = [];
    for (const id of [1, 2, 3]) peers.push({ id, host: '127.0.0.1', quorumPort: await freePort(), electionPort: await freePort() });
    const clientPort = await freePort();
    const dataDir = join(dist.dir, 'zookeeper');
    writeFileSync(join(dist.confDir, 'zoo.cfg'), renderZooCfg({ dataDir, clientPort, clientPortAddress: '127.0.0.1', peers }));
    // start-zookeeper-quorum.sh starts the peers one after the other, so the first must not wait for the rest.
    const started = await dist.run('zookeeper.sh', ['start', '1']);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.match(started.stdout, new RegExp(`ZooKeeper peer 1 runs on port ${clientPort}; it serves once a quorum of its 3 peers runs\\.`));
    assert.equal(readFileSync(join(dataDir, 'myid'), 'utf8').trim(), '1');
    assert.match(await fourLetterWord(clientPort, 'srvr'), /not currently serving requests/);

    for (const id of [2, 3]) peersOfTest.push(await ZooKeeperServer.prepare({ id, peers }));
    await Promise.all(peersOfTest.map((server) => server.restart()));
    await waitFor(
      'peer 1 to serve in the ensemble',
      async () => (/Mode: (leader|follower)/.test(await fourLetterWord(clientPort, 'srvr')) ? true : undefined),
      30_000,
    );

    const pid = Number(readFileSync(dist.pidFile('zookeeper'), 'utf8').trim());
    const stopped = await dist.run('zookeeper.sh', ['stop']);
    assert.match(stopped.stdout, /Stopping zookeeper daemon \(pid: \d+\)/);
    assert.ok(await waitForProcessExit(pid, 15_000), 'peer 1 stopped');
  });
});
