import type { BarrierKind } from '../../rpc/gateways/checkpoint-messages.js';

export type { BarrierKind };

/**
 * What flows through channels besides records. Records are plain user values; these classes mark
 * the in-band events, so a consumer tells them apart with one `instanceof` per element.
 */
export abstract class StreamEvent {}

/** Event time has reached `timestamp` on this channel. */
export class WatermarkEvent extends StreamEvent {
  constructor(readonly timestamp: number) {
    super();
  }
}

/** Separates the records before checkpoint `checkpointId` from those after it. */
export class CheckpointBarrier extends StreamEvent {
  constructor(
    readonly checkpointId: number,
    readonly timestamp: number,
    readonly kind: BarrierKind,
    /** The checkpoint of a planned rescale: the sources halt after it, so it should write as little as it can. */
    readonly halting = false,
  ) {
    super();
  }
}

/**
 * The producer has no more records (Flink's EndOfData). It stays connected until its final
 * checkpoint is complete, so barriers can still flow behind this event.
 */
export class EndOfDataEvent extends StreamEvent {
  static readonly INSTANCE = new EndOfDataEvent();
}

/** The producer will send nothing more on this channel. */
export class EndOfPartitionEvent extends StreamEvent {
  static readonly INSTANCE = new EndOfPartitionEvent();
}

/** Timestamp slot value for a record without a timestamp (kept numeric so arrays stay packed). */
export const NO_TIMESTAMP = Number.NaN;

/** A run of elements in order: values (records or events) and, for records, their timestamps. */
export interface ElementBatch {
  readonly values: unknown[];
  readonly timestamps: number[];
}

export function emptyBatch(): ElementBatch {
  return { values: [], timestamps: [] };
}
