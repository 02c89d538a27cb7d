import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { LeaderLatch } from '../../src/ha/zookeeper/leader-latch.js';
import {
  connectionInfoPath,
  LeaderRetriever,
  publishLeaderInformation,
  type LeaderInformation,
} from '../../src/ha/zookeeper/leader-information.js';
import { ZooKeeperClient } from '../../src/ha/zookeeper/zookeeper-client.js';
import type { ConnectionState } from '../../src/ha/zookeeper/zookeeper-contract.js';
import { waitFor } from '../helpers/test-dist.js';
import { ZooKeeperEnsemble, ZooKeeperServer } from '../helpers/zookeeper-server.js';

/** One participant: its own client (its own session), latch and what it was told. */
class Participant {
  readonly client: ZooKeeperClient;
  readonly latch: LeaderLatch;
  readonly states: ConnectionState[] = [];
  leads = false;

  constructor(quorum: string, name: string, sessionTimeoutMs = 4000, tolerateSuspendedConnections = false) {
    this.client = new ZooKeeperClient({
      tolerateSuspendedConnections,
      quorum,
      namespace: '/flink/test-cluster',
      sessionTimeoutMs,
      connectionTimeoutMs: 10_000,
      retryWaitMs: 200,
      maxRetryAttempts: 3,
    });
    this.client.on('state', (state) => this.states.push(state));
    this.latch = new LeaderLatch(this.client, '/leader/latch', name, {
      isLeader: () => (this.leads = true),
      notLeader: () => (this.leads = false),
    });
  }

  /** Connects, and joins the election unless `elect` is false (a participant that only watches). */
  async start(elect = true): Promise<void> {
    await this.client.start();
    if (elect) this.latch.start();
  }

  async close(): Promise<void> {
    await this.latch.close();
    this.client.close();
  }
}

describe('leader election on a real ZooKeeper', () => {
  let server: ZooKeeperServer;
  const participants: Participant[] = [];
  const participant = (name: string, sessionTimeoutMs?: number): Participant => {
    const created = new Participant(server.quorum, name, sessionTimeoutMs);
    participants.push(created);
    return created;
  };

  before(async () => {
    server = await ZooKeeperServer.start();
  });
  // Each test's participants leave with it, so one that failed half-way leaves no node ahead of the next test's.
  afterEach(async () => {
    for (const p of participants.splice(0)) await p.close().catch(() => undefined);
  });
  after(async () => {
    await server?.stop();
  });

  it('elects exactly one leader, and the next one when the leader leaves', async () => {
    const [a, b, c] = [participant('a'), participant('b'), participant('c')];
    for (const p of [a, b, c]) await p.start();
    await waitFor('a leader', () => ([a, b, c].some((p) => p.leads) ? true : undefined));
    const leaders = () => [a, b, c].filter((p) => p.leads);
    assert.equal(leaders().length, 1);
    const first = leaders()[0]!;
    await first.close();
    await waitFor('a new leader', () => (leaders().length === 1 && leaders()[0] !== first ? true : undefined));
    for (const p of [a, b, c]) if (p !== first) await p.close();
  });

  it('publishes the leader information, and retrievers follow it to the next leader', async () => {
    const [a, b] = [participant('a'), participant('b')];
    // The watcher only reads: in the election it could come before one of a and b, and lead in its place.
    const watcher = participant('watcher');
    for (const p of [a, b]) await p.start();
    await watcher.start(false);
    const seen: (LeaderInformation | undefined)[] = [];
    const retriever = new LeaderRetriever(watcher.client, connectionInfoPath('resource_manager'), (info) => seen.push(info));
    retriever.start();
    const publishFor = async (p: Participant, address: string): Promise<void> => {
      await waitFor(`${address} to lead`, () => (p.leads ? true : undefined));
      await publishLeaderInformation(p.client, connectionInfoPath('resource_manager'), { sessionId: address, address }, () => p.leads);
    };
    const first = a.leads ? a : b.leads ? b : await waitFor('a leader', () => (a.leads ? a : b.leads ? b : undefined));
    const second = first === a ? b : a;
    await publishFor(first, 'first');
    await waitFor('the retriever to see the first leader', () => (retriever.leader?.address === 'first' ? true : undefined));
    await first.close();
    await publishFor(second, 'second');
    await waitFor('the retriever to see the second leader', () => (retriever.leader?.address === 'second' ? true : undefined));
    retriever.stop();
    assert.equal(seen.filter((info) => info?.address === 'first').length, 1);
    await second.close();
    await watcher.close();
  });

  it('gives up leadership when ZooKeeper stops answering, and a new session leads again when it is back', async () => {
    const p = participant('frozen', 3000);
    await p.start();
    await waitFor('the participant to lead', () => (p.leads ? true : undefined));
    server.freeze();
    try {
      // A frozen server keeps the socket open: only the client's own probe can notice.
      await waitFor('leadership to be given up', () => (!p.leads ? true : undefined), 10_000);
      assert.ok(p.states.includes('suspended'));
    } finally {
      server.thaw();
    }
    await waitFor('leadership again', () => (p.leads ? true : undefined), 20_000);
    await p.close();
  });

  it('loses the session when the server is gone longer than the session timeout, then starts a new one', async () => {
    const p = participant('restarted', 2000);
    await p.start();
    await waitFor('the participant to lead', () => (p.leads ? true : undefined));
    const sessionBefore = p.client.sessionId;
    await server.kill();
    await waitFor('leadership to be given up', () => (!p.leads ? true : undefined), 5000);
    await waitFor('the session to be taken as lost', () => (p.states.includes('lost') ? true : undefined), 10_000);
    await server.restart();
    await waitFor('leadership in a new session', () => (p.leads ? true : undefined), 20_000);
    assert.notEqual(p.client.sessionId, sessionBefore);
    await p.close();
  });
});

