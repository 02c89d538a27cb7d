import type { DataFrame, DataFrameType } from './data-protocol.js';

/**
 * One end of a data connection, whatever carries it: a socket between TaskManagers, or a
 * MessagePort between two slot threads of one TaskManager. The frames are the same either way, so
 * credit, barriers and end-of-input behave alike on both.
 */
export interface FrameLink {
  /**
   * Sends one frame. `owned` says the caller hands `body` over and will not touch it again, so a
   * port may move its memory to the other thread instead of copying it.
   */
  send(type: DataFrameType, channelId: number, body?: Uint8Array | string, owned?: boolean): void;
  /** Bytes sent but not yet taken by the carrier, to hold back senders when the peer reads slowly. */
  readonly backlog: number;
  readonly isClosed: boolean;
  close(reason: string): void;
}

/** What a link reports to the side that owns it. */
export interface FrameLinkHandlers {
  onFrame(frame: DataFrame): void;
  onClose(reason: string): void;
}
