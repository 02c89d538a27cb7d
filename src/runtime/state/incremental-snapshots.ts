/**
 * The bookkeeping of incremental checkpoints for one keyed backend. A key group's state in a
 * checkpoint is a chain: a full base written at some checkpoint, then the deltas (changed and
 * removed entries) of later ones. A snapshot is taken relative to the last checkpoint this backend
 * was told completed (its base): a group unchanged since keeps the base's chain, a changed one adds
 * a delta, and a group whose deltas grew too large gets a fresh base (see `shouldRebase`).
 * Savepoints and the first snapshot of a backend are always full.
 */
import { EpochClock } from './dirty-tracker.js';

/**
 * The rebase rule: a group's chain gets a fresh full base when its deltas, the new one included,
 * would exceed half the base's bytes, or the chain would hold more than 12–19 deltas (the bound
 * varies with the key group, so groups touched at every checkpoint do not all rebase at once). A
 * restore then reads at most about 1.5× the group's state, and a checkpoint writes a group in full
 * at most as often as its changes add up to half of it.
 */
export const REBASE_RATIO = 0.5;

/** The most deltas a chain of key group `keyGroup` holds before it is rebased. */
export function maxDeltas(keyGroup: number): number {
  return 12 + (keyGroup % 8);
}

/** Whether group `keyGroup`, with a chain of `count` deltas of `deltaBytes` on a `baseBytes` base, takes a new `newDelta`-byte delta or a fresh base. */
export function shouldRebase(keyGroup: number, baseBytes: number, deltaBytes: number, count: number, newDelta: number): boolean {
  return deltaBytes + newDelta > REBASE_RATIO * baseBytes || count + 1 > maxDeltas(keyGroup);
}

/** Per key group, the shape of the chain one checkpoint left: base bytes, delta bytes, delta count. */
export class ChainStats {
  readonly base: Float64Array;
  readonly deltas: Float64Array;
  readonly count: Uint16Array;

  constructor(size: number) {
    this.base = new Float64Array(size);
    this.deltas = new Float64Array(size);
    this.count = new Uint16Array(size);
  }

  setFull(g: number, bytes: number): void {
    this.base[g] = bytes;
    this.deltas[g] = 0;
    this.count[g] = 0;
  }

  keep(from: ChainStats, g: number): void {
    this.base[g] = from.base[g]!;
    this.deltas[g] = from.deltas[g]!;
    this.count[g] = from.count[g]!;
  }

  addDelta(from: ChainStats, g: number, bytes: number): void {
    this.base[g] = from.base[g]!;
    this.deltas[g] = from.deltas[g]! + bytes;
    this.count[g] = from.count[g]! + 1;
  }
}

/** A checkpoint snapshot's relation to the chains: what it builds on and what it leaves. */
export interface IncrementalPlan {
  /** The completed checkpoint whose chains this one extends; undefined: every group is written in full. */
  readonly base: { readonly checkpointId: number; readonly epoch: number; readonly stats: ChainStats } | undefined;
  /** Filled group by group as the snapshot encodes them. */
  readonly next: ChainStats;
  /** Chains grow by a delta even past the rebase limits (SnapshotOptions.deferRebase). */
  readonly deferRebase: boolean;
}

/** Snapshots awaiting completion are kept at most this many; an older one can no longer become the base. */
const MAX_PENDING = 16;

/** The epochs and chain shapes of one backend's incremental snapshots. */
export class IncrementalSnapshots {
  readonly clock: EpochClock;
  private confirmed: IncrementalPlan['base'];
  private readonly pending = new Map<number, { readonly epoch: number; readonly stats: ChainStats }>();

  constructor(private readonly numKeyGroups: number) {
    this.clock = new EpochClock(numKeyGroups);
  }

  /** The id of the checkpoint later snapshots build on, if any. */
  get baseCheckpointId(): number | undefined {
    return this.confirmed?.checkpointId;
  }

  /**
   * A restore from checkpoint `checkpointId`, whose chains had the shapes `stats`, is the base: the
   * first snapshot writes only what changed since (every change is after epoch 0).
   */
  seed(checkpointId: number, stats: ChainStats): void {
    this.confirmed = { checkpointId, epoch: 0, stats };
  }

  /** Starts the snapshot of checkpoint `checkpointId`: changes from now on belong to the next one. */
  begin(checkpointId: number, deferRebase = false): IncrementalPlan {
    const epoch = this.clock.advance();
    const next = new ChainStats(this.numKeyGroups);
    this.pending.set(checkpointId, { epoch, stats: next });
    for (const id of this.pending.keys()) {
      if (this.pending.size <= MAX_PENDING) break;
      this.pending.delete(id);
    }
    return { base: this.confirmed, next, deferRebase };
  }

  /** Checkpoint `checkpointId` completed: if this backend took part, its chains are the new base. */
  confirm(checkpointId: number): void {
    const done = this.pending.get(checkpointId);
    if (done === undefined) return;
    this.confirmed = { checkpointId, epoch: done.epoch, stats: done.stats };
    for (const id of this.pending.keys()) if (id <= checkpointId) this.pending.delete(id);
  }
}
