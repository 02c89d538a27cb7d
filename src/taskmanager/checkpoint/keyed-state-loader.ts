/**
 * A streamed restore: the keyed state of a task's head is read after the task started running,
 * key group by key group, so records flow again as soon as the groups they need are here rather
 * than once every byte is read. A group a record waits for is read next; the rest follow in order,
 * a few reads at a time. Each group is handed over whole (its base, then its deltas), checked as
 * any restore is (local copy first when it is the same checkpoint, CRC-32 of every slice).
 */
import type { GroupChain, StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import { restoreFailure, type StateFiles } from './restore-resolver.js';

/**
 * Slice reads in flight for groups nobody waits for: the process's file-system thread pool has four
 * threads. Queuing more only puts a group a record asks for behind them.
 */
const MAX_READS = 4;
/** Reads a group a record waits for may start beyond that, so it never queues behind background reads. */
const URGENT_EXTRA = 2;
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

/**
 * Reads the key groups of one operator's restore in the background, slice by slice: a group's
 * slices are read in order, a few at a time, and a group a record waits for goes first.
 */
export class KeyedStateLoader {
  /** Group offsets with state to read, in the order they are read unless a record asks for one first. */
  readonly groups: readonly number[];
  private readonly slices: readonly (readonly StateSlice[])[];
  /** Per group offset: slices whose read has started. */
  private readonly issued: Uint32Array;
  /** Per group offset: slices still to be read. */
  private readonly unread: Uint32Array;
  private readonly chunks: (Uint8Array[] | undefined)[];
  private next = 0;
  /** The group in order whose slices are being issued. */
  private current: number | undefined;
  private readonly urgent: number[] = [];
  private inFlight = 0;
  private remaining: number;
  private stopped = false;
  private idle: (() => void) | undefined;
  /** Bytes handed over so far. */
  bytes = 0;

  constructor(
    private readonly checkpointId: number,
    chains: readonly GroupChain[],
    private readonly files: StateFiles,
    private readonly events: KeyedStateLoaderEvents,
  ) {
    this.slices = chains.map(slicesOf);
    this.groups = this.slices.flatMap((slices, offset) => (slices.length > 0 ? [offset] : []));
    this.issued = new Uint32Array(chains.length);
    this.unread = Uint32Array.from(this.slices, (slices) => slices.length);
    this.chunks = this.slices.map((slices) => (slices.length > 0 ? new Array<Uint8Array>(slices.length) : undefined));
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

  /** A record waits for group offset `offset`: its unread slices are read before any other group's. */
  prioritize(offset: number): void {
    if (this.stopped || this.issued[offset]! >= this.slices[offset]!.length) return;
    if (!this.urgent.includes(offset)) this.urgent.push(offset);
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
    while (!this.stopped) {
      const next = this.nextSlice();
      if (next === undefined) return;
      const [offset, index] = next;
      this.inFlight++;
      this.files.read(this.slices[offset]![index]!).then(
        (bytes) => this.onRead(offset, index, bytes),
        (error: unknown) => this.onFailure(error),
      );
    }
  }

  /** The next slice to read, as [group offset, slice index]; undefined when none may start now. */
  private nextSlice(): [number, number] | undefined {
    while (this.urgent.length > 0 && this.inFlight < MAX_READS + URGENT_EXTRA) {
      const offset = this.urgent[0]!;
      if (this.issued[offset]! < this.slices[offset]!.length) return [offset, this.issued[offset]!++];
      this.urgent.shift();
    }
    if (this.urgent.length > 0 || this.inFlight >= MAX_READS) return undefined;
    for (;;) {
      const offset = this.current;
      if (offset !== undefined && this.issued[offset]! < this.slices[offset]!.length) return [offset, this.issued[offset]!++];
      if (this.next >= this.groups.length) return undefined;
      this.current = this.groups[this.next++];
    }
  }

  private onRead(offset: number, index: number, bytes: Uint8Array): void {
    this.settle();
    if (this.stopped) return;
    const chunks = this.chunks[offset]!;
    chunks[index] = bytes;
    if (--this.unread[offset]! === 0) {
      for (const chunk of chunks) this.bytes += chunk.byteLength;
      this.chunks[offset] = undefined;
      this.events.arrived(offset, chunks);
      if (--this.remaining === 0) {
        this.finish();
        return;
      }
    }
    this.pump();
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
