import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { FrameDecoder } from '../../src/rpc/frame-decoder.js';
import { DataFrameType, encodeDataFrame, parsePartitionRequest, type DataFrame } from '../../src/taskmanager/network/data-protocol.js';
import { FrameSocket, MAX_DATA_FRAME_BYTES } from '../../src/taskmanager/network/frame-socket.js';
import { PARTITION_LOOKUP_TIMEOUT_MS } from '../../src/taskmanager/network/local-input-channel.js';
import { partitionKey } from '../../src/taskmanager/network/result-partition.js';
import type { PartitionManager } from '../../src/taskmanager/network/partition-manager.js';
import {
  INITIAL_CREDIT,
  type RemoteChannelTransport,
  type RemoteInputChannel,
} from '../../src/taskmanager/network/remote-input-channel.js';
import { SubpartitionSender } from '../../src/taskmanager/network/subpartition-sender.js';

/** Two in-memory stream ends: what one writes the other reads; destroying one closes both. */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {
        /* pushed by the peer's write */
      },
      write(chunk: Buffer, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
      destroy(error, callback) {
        if (!peer().destroyed) peer().destroy();
        callback(error);
      },
    });
  ends.push(
    make(() => ends[1]!),
    make(() => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}

/**
 * The data protocol between a consumer and a producer TaskManager, over an in-memory duplex instead
 * of a TCP connection: real FrameSockets and SubpartitionSenders on the producer end, the consumer
 * end routing frames to RemoteInputChannels as the DataClient's connection does.
 */
export class InMemoryDataLink implements RemoteChannelTransport {
  readonly consumer: FrameSocket;
  readonly producer: FrameSocket;
  /** Senders serving this link, by channel id (the producer's view). */
  readonly senders = new Map<number, SubpartitionSender>();
  private readonly channels = new Map<number, RemoteInputChannel>();
  private nextChannelId = 1;
  /** Why the consumer end closed, once it has. */
  consumerClosedReason: string | undefined;
  producerClosedReason: string | undefined;
  /** Partition requests the producer end has begun to look up. */
  lookupsStarted = 0;

  constructor(
    private readonly partitions: PartitionManager,
    private readonly lookupTimeoutMs = PARTITION_LOOKUP_TIMEOUT_MS,
  ) {
    const [consumerEnd, producerEnd] = duplexPair();
    this.consumer = new FrameSocket(
      consumerEnd as unknown as Socket,
      new FrameDecoder(MAX_DATA_FRAME_BYTES),
      (frame) => this.onConsumerFrame(frame),
      (reason) => {
        this.consumerClosedReason = reason;
        const channels = [...this.channels.values()];
        this.channels.clear();
        for (const channel of channels) channel.onError(`data connection lost (${reason})`);
      },
    );
    this.producer = new FrameSocket(
      producerEnd as unknown as Socket,
      new FrameDecoder(MAX_DATA_FRAME_BYTES),
      (frame) => this.onProducerFrame(frame),
      (reason) => {
        this.producerClosedReason = reason;
        for (const sender of this.senders.values()) sender.release();
        this.senders.clear();
      },
    );
  }

  request(channel: RemoteInputChannel): void {
    channel.channelId = this.nextChannelId++;
    this.channels.set(channel.channelId, channel);
    const body = JSON.stringify({
      producerAttemptId: channel.producerAttemptId,
      partitionIndex: channel.partitionIndex,
      subpartitionIndex: channel.subpartitionIndex,
      credit: INITIAL_CREDIT,
    });
    this.consumer.write(encodeDataFrame(DataFrameType.PartitionRequest, channel.channelId, body));
  }

  sendCredit(channelId: number, credit: number): void {
    const body = Buffer.allocUnsafe(4);
    body.writeUInt32BE(credit, 0);
    this.consumer.write(encodeDataFrame(DataFrameType.Credit, channelId, body));
  }

  cancel(channelId: number): void {
    if (this.channels.delete(channelId)) this.consumer.write(encodeDataFrame(DataFrameType.Cancel, channelId));
  }

  private onConsumerFrame(frame: DataFrame): void {
    const channel = this.channels.get(frame.channelId);
    if (channel === undefined) return;
    if (frame.type === DataFrameType.Batch) channel.onBatch(frame.body);
    else if (frame.type === DataFrameType.Error) channel.onError(frame.body.toString('utf8'));
  }

  /** The producer end, as the DataServer serves a connection. */
  private onProducerFrame(frame: DataFrame): void {
    if (frame.type === DataFrameType.PartitionRequest) {
      const request = parsePartitionRequest(frame.body);
      this.lookupsStarted++;
      this.partitions.lookup(partitionKey(request.producerAttemptId, request.partitionIndex), this.lookupTimeoutMs).then(
        (partition) => {
          const sender = new SubpartitionSender(this.producer, frame.channelId, partition, request.subpartitionIndex, request.credit);
          this.senders.set(frame.channelId, sender);
          sender.start();
        },
        (error: Error) => this.producer.send(DataFrameType.Error, frame.channelId, error.message),
      );
    } else if (frame.type === DataFrameType.Credit) {
      this.senders.get(frame.channelId)?.addCredit(frame.body.readUInt32BE(0));
    } else if (frame.type === DataFrameType.Cancel) {
      this.senders.get(frame.channelId)?.release();
      this.senders.delete(frame.channelId);
    }
  }
}
