import type { ChannelCursor } from '../network/input-gate.js';
import type { CheckpointBarrier } from '../network/stream-elements.js';

/**
 * Decides what a barrier arriving on a channel means: Flink's aligned handler (exactly-once) blocks
 * the channel until the barrier came from every channel; the tracker (at-least-once) only counts.
 */
export interface CheckpointBarrierHandler {
  onBarrier(cursor: ChannelCursor, barrier: CheckpointBarrier): void;
  /** A channel ended: it no longer owes barriers for pending alignments. */
  onEndOfPartition(cursor: ChannelCursor): void;
}
