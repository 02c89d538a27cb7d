import type { ExecutionAttemptId } from '../../core/ids.js';
import { RpcError } from '../../core/errors.js';

/** Frame types of the TaskManager-to-TaskManager data protocol. */
export const enum DataFrameType {
  /** consumer → producer: attach to a subpartition, granting initial credit. */
  PartitionRequest = 1,
  /** producer → consumer: one encoded batch (costs one credit). */
  Batch = 2,
  /** consumer → producer: more credit. */
  Credit = 3,
  /** producer → consumer: the subpartition cannot be served. */
  Error = 4,
  /** consumer → producer: stop sending, release the reader. */
  Cancel = 5,
}

/** A decoded data frame: the channel it belongs to and its body. */
export interface DataFrame {
  readonly type: DataFrameType;
  readonly channelId: number;
  readonly body: Buffer;
}

/** The JSON body of a partition request. */
export interface PartitionRequest {
  readonly producerAttemptId: ExecutionAttemptId;
  readonly partitionIndex: number;
  readonly subpartitionIndex: number;
  readonly credit: number;
}

/** Frame payload: u8 type, u32 channel id, body. The length prefix is added by the writer. */
export function encodeDataFrame(type: DataFrameType, channelId: number, body: Uint8Array | string = ''): Buffer[] {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = Buffer.allocUnsafe(9);
  head.writeUInt32BE(5 + bytes.length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(channelId, 5);
  return bytes.length === 0 ? [head] : [head, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

export function decodeDataFrame(payload: Buffer): DataFrame {
  if (payload.length < 5) throw new RpcError('RPC_PROTOCOL', 'data frame shorter than its header');
  const type = payload.readUInt8(0);
  if (type < DataFrameType.PartitionRequest || type > DataFrameType.Cancel)
    throw new RpcError('RPC_PROTOCOL', `unknown data frame type ${type}`);
  return { type, channelId: payload.readUInt32BE(1), body: payload.subarray(5) };
}

export function parsePartitionRequest(body: Buffer): PartitionRequest {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RpcError('RPC_PROTOCOL', 'partition request is not JSON');
  }
  const r = value as Partial<PartitionRequest> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    typeof r.producerAttemptId !== 'string' ||
    !isIndex(r.partitionIndex) ||
    !isIndex(r.subpartitionIndex) ||
    !isIndex(r.credit)
  ) {
    throw new RpcError('RPC_PROTOCOL', 'malformed partition request');
  }
  return r as PartitionRequest;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1_000_000;
}

/** Why a producer cannot serve a channel, and the error code when the failure must not be retried. */
export interface DataErrorReason {
  readonly message: string;
  readonly code?: string;
}

/** The body of an Error frame: plain text, or JSON `{code, message}` when the failure carries a code. */
export function decodeErrorFrame(body: Buffer): DataErrorReason {
  const text = body.toString('utf8');
  if (!text.startsWith('{')) return { message: text };
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof parsed.message === 'string')
      return typeof parsed.code === 'string' ? { message: parsed.message, code: parsed.code } : { message: parsed.message };
  } catch {
    // Not JSON after all: the text is the message.
  }
  return { message: text };
}
