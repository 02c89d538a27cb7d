import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { ZooKeeperClient } from './zookeeper-client.js';
import type { ConnectionState } from './zookeeper-contract.js';

const log = getLogger('leaderelection');

/** Told when this participant gains or loses leadership. */
export interface LeaderLatchListener {
  isLeader(): void;
  notLeader(): void;
}

const NODE_PREFIX = 'latch-';

/** The sequence number ZooKeeper appended to a latch node's name. */
function sequenceOf(name: string): string {
  return name.slice(name.lastIndexOf('-') + 1);
}

/**
 * Curator's LeaderLatch recipe: every participant creates an ephemeral sequential node under the
 * latch path, and the one with the lowest sequence number leads. Each other participant watches only
 * the node just before its own, so a leader's death wakes one successor, not the whole herd.
 * Leadership is given up as soon as the connection is suspended (Flink's default); on reconnection
 * the participant queues again with a new node, as Curator does, because its old node may have
 * outlived a leadership it already gave up. With tolerate-suspended-connections only a lost
 * session ends leadership.
 */
export class LeaderLatch {
  private ownNode: string | undefined;
  private leader = false;
  private closed = false;
  /** Bumped on every reset and on close, so answers to an earlier round are ignored. */
  private round = 0;
  private readonly onState = (state: ConnectionState): void => this.stateChanged(state);

  constructor(
    private readonly client: ZooKeeperClient,
    /** Path of the latch, relative to the client's namespace. */
    private readonly latchPath: string,
    /** Who this participant is, stored in its node for people reading ZooKeeper. */
    private readonly participantId: string,
    private readonly listener: LeaderLatchListener,
  ) {}

  get hasLeadership(): boolean {
    return this.leader;
  }

  start(): void {
    this.client.on('state', this.onState);
    if (this.client.isConnected) this.reset();
  }

  /** Leaves the election: gives up leadership and removes this participant's node. */
  async close(): Promise<void> {
    this.closed = true;
    this.round++;
    this.client.off('state', this.onState);
    this.setLeadership(false);
    const node = this.ownNode;
    this.ownNode = undefined;
    if (node !== undefined && this.client.isConnected) await this.client.removeRecursive(node).catch(() => undefined);
  }

  private stateChanged(state: ConnectionState): void {
    if (this.closed) return;
    const tolerate = this.client.settings.tolerateSuspendedConnections === true;
    // Tolerated, a suspension changes nothing, and the same session coming back keeps its place in the queue.
    if (tolerate && state === 'suspended') return;
    if (tolerate && state === 'reconnected' && this.ownNode !== undefined) return;
    if (state === 'connected' || state === 'reconnected') this.reset();
    else {
      if (state === 'lost') this.ownNode = undefined;
      this.round++;
      this.setLeadership(false);
    }
  }

  private reset(): void {
    const round = ++this.round;
    this.setLeadership(false);
    this.join(round).catch((error: unknown) => {
      if (round !== this.round || this.closed) return;
      log.warn(`Leader latch ${this.latchPath}: ${describeError(error)}; trying again.`);
      setTimeout(() => round === this.round && !this.closed && this.reset(), this.client.settings.retryWaitMs).unref();
    });
  }

  private async join(round: number): Promise<void> {
    const previous = this.ownNode;
    this.ownNode = undefined;
    if (previous !== undefined) await this.client.removeRecursive(previous);
    const node = await this.client.create(`${this.latchPath}/${NODE_PREFIX}`, Buffer.from(this.participantId), 'ephemeral-sequential');
    if (round !== this.round || this.closed) {
      await this.client.removeRecursive(node);
      return;
    }
    this.ownNode = node;
    await this.check(round);
  }

  private async check(round: number): Promise<void> {
    const children = (await this.client.getChildren(this.latchPath))
      .filter((name) => name.startsWith(NODE_PREFIX))
      .sort((a, b) => sequenceOf(a).localeCompare(sequenceOf(b)));
    if (round !== this.round || this.closed) return;
    const own = this.ownNode?.slice(this.ownNode.lastIndexOf('/') + 1);
    const index = own === undefined ? -1 : children.indexOf(own);
    if (index < 0) {
      // Our node is gone (a session change removed it): queue again.
      this.reset();
      return;
    }
    if (index === 0) {
      this.setLeadership(true);
      return;
    }
    const before = `${this.latchPath}/${children[index - 1]}`;
    const watching = await this.client.exists(before, () => {
      if (round === this.round && !this.closed) this.check(round).catch(() => this.reset());
    });
    if (!watching && round === this.round) await this.check(round);
  }

  private setLeadership(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    if (leader) this.listener.isLeader();
    else this.listener.notLeader();
  }
}
