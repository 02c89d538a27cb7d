/**
 * A copy-on-write snapshot of keyed state, as Flink's heap backend takes from its copy-on-write
 * state tables: taking it copies nothing. The writer asks for one key group at a time while records
 * keep flowing, and a group that is about to change is encoded first, so every chunk holds exactly
 * what the group held at the barrier.
 */
import type { KeyedStateSnapshot, UNCHANGED_GROUP } from '../task-contract.js';

/** One group's chunk: full or delta bytes, undefined when empty, or unchanged since the base. */
export type GroupChunk = Uint8Array | undefined | typeof UNCHANGED_GROUP;

/** A group's state as it was at the barrier, held without encoding it: encodes it when the writer asks (`borrow` as in `chunk`). */
export type FrozenGroup = (borrow: boolean) => GroupChunk;

/** How a snapshot keeps groups about to change without encoding them, when the states allow it. */
export interface GroupFreezer {
  /** Keeps group `offset` as it is now. */
  freeze(offset: number): FrozenGroup;
  /** The snapshot is done: nothing more is kept for it. */
  dispose(): void;
}

/** What a snapshot may be told beyond how to encode its groups. */
export interface KeyGroupSnapshotOptions {
  /** The checkpoint an incremental snapshot builds on. */
  readonly baseCheckpointId?: number | undefined;
  /** Keeps a group as it is now without encoding it, when it can do so more cheaply (absent: a group about to change is encoded at once). */
  readonly freezer?: GroupFreezer | undefined;
  /** Called once, at `release`: nothing will be encoded for the snapshot any more. */
  readonly onReleased?: (() => void) | undefined;
}

const PENDING = 0;
const ENCODED = 1;
const TAKEN = 2;

/** The keyed state of one backend at one checkpoint; the backend calls `preserve` before a group changes. */
export class KeyGroupSnapshot implements KeyedStateSnapshot {
  private readonly chunks: GroupChunk[];
  /** Groups kept by `freeze` at a change, encoded only when the writer takes them. */
  private readonly frozen: (FrozenGroup | undefined)[];
  private readonly phase: Uint8Array;
  private pending: number;
  /** Groups encoded by `preserve` and not yet taken, oldest first. */
  private readonly ready: number[] = [];
  /** A group that failed to encode while records flowed; the writer gets the error, not the record path. */
  private failure: Error | undefined = undefined;

  readonly baseCheckpointId: number | undefined;
  private readonly freezer: GroupFreezer | undefined;
  private onReleased: (() => void) | undefined;

  /**
   * @param encode encodes group `offset` as it is now, into borrowed bytes when `borrow`; called at most once per group.
   * @param onSettled called once no group is pending any more, so the backend stops tracking it
   *   (frozen groups are still encoded after it, when the writer takes them).
   */
  constructor(
    readonly start: number,
    readonly size: number,
    private readonly encode: (offset: number, borrow: boolean) => GroupChunk,
    private readonly onSettled: (snapshot: KeyGroupSnapshot) => void,
    options: KeyGroupSnapshotOptions = {},
  ) {
    this.baseCheckpointId = options.baseCheckpointId;
    this.freezer = options.freezer;
    this.onReleased = options.onReleased;
    this.chunks = new Array<GroupChunk>(size);
    this.frozen = new Array<FrozenGroup | undefined>(size);
    this.phase = new Uint8Array(size);
    this.pending = size;
    if (size === 0) onSettled(this);
  }

  /** Group `offset` is about to change: keep its bytes as they are now, unless that is done. */
  preserve(offset: number): void {
    if (this.phase[offset] !== PENDING) return;
    this.encodeNow(offset, true);
    this.ready.push(offset);
  }

  chunk(offset: number, borrow = false): GroupChunk {
    if (this.phase[offset] === PENDING) this.encodeNow(offset, false, borrow);
    if (this.failure !== undefined) throw this.failure;
    // Handed over once: the writer owns the bytes now, and the snapshot keeps no second copy.
    const frozen = this.frozen[offset];
    this.frozen[offset] = undefined;
    const bytes = frozen === undefined ? this.chunks[offset] : frozen(borrow);
    this.chunks[offset] = undefined;
    this.phase[offset] = TAKEN;
    return bytes;
  }

  nextReady(): number | undefined {
    while (this.ready.length > 0) {
      const offset = this.ready.shift()!;
      if (this.phase[offset] === ENCODED) return offset;
    }
    return undefined;
  }

  release(): void {
    this.ready.length = 0;
    this.chunks.fill(undefined);
    this.frozen.fill(undefined);
    this.phase.fill(TAKEN);
    this.freezer?.dispose();
    if (this.pending > 0) {
      this.pending = 0;
      this.onSettled(this);
    }
    const released = this.onReleased;
    this.onReleased = undefined;
    released?.();
  }

  /** Keeps group `offset` as it is now: frozen when `mayFreeze` and the backend can, else encoded. */
  private encodeNow(offset: number, mayFreeze: boolean, borrow = false): void {
    try {
      const frozen = mayFreeze ? this.freezer?.freeze(offset) : undefined;
      if (frozen !== undefined) this.frozen[offset] = frozen;
      else this.chunks[offset] = this.encode(offset, borrow);
    } catch (error) {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    }
    this.phase[offset] = ENCODED;
    if (--this.pending === 0) this.onSettled(this);
  }
}

/** Every chunk of a snapshot at once, in group order (tests, and callers that need no streaming). */
export function takeAllGroupChunks(snapshot: KeyedStateSnapshot): GroupChunk[] {
  const chunks: GroupChunk[] = [];
  for (let offset = 0; offset < snapshot.size; offset++) chunks.push(snapshot.chunk(offset));
  snapshot.release();
  return chunks;
}

/** Every chunk of a full snapshot at once; an incremental one (unchanged groups) is refused. */
export function takeAllChunks(snapshot: KeyedStateSnapshot): (Uint8Array | undefined)[] {
  return takeAllGroupChunks(snapshot).map((chunk) => {
    if (typeof chunk === 'string') throw new Error('takeAllChunks needs a full snapshot; this one is incremental');
    return chunk;
  });
}
