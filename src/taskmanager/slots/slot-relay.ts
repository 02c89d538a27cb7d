import type { ExecutionAttemptId } from '../../core/ids.js';
import type { MessagePort } from 'node:worker_threads';
import { DataFrameType, parsePartitionRequest, type DataFrame } from '../network/data-protocol.js';
import type { FrameLink } from '../network/frame-link.js';
import { PARTITION_LOOKUP_TIMEOUT_MS } from '../network/local-input-channel.js';
import type { DataConnectionService } from '../network/partition-request-server.js';
import { PortFrameLink } from '../network/port-frame-link.js';

/** Where the relay finds the slot thread that produces a partition. */
export interface SlotDirectory {
  /** The slot of a producer attempt, waiting up to `timeoutMs` for it to be deployed here. */
  locate(attemptId: ExecutionAttemptId, timeoutMs: number): Promise<number>;
  /** A new link to the thread of `slot`, which serves its partitions on the other end; undefined when it has none. */
  linkTo(slot: number): MessagePort | undefined;
}

/**
 * Serves another TaskManager's data connection when tasks run on slot threads: the socket stays on
 * the main thread (it accepted it, and a socket cannot move between threads), and each channel's
 * frames pass between it and the producer's slot thread over one port per slot. Batches cross
 * the port without a copy; credit bounds what is in flight, as it does end to end.
 */
export class SlotRelay implements DataConnectionService {
  private readonly links = new Map<number, PortFrameLink>();
  /** Which slot serves each channel of the connection. */
  private readonly routes = new Map<number, number>();
  /** Channels canceled while their producer was still being located. */
  private readonly canceledEarly = new Set<number>();

  constructor(
    private readonly socket: FrameLink,
    private readonly directory: SlotDirectory,
  ) {}

  onFrame(frame: DataFrame): void {
    switch (frame.type) {
      case DataFrameType.PartitionRequest:
        this.route(frame);
        break;
      case DataFrameType.Credit:
      case DataFrameType.Cancel: {
        const slot = this.routes.get(frame.channelId);
        if (slot === undefined) {
          if (frame.type === DataFrameType.Cancel) this.canceledEarly.add(frame.channelId);
          return;
        }
        this.links.get(slot)?.send(frame.type, frame.channelId, frame.body);
        if (frame.type === DataFrameType.Cancel) this.routes.delete(frame.channelId);
        break;
      }
      default:
        this.socket.close(`unexpected data frame type ${frame.type} from a consumer`);
    }
  }

  onDrain(): void {
    // Nothing is held back here: the slot threads send against credit only.
  }

  onClose(): void {
    for (const link of this.links.values()) link.close('the consumer TaskManager disconnected');
    this.links.clear();
    this.routes.clear();
  }

  private route(frame: DataFrame): void {
    const request = parsePartitionRequest(frame.body); // a malformed request ends the connection
    const channelId = frame.channelId;
    const body = Buffer.from(frame.body); // the socket's buffer is reused once this returns
    this.directory.locate(request.producerAttemptId, PARTITION_LOOKUP_TIMEOUT_MS).then(
      (slot) => {
        if (this.socket.isClosed || this.canceledEarly.delete(channelId)) return;
        const link = this.linkFor(slot);
        if (link === undefined) {
          this.socket.send(DataFrameType.Error, channelId, `the thread of slot ${slot} that produced this partition has ended`);
          return;
        }
        this.routes.set(channelId, slot);
        link.send(DataFrameType.PartitionRequest, channelId, body, true);
      },
      (error: Error) => {
        if (!this.canceledEarly.delete(channelId)) this.socket.send(DataFrameType.Error, channelId, error.message);
      },
    );
  }

  private linkFor(slot: number): PortFrameLink | undefined {
    const existing = this.links.get(slot);
    if (existing !== undefined && !existing.isClosed) return existing;
    const port = this.directory.linkTo(slot);
    if (port === undefined) return undefined;
    const link = new PortFrameLink(port, {
      onFrame: (frame) => this.socket.send(frame.type, frame.channelId, frame.body),
      onClose: (reason) => this.slotGone(slot, reason),
    });
    this.links.set(slot, link);
    return link;
  }

  /** The producer's thread ended: its consumers fail, as they would if a TaskManager went away. */
  private slotGone(slot: number, reason: string): void {
    this.links.delete(slot);
    for (const [channelId, routed] of this.routes) {
      if (routed !== slot) continue;
      this.routes.delete(channelId);
      this.socket.send(DataFrameType.Error, channelId, `the producer's slot thread ended (${reason})`);
    }
  }
}
