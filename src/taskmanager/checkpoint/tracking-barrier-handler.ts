import type { CheckpointBarrierHandler } from '../task/barrier-handler.js';
import type { ChannelCursor, InputGate } from '../network/input-gate.js';
import type { CheckpointBarrier } from '../network/stream-elements.js';
import type { AlignedCallback } from './aligned-barrier-handler.js';

/**
 * At-least-once: channels are never blocked; the snapshot is taken once barrier n has come from
 * every open channel, so records after a barrier may be in it and be replayed after a restore.
 */
export class TrackingBarrierHandler implements CheckpointBarrierHandler {
  private readonly seen = new Map<number, { barrier: CheckpointBarrier; channels: Set<number>; startedAt: number }>();

  constructor(
    private readonly gate: InputGate,
    private readonly onComplete: AlignedCallback,
  ) {}

  onBarrier(cursor: ChannelCursor, barrier: CheckpointBarrier): void {
    let entry = this.seen.get(barrier.checkpointId);
    if (entry === undefined) {
      entry = { barrier, channels: new Set(), startedAt: performance.now() };
      this.seen.set(barrier.checkpointId, entry);
    }
    entry.channels.add(cursor.index);
    this.check();
  }

  onEndOfPartition(): void {
    this.check();
  }

  private check(): void {
    for (const [id, entry] of [...this.seen].sort((a, b) => a[0] - b[0])) {
      const complete = this.gate.cursors.every((cursor) => cursor.ended || entry.channels.has(cursor.index));
      if (!complete) continue;
      // Older incomplete checkpoints are superseded by this one.
      for (const older of [...this.seen.keys()]) if (older <= id) this.seen.delete(older);
      this.onComplete(entry.barrier, performance.now() - entry.startedAt);
    }
  }
}
