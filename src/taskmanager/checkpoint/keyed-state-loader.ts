/**
 * A streamed restore: the keyed state of a task's head is read after the task started running,
 * key group by key group, so records flow again as soon as the groups they need are here rather
 * than once every byte is read. A group a record waits for is read next; the rest follow in order,
 * a few reads at a time. Each group is handed over whole (its base, then its deltas), checked as
 * any restore is (local copy first when it is the same checkpoint, CRC-32 of every slice).
 */
import type { GroupChain, StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import { restoreFailure, type StateFiles } from './restore-resolver.js';

/** Reads in flight at once: the process's file-system thread pool has four threads. */
const MAX_READS = 4;

/** What the loader reports to its task. */
export interface KeyedStateLoaderEvents {
  /** Group offset `offset` was read: its chunks, base first. */
  arrived(offset: number, chunks: readonly Uint8Array[]): void;
  /** Every group arrived. */
  done(): void;
  /** A read failed (a STATE_CORRUPT error when the bytes were wrong); nothing more arrives. */
  failed(error: Error): void;
}

/** The slices of one group's chain, base first. */
function slicesOf(chain: GroupChain): StateSlice[] {
  return chain.base === null ? [...chain.deltas] : [chain.base, ...chain.deltas];
}

/** Reads the key groups of one operator's restore in the background. */
export class KeyedStateLoader {
  /** Group offsets with state to read, in the order they are read unless a record asks for one first. */
  readonly groups: readonly number[];
  private next = 0;
  private readonly urgent: number[] = [];
  private readonly started: Uint8Array;
  private inFlight = 0;
  private remaining: number;
  private stopped = false;
  private idle: (() => void) | undefined;
  /** Bytes handed over so far. */
  bytes = 0;

  constructor(
    private readonly checkpointId: number,
    private readonly chains: readonly GroupChain[],
    private readonly files: StateFiles,
    private readonly events: KeyedStateLoaderEvents,
  ) {
    this.groups = chains.flatMap((chain, offset) => (slicesOf(chain).length > 0 ? [offset] : []));
    this.started = new Uint8Array(chains.length);
    this.remaining = this.groups.length;
  }

  /** Bytes read from local copies and from checkpoint storage so far. */
  get bytesLocal(): number {
    return this.files.bytesLocal;
  }

  get bytesFromStorage(): number {
    return this.files.bytesFromStorage;
  }

  start(): void {
    if (this.remaining === 0) {
      this.finish();
      return;
    }
    this.pump();
  }

  /** A record waits for group offset `offset`: it is read before any group nobody waits for. */
  prioritize(offset: number): void {
    if (this.started[offset] === 1 || this.stopped) return;
    this.urgent.push(offset);
    this.pump();
  }

  /** The task ended: nothing more is read or handed over. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.files.close().catch(() => undefined);
  }

  /** Resolves once no read is in flight (after a stop, nothing more can arrive then). */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }

  private settle(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.idle?.();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < MAX_READS) {
      const offset = this.nextGroup();
      if (offset === undefined) return;
      this.started[offset] = 1;
      this.inFlight++;
      Promise.all(slicesOf(this.chains[offset]!).map((slice) => this.files.read(slice))).then(
        (chunks) => this.onRead(offset, chunks),
        (error: unknown) => this.onFailure(error),
      );
    }
  }

  private nextGroup(): number | undefined {
    while (this.urgent.length > 0) {
      const offset = this.urgent.shift()!;
      if (this.started[offset] === 0) return offset;
    }
    while (this.next < this.groups.length) {
      const offset = this.groups[this.next++]!;
      if (this.started[offset] === 0) return offset;
    }
    return undefined;
  }

  private onRead(offset: number, chunks: Uint8Array[]): void {
    this.settle();
    if (this.stopped) return;
    for (const chunk of chunks) this.bytes += chunk.byteLength;
    this.events.arrived(offset, chunks);
    if (--this.remaining === 0) this.finish();
    else this.pump();
  }

  private onFailure(error: unknown): void {
    this.settle();
    if (this.stopped) return;
    this.stop();
    this.events.failed(restoreFailure(this.checkpointId, error));
  }

  private finish(): void {
    this.stopped = true;
    this.files.close().catch(() => undefined);
    this.events.done();
  }
}
