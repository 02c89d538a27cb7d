import { connect } from 'node:net';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { parseAddress, toNetOptions } from '../../rpc/address.js';
import { initiateHandshake } from '../../rpc/handshake.js';
import { DataFrameType, decodeErrorFrame, encodeDataFrame, type DataFrame } from './data-protocol.js';
import { FrameSocket, MAX_DATA_FRAME_BYTES } from './frame-socket.js';
import { INITIAL_CREDIT, type RemoteChannelTransport, type RemoteInputChannel } from './remote-input-channel.js';

const log = getLogger('network');

/**
 * One connection from this TaskManager to another's data endpoint, shared by every channel that
 * reads from that TaskManager. Channels requested before the connection is up wait for it.
 */
class DataConnection implements RemoteChannelTransport {
  private socket: FrameSocket | undefined;
  private readonly channels = new Map<number, RemoteInputChannel>();
  private readonly waiting: RemoteInputChannel[] = [];
  private nextChannelId = 1;
  private failure: string | undefined;

  constructor(
    private readonly address: string,
    secret: Buffer,
    selfId: string,
    private readonly onClosed: () => void,
    private readonly maxFrameBytes = MAX_DATA_FRAME_BYTES,
  ) {
    this.open(secret, selfId);
  }

  request(channel: RemoteInputChannel): void {
    channel.channelId = this.nextChannelId++;
    if (this.failure !== undefined) {
      channel.onError(this.failure);
      return;
    }
    this.channels.set(channel.channelId, channel);
    if (this.socket === undefined) this.waiting.push(channel);
    else this.sendRequest(channel);
  }

  sendCredit(channelId: number, credit: number): void {
    const body = Buffer.allocUnsafe(4);
    body.writeUInt32BE(credit, 0);
    this.socket?.write(encodeDataFrame(DataFrameType.Credit, channelId, body));
  }

  cancel(channelId: number): void {
    if (this.channels.delete(channelId)) this.socket?.write(encodeDataFrame(DataFrameType.Cancel, channelId));
  }

  get isIdle(): boolean {
    return this.channels.size === 0;
  }

  close(): void {
    this.socket?.close('no channels left');
  }

  private open(secret: Buffer, selfId: string): void {
    let target;
    try {
      target = parseAddress(this.address);
    } catch (error) {
      queueMicrotask(() => this.fail(describeError(error)));
      return;
    }
    const socket = connect(toNetOptions(target));
    socket.once('error', (error) => this.fail(`cannot connect to ${this.address}: ${error.message}`));
    socket.once('connect', () => {
      initiateHandshake(socket, secret, { role: 'taskmanager-data', id: selfId }).then(
        ({ decoder }) => {
          socket.removeAllListeners('error');
          this.socket = new FrameSocket(
            socket,
            decoder,
            (frame) => this.onFrame(frame),
            (reason) => this.fail(reason),
            this.maxFrameBytes,
          );
          for (const channel of this.waiting.splice(0)) this.sendRequest(channel);
        },
        (error: unknown) => {
          socket.destroy();
          this.fail(describeError(error));
        },
      );
    });
  }

  private sendRequest(channel: RemoteInputChannel): void {
    const body = JSON.stringify({
      producerAttemptId: channel.producerAttemptId,
      partitionIndex: channel.partitionIndex,
      subpartitionIndex: channel.subpartitionIndex,
      credit: INITIAL_CREDIT,
    });
    this.socket?.write(encodeDataFrame(DataFrameType.PartitionRequest, channel.channelId, body));
  }

  private onFrame(frame: DataFrame): void {
    const channel = this.channels.get(frame.channelId);
    if (channel === undefined) return; // canceled while batches were in flight
    if (frame.type === DataFrameType.Batch) channel.onBatch(frame.body);
    else if (frame.type === DataFrameType.Error) channel.onError(decodeErrorFrame(frame.body));
    else this.socket?.close(`unexpected data frame type ${frame.type} from a producer`);
  }

  private fail(reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    log.debug(`Data connection to ${this.address} ended: ${reason}`);
    const channels = [...this.channels.values()];
    this.channels.clear();
    this.waiting.length = 0;
    for (const channel of channels) channel.onError(`data connection to ${this.address} lost (${reason})`);
    this.onClosed();
  }
}

/** The consumer side of the data plane: hands each remote channel the connection to its producer's TaskManager. */
export class DataClient {
  private readonly connections = new Map<string, DataConnection>();

  constructor(
    private readonly secret: () => Buffer,
    private readonly selfId: string,
    private readonly maxFrameBytes = MAX_DATA_FRAME_BYTES,
  ) {}

  transportTo(address: string): RemoteChannelTransport {
    let connection = this.connections.get(address);
    if (connection === undefined) {
      const created: DataConnection = new DataConnection(
        address,
        this.secret(),
        this.selfId,
        () => {
          if (this.connections.get(address) === created) this.connections.delete(address);
        },
        this.maxFrameBytes,
      );
      connection = created;
      this.connections.set(address, connection);
    }
    return connection;
  }

  /** Closes connections no channel uses any more. */
  closeIdle(): void {
    for (const [address, connection] of this.connections) {
      if (connection.isIdle) {
        this.connections.delete(address);
        connection.close();
      }
    }
  }

  closeAll(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }
}
