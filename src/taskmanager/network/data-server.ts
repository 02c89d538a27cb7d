import { createServer, type Server, type Socket } from 'node:net';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { formatAddress, toNetOptions, type EndpointAddress } from '../../rpc/address.js';
import type { FrameDecoder } from '../../rpc/frame-decoder.js';
import { acceptHandshake } from '../../rpc/handshake.js';
import { checkSocketPath } from '../../rpc/rpc-server.js';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { DataFrameType, parsePartitionRequest, type DataFrame } from './data-protocol.js';
import { FrameSocket, MAX_DATA_FRAME_BYTES } from './frame-socket.js';
import { partitionKey } from './result-partition.js';
import type { PartitionManager } from './partition-manager.js';
import { SubpartitionSender } from './subpartition-sender.js';
import { PARTITION_LOOKUP_TIMEOUT_MS } from './local-input-channel.js';

const log = getLogger('network');

/**
 * A TaskManager's data endpoint: other TaskManagers connect (authenticated with the cluster
 * secret), request subpartitions, and receive batches against the credit they grant.
 */
export class DataServer {
  private server: Server | undefined;
  private readonly connections = new Set<FrameSocket>();

  constructor(
    private readonly address: EndpointAddress,
    private readonly secret: () => Buffer,
    private readonly selfId: string,
    private readonly partitions: PartitionManager,
    private readonly maxFrameBytes = MAX_DATA_FRAME_BYTES,
  ) {}

  async start(): Promise<void> {
    if (this.address.kind === 'unix') {
      checkSocketPath(this.address.path);
      if (existsSync(this.address.path)) unlinkSync(this.address.path);
    }
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(toNetOptions(this.address), () => resolve());
    });
    if (this.address.kind === 'unix') chmodSync(this.address.path, 0o600);
    log.info(`Data endpoint listening at ${formatAddress(this.address)}.`);
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close('TaskManager shutting down');
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    acceptHandshake(socket, this.secret(), { role: 'taskmanager-data', id: this.selfId }).then(
      ({ decoder }) => this.serve(socket, decoder),
      (error: unknown) => {
        log.warn(`Refused a data connection: ${describeError(error)}`);
        socket.destroy();
      },
    );
  }

  private serve(socket: Socket, decoder: FrameDecoder): void {
    const senders = new Map<number, SubpartitionSender>();
    const connection: FrameSocket = new FrameSocket(
      socket,
      decoder,
      (frame) => this.onFrame(connection, senders, frame),
      (reason) => {
        this.connections.delete(connection);
        for (const sender of senders.values()) sender.release();
        senders.clear();
        log.debug(`Data connection closed: ${reason}`);
      },
      this.maxFrameBytes,
    );
    this.connections.add(connection);
    socket.on('drain', () => {
      for (const sender of senders.values()) sender.trySend();
    });
  }

  private onFrame(connection: FrameSocket, senders: Map<number, SubpartitionSender>, frame: DataFrame): void {
    switch (frame.type) {
      case DataFrameType.PartitionRequest: {
        const request = parsePartitionRequest(frame.body);
        const key = partitionKey(request.producerAttemptId, request.partitionIndex);
        this.partitions.lookup(key, PARTITION_LOOKUP_TIMEOUT_MS).then(
          (partition) => {
            if (connection.isClosed) return;
            const sender = new SubpartitionSender(
              connection,
              frame.channelId,
              partition,
              request.subpartitionIndex,
              request.credit,
              this.maxFrameBytes,
            );
            senders.set(frame.channelId, sender);
            sender.start();
          },
          (error: Error) => connection.write(SubpartitionSender.errorFrame(frame.channelId, error.message)),
        );
        break;
      }
      case DataFrameType.Credit:
        if (frame.body.length >= 4) senders.get(frame.channelId)?.addCredit(frame.body.readUInt32BE(0));
        break;
      case DataFrameType.Cancel:
        senders.get(frame.channelId)?.release();
        senders.delete(frame.channelId);
        break;
      default:
        connection.close(`unexpected data frame type ${frame.type} from a consumer`);
    }
  }
}