describe('leader election on a three-server ZooKeeper ensemble', () => {
  let ensemble: ZooKeeperEnsemble;
  const participants: Participant[] = [];
  before(async () => {
    ensemble = await ZooKeeperEnsemble.start(3);
  });
  after(async () => {
    for (const p of participants) await p.close().catch(() => undefined);
    await ensemble?.stop();
  });

  it('with tolerate-suspended-connections, the leader keeps leading while any one server is down', async () => {
    const leader = new Participant(ensemble.quorum, 'leader', 6000, true);
    const standby = new Participant(ensemble.quorum, 'standby', 6000, true);
    participants.push(leader, standby);
    await leader.start();
    await waitFor('the first participant to lead', () => (leader.leads ? true : undefined));
    await standby.start();
    let lostLeadership = false;
    const watch = setInterval(() => (lostLeadership ||= !leader.leads || standby.leads), 5);
    try {
      // One server after the other, so whichever the leader's client uses is killed once.
      for (const server of ensemble.servers) {
        await server.kill();
        await waitFor('the leader to answer through the rest of the ensemble', async () =>
          (await leader.client.exists('/')) ? true : undefined,
        );
        await server.restart();
      }
    } finally {
      clearInterval(watch);
    }
    assert.equal(lostLeadership, false, 'leadership never moved');
    assert.ok(!leader.states.includes('lost'), 'the session survived');
    await leader.close();
    await standby.close();
  });

  it("by Flink's default, a leader whose server dies gives up leadership at once, even though its session lives on", async () => {
    const leader = new Participant(ensemble.quorum, 'strict', 6000, false);
    participants.push(leader);
    await leader.start();
    await waitFor('the participant to lead', () => (leader.leads ? true : undefined));
    let gaveUp = false;
    const watch = setInterval(() => (gaveUp ||= !leader.leads), 5);
    try {
      for (const server of ensemble.servers) {
        await server.kill();
        await waitFor('an answer through the rest of the ensemble', async () => ((await leader.client.exists('/')) ? true : undefined));
        await server.restart();
      }
    } finally {
      clearInterval(watch);
    }
    assert.equal(gaveUp, true, 'the suspension revoked leadership');
    assert.ok(!leader.states.includes('lost'), 'the session itself survived');
    await waitFor('leadership again', () => (leader.leads ? true : undefined));
  });
});
