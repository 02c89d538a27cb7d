/**
 * The non-parallel socket source (Flink's socketTextStream): connects to host:port, emits each
 * delimited string, and ends when the peer closes the connection. Not replayable, so it keeps no state.
 */
import { connect, type Socket } from 'node:net';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { SourceReadError } from '../runtime-errors.js';
import type { SourceStatus } from '../task-contract.js';
import { AvailabilitySignal, AVAILABLE } from './availability.js';
import type { Boundedness, ReaderOutput, Source, SourceReader, SourceReaderContext } from './source.js';

/** Text from a socket, split on a delimiter. */
export class SocketTextSource implements Source<string, never> {
  readonly boundedness: Boundedness = 'CONTINUOUS_UNBOUNDED';
  readonly outputType: TypeDescriptor = { kind: 'STRING' };
  readonly nonParallel = true;

  constructor(
    readonly hostname: string,
    readonly port: number,
    readonly delimiter = '\n',
  ) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`A socket port must be in [0, 65535], got ${port}`);
    if (delimiter === '') throw new RangeError('The socket delimiter must not be empty');
  }

  createInitialSplits(): never[] {
    return [];
  }

  createReader(ctx: SourceReaderContext): SourceReader<string, never> {
    return new SocketReader(this, ctx.subtaskIndex === 0);
  }
}

class SocketReader implements SourceReader<string, never> {
  private socket: Socket | undefined;
  private readonly lines: string[] = [];
  private next = 0;
  private buffer = '';
  private closed = false;
  private failure: Error | undefined;
  private readonly signal = new AvailabilitySignal();

  constructor(
    private readonly source: SocketTextSource,
    private readonly active: boolean,
  ) {}

  async start(): Promise<void> {
    if (!this.active) return;
    const { hostname, port } = this.source;
    const socket = connect({ host: hostname, port });
    socket.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (cause) =>
        reject(new SourceReadError(`Cannot connect to socket ${hostname}:${port}: ${cause.message}`, { cause })),
      );
    });
    this.socket = socket;
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (cause) => {
      this.failure = new SourceReadError(`Socket ${hostname}:${port} failed: ${cause.message}`, { cause });
      this.signal.notify();
    });
    socket.on('close', () => this.onClose());
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    const d = this.source.delimiter;
    let i: number;
    while ((i = this.buffer.indexOf(d)) >= 0) {
      let line = this.buffer.slice(0, i);
      // Like Flink, a trailing \r before a \n delimiter is dropped.
      if (d === '\n' && line.endsWith('\r')) line = line.slice(0, -1);
      this.lines.push(line);
      this.buffer = this.buffer.slice(i + d.length);
    }
    this.signal.notify();
  }

  private onClose(): void {
    if (this.buffer.length > 0) this.lines.push(this.buffer);
    this.buffer = '';
    this.closed = true;
    this.signal.notify();
  }

  addSplits(): void {}

  pollNext(output: ReaderOutput<string>, budget: number): SourceStatus {
    if (this.failure !== undefined) throw this.failure;
    if (!this.active) return 'END_OF_INPUT';
    const out = output.forSplit('socket');
    let emitted = 0;
    while (emitted < budget && this.next < this.lines.length) {
      out.collect(this.lines[this.next++]!);
      emitted++;
    }
    if (this.next === this.lines.length) {
      this.lines.length = 0;
      this.next = 0;
      if (this.closed) return 'END_OF_INPUT';
      return emitted > 0 ? 'MORE_AVAILABLE' : 'NOTHING_AVAILABLE';
    }
    return 'MORE_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    if (this.failure !== undefined || this.closed || this.next < this.lines.length) return AVAILABLE;
    return this.signal.wait();
  }

  snapshotState(): never[] {
    return [];
  }

  pendingRecords(): number {
    return this.lines.length - this.next;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.signal.notify();
  }
}
