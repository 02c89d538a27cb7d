import type { MessagePort } from 'node:worker_threads';
import { DataFrameType } from './data-protocol.js';
import type { FrameLink, FrameLinkHandlers } from './frame-link.js';

/** A frame as it crosses a MessagePort (its fields, and its body's memory), or the end of the link. */
type PortMessage = { readonly type: DataFrameType; readonly channelId: number; readonly body: ArrayBuffer } | { readonly closed: string };

/**
 * The data protocol between two slot threads of one TaskManager, over a MessagePort: each frame is
 * one message whose buffer is moved, not copied, when the sender owns it. Credit keeps what is in
 * flight bounded, as it does on a socket, so the port needs no backlog of its own.
 */
export class PortFrameLink implements FrameLink {
  private closed = false;

  constructor(
    private readonly port: MessagePort,
    private readonly handlers: FrameLinkHandlers,
  ) {
    port.on('message', (message: PortMessage) => this.receive(message));
    // The other thread ended (terminated, crashed, or closed its end).
    port.on('close', () => this.end('the other slot thread went away'));
    port.start();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get backlog(): number {
    return 0;
  }

  send(type: DataFrameType, channelId: number, body: Uint8Array | string = '', owned = false): void {
    if (this.closed) return;
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    // A body that is all of its own buffer moves to the other thread; any other is copied out first
    // (a pooled Buffer shares its memory with unrelated ones, which must stay here).
    const whole = owned && bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.byteLength === bytes.buffer.byteLength;
    const buffer = whole ? bytes.buffer : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    this.port.postMessage({ type, channelId, body: buffer } satisfies PortMessage, [buffer]);
  }

  close(reason: string): void {
    if (this.closed) return;
    try {
      this.port.postMessage({ closed: reason } satisfies PortMessage);
    } catch {
      // The other end is already gone.
    }
    this.end(reason);
    this.port.close();
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose(reason);
  }

  private receive(message: PortMessage): void {
    if (this.closed) return;
    if ('closed' in message) {
      this.end(`closed by the other slot thread: ${message.closed}`);
      this.port.close();
      return;
    }
    const { type, channelId, body } = message;
    if (type < DataFrameType.PartitionRequest || type > DataFrameType.Cancel || !(body instanceof ArrayBuffer)) {
      this.close(`protocol violation: unknown data frame type ${type}`);
      return;
    }
    try {
      this.handlers.onFrame({ type, channelId, body: Buffer.from(body) });
    } catch (error) {
      this.close(`protocol violation: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
