import type { CheckpointBarrierHandler } from '../task/barrier-handler.js';
import type { ChannelCursor, InputGate } from '../network/input-gate.js';
import type { CheckpointBarrier } from '../network/stream-elements.js';

/** Called when a barrier has come from every open channel. */
export type AlignedCallback = (barrier: CheckpointBarrier, alignmentDurationMs: number) => void;

/**
 * Exactly-once alignment: a channel that delivered barrier n is blocked until every open channel
 * has, so the snapshot reflects exactly the records before the barrier. A newer barrier abandons an
 * unfinished older alignment; an ended channel owes no barrier.
 */
export class AlignedBarrierHandler implements CheckpointBarrierHandler {
  private pending: CheckpointBarrier | undefined;
  private readonly arrived = new Set<number>();
  private startedAt = 0;

  constructor(
    private readonly gate: InputGate,
    private readonly onAligned: AlignedCallback,
  ) {}

  onBarrier(cursor: ChannelCursor, barrier: CheckpointBarrier): void {
    const pending = this.pending;
    if (pending !== undefined && barrier.checkpointId < pending.checkpointId) return; // left over from an abandoned alignment
    if (pending === undefined || barrier.checkpointId > pending.checkpointId) {
      if (pending !== undefined) this.reset();
      this.pending = barrier;
      this.startedAt = performance.now();
    }
    this.arrived.add(cursor.index);
    this.gate.block(cursor);
    this.completeIfAligned();
  }

  onEndOfPartition(): void {
    this.completeIfAligned();
  }

  private completeIfAligned(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    for (const cursor of this.gate.cursors) {
      if (!cursor.ended && !this.arrived.has(cursor.index)) return;
    }
    const duration = performance.now() - this.startedAt;
    this.reset();
    this.onAligned(pending, duration);
  }

  private reset(): void {
    this.pending = undefined;
    this.arrived.clear();
    this.gate.unblockAll();
  }
}
