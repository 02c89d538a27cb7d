import { getLogger } from '../../core/logging.js';
import { DataFrameType, decodeErrorFrame, type DataFrame } from './data-protocol.js';
import type { FrameLink, FrameLinkHandlers } from './frame-link.js';
import { INITIAL_CREDIT, type RemoteChannelTransport, type RemoteInputChannel } from './remote-input-channel.js';

const log = getLogger('network');

/**
 * The consumer end of one data connection, shared by every channel that reads from the producer
 * behind it (another TaskManager, or another slot thread of this one). Channels requested before
 * the link is up wait for it; when the link ends, every channel on it fails with the reason.
 */
export class DataConnection implements RemoteChannelTransport {
  private link: FrameLink | undefined;
  private readonly channels = new Map<number, RemoteInputChannel>();
  private readonly waiting: RemoteInputChannel[] = [];
  private nextChannelId = 1;
  private failure: string | undefined;
  /** What the link carrying this connection reports to it. */
  readonly handlers: FrameLinkHandlers = {
    onFrame: (frame) => this.onFrame(frame),
    onClose: (reason) => this.fail(reason),
  };

  constructor(
    /** Where the producer is, for messages: an address or a slot thread. */
    private readonly peer: string,
    private readonly onClosed: () => void,
  ) {}

  /** The link is up: channels that waited for it send their requests now. */
  attach(link: FrameLink): void {
    if (this.failure !== undefined) {
      link.close(this.failure);
      return;
    }
    this.link = link;
    for (const channel of this.waiting.splice(0)) this.sendRequest(channel);
  }

  request(channel: RemoteInputChannel): void {
    channel.channelId = this.nextChannelId++;
    if (this.failure !== undefined) {
      channel.onError(this.failure);
      return;
    }
    this.channels.set(channel.channelId, channel);
    if (this.link === undefined) this.waiting.push(channel);
    else this.sendRequest(channel);
  }

  sendCredit(channelId: number, credit: number): void {
    const body = Buffer.allocUnsafe(4);
    body.writeUInt32BE(credit, 0);
    this.link?.send(DataFrameType.Credit, channelId, body);
  }

  cancel(channelId: number): void {
    if (!this.channels.delete(channelId)) return;
    const waiting = this.waiting.findIndex((channel) => channel.channelId === channelId);
    // Not requested yet: the producer never hears of it.
    if (waiting >= 0) this.waiting.splice(waiting, 1);
    else this.link?.send(DataFrameType.Cancel, channelId);
  }

  get isIdle(): boolean {
    return this.channels.size === 0;
  }

  close(): void {
    if (this.link !== undefined) this.link.close('no channels left');
    else this.fail('closed before it was up');
  }

  /** The link could not be opened, or it ended: every channel on it fails. */
  fail(reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    log.debug(`Data connection to ${this.peer} ended: ${reason}`);
    const channels = [...this.channels.values()];
    this.channels.clear();
    this.waiting.length = 0;
    for (const channel of channels) channel.onError(`data connection to ${this.peer} lost (${reason})`);
    this.onClosed();
  }

  private sendRequest(channel: RemoteInputChannel): void {
    const body = JSON.stringify({
      producerAttemptId: channel.producerAttemptId,
      partitionIndex: channel.partitionIndex,
      subpartitionIndex: channel.subpartitionIndex,
      credit: INITIAL_CREDIT,
    });
    this.link?.send(DataFrameType.PartitionRequest, channel.channelId, body);
  }

  private onFrame(frame: DataFrame): void {
    const channel = this.channels.get(frame.channelId);
    if (channel === undefined) return; // canceled while batches were in flight
    if (frame.type === DataFrameType.Batch) channel.onBatch(frame.body);
    else if (frame.type === DataFrameType.Error) channel.onError(decodeErrorFrame(frame.body));
    else this.link?.close(`unexpected data frame type ${frame.type} from a producer`);
  }
}
