import type { ElementBatch } from './stream-elements.js';

/** One producer subtask as seen by a consumer: a source of batches, in order. */
export interface InputChannel {
  /** Attaches to the producer's subpartition; failures are reported through the gate. */
  start(): void;
  /** The next received batch, if any; taking it returns credit to the producer. */
  poll(): ElementBatch | undefined;
  release(): void;
}

/** How a channel talks back to its gate. */
export interface ChannelOwner {
  notifyAvailable(channelIndex: number): void;
  notifyFailure(channelIndex: number, error: Error): void;
}
