import { randomUUID } from 'node:crypto';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { LeaderLatch } from '../../ha/zookeeper/leader-latch.js';
import { connectionInfoPath, LEADER_COMPONENTS, LeaderRetriever, publishLeaderInformation } from '../../ha/zookeeper/leader-information.js';
import { ZooKeeperClient } from '../../ha/zookeeper/zookeeper-client.js';
import type { ZooKeeperClientSettings } from '../../ha/zookeeper/zookeeper-contract.js';

const log = getLogger('leaderelection');

/** Flink's single latch for every JobManager component (one election per cluster). */
export const LEADER_LATCH_PATH = '/leader/latch';

/** What a JobManager does when it is granted or loses leadership. */
export interface LeadershipListener {
  grantLeadership(sessionId: string): void;
  revokeLeadership(reason: string): void;
}

/** Where the leader's components are reached, published for TaskManagers and clients. */
export interface LeaderAddresses {
  /** RPC address of the ResourceManager and Dispatcher (`unix:/…` or `host:port`). */
  readonly rpc: string;
  /** URL of the REST endpoint. */
  readonly rest: string;
}

/**
 * A JobManager's part in the cluster's ZooKeeper election: one leader latch for all its components
 * (as Flink does since 1.15), a fresh leader session id on every grant (the fencing token of what
 * the leader sends), the leader's addresses published under `/leader/<component>/connection_info`,
 * and the current REST leader followed, so a standby can point clients to it.
 */
export class JobManagerLeadership {
  readonly client: ZooKeeperClient;
  private readonly latch: LeaderLatch;
  private readonly restLeader: LeaderRetriever;
  private session: string | undefined;
  private closing = false;

  constructor(
    settings: ZooKeeperClientSettings,
    participantId: string,
    private readonly listener: LeadershipListener,
  ) {
    this.client = new ZooKeeperClient(settings);
    this.latch = new LeaderLatch(this.client, LEADER_LATCH_PATH, participantId, {
      isLeader: () => this.onGranted(),
      notLeader: () => this.onRevoked(),
    });
    this.restLeader = new LeaderRetriever(this.client, connectionInfoPath(LEADER_COMPONENTS.restServer), () => undefined);
  }

  /** The leader session id while this JobManager leads. */
  get sessionId(): string | undefined {
    return this.session;
  }

  /** The REST URL of the current leader, as published in ZooKeeper. */
  get leaderRestUrl(): string | undefined {
    return this.restLeader.leader?.address;
  }

  /** Connects to ZooKeeper (failing after connection-timeout) and joins the election. */
  async start(): Promise<void> {
    await this.client.start();
    this.restLeader.start();
    this.latch.start();
  }

  /** Publishes where this leader is; nothing is written once leadership is gone. */
  async publish(sessionId: string, addresses: LeaderAddresses): Promise<void> {
    const stillLeader = (): boolean => this.session === sessionId;
    for (const [component, address] of [
      [LEADER_COMPONENTS.resourceManager, addresses.rpc],
      [LEADER_COMPONENTS.dispatcher, addresses.rpc],
      [LEADER_COMPONENTS.restServer, addresses.rest],
    ] as const) {
      await publishLeaderInformation(this.client, connectionInfoPath(component), { sessionId, address }, stillLeader);
    }
  }

  /** Leaves the election at once (a graceful stop): a standby takes over without waiting for the session timeout. */
  async close(): Promise<void> {
    this.closing = true;
    this.restLeader.stop();
    await this.latch.close().catch((error: unknown) => log.warn(`Leaving the election failed: ${describeError(error)}`));
    this.client.close();
  }

  private onGranted(): void {
    const sessionId = randomUUID();
    this.session = sessionId;
    log.info(`This JobManager was granted leadership with leader session id ${sessionId}.`);
    this.listener.grantLeadership(sessionId);
  }

  private onRevoked(): void {
    if (this.session === undefined) return;
    const previous = this.session;
    this.session = undefined;
    if (this.closing) return;
    const reason = this.client.isConnected ? 'another JobManager leads now' : 'the connection to ZooKeeper was suspended or lost';
    log.warn(`This JobManager lost leadership (leader session id ${previous}): ${reason}.`);
    this.listener.revokeLeadership(reason);
  }
}
