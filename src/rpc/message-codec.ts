import { RpcError, type SerializedError } from '../core/errors.js';

/**
 * A control message on an RPC connection: request, response, error response or notification.
 * Requests and notifications may carry a fencing token: the leader session id of the JobManager
 * that sent them, so a receiver can refuse a deposed leader's messages.
 */
export type RpcMessage =
  | { kind: 'request'; id: number; method: string; args: unknown[]; fencingToken?: string }
  | { kind: 'response'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'notification'; method: string; args: unknown[]; fencingToken?: string };

const BINARY_MARKER = '$bin';

/**
 * Payload layout: u32 header length, header JSON (UTF-8), then the binary attachments back to back.
 * Byte arrays anywhere in the message travel as attachments, referenced from the JSON by index,
 * so state and archives are not inflated into JSON number arrays.
 */
export function encodeMessage(message: RpcMessage): Buffer {
  const attachments: Uint8Array[] = [];
  const body = extractBinary(toWire(message), attachments);
  const header = { ...(body as object), ...(attachments.length > 0 ? { b: attachments.map((a) => a.byteLength) } : {}) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const total = 4 + json.length + attachments.reduce((sum, a) => sum + a.byteLength, 0);
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, 4);
  let offset = 4 + json.length;
  for (const attachment of attachments) {
    out.set(attachment, offset);
    offset += attachment.byteLength;
  }
  return out;
}

/** Parses a payload produced by encodeMessage; anything malformed is an RPC_PROTOCOL error. */
export function decodeMessage(payload: Buffer): RpcMessage {
  if (payload.length < 4) throw protocolError('payload shorter than its header length field');
  const jsonLength = payload.readUInt32BE(0);
  if (jsonLength > payload.length - 4) throw protocolError(`header length ${jsonLength} exceeds the payload`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(payload.toString('utf8', 4, 4 + jsonLength)) as Record<string, unknown>;
  } catch {
    throw protocolError('header is not valid JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw protocolError('header is not an object');
  const { b: lengths, ...body } = header;
  const attachments = sliceAttachments(payload, 4 + jsonLength, lengths);
  return fromWire(restoreBinary(body, attachments) as Record<string, unknown>);
}

function toWire(message: RpcMessage): Record<string, unknown> {
  switch (message.kind) {
    case 'request':
      return { k: 'q', i: message.id, m: message.method, a: message.args, f: message.fencingToken };
    case 'response':
      return { k: 'r', i: message.id, r: message.result };
    case 'error':
      return { k: 'e', i: message.id, e: message.error };
    case 'notification':
      return { k: 'n', m: message.method, a: message.args, f: message.fencingToken };
  }
}

function fromWire(header: Record<string, unknown>): RpcMessage {
  const { k, i, m, a, f } = header;
  const validId = typeof i === 'number' && Number.isSafeInteger(i);
  if (f !== undefined && typeof f !== 'string') throw protocolError('malformed fencing token');
  const fencing = f === undefined ? {} : { fencingToken: f };
  switch (k) {
    case 'q':
      if (!validId || typeof m !== 'string' || !Array.isArray(a)) throw protocolError('malformed request');
      return { kind: 'request', id: i, method: m, args: a, ...fencing };
    case 'r':
      if (!validId) throw protocolError('malformed response');
      return { kind: 'response', id: i, result: header['r'] };
    case 'e': {
      const e = header['e'] as Partial<SerializedError> | undefined;
      if (!validId || e === null || typeof e !== 'object' || typeof e.message !== 'string') throw protocolError('malformed error response');
      return {
        kind: 'error',
        id: i,
        error: {
          name: String(e.name ?? 'Error'),
          message: e.message,
          stack: String(e.stack ?? e.message),
          ...(typeof e.code === 'string' ? { code: e.code } : {}),
        },
      };
    }
    case 'n':
      if (typeof m !== 'string' || !Array.isArray(a)) throw protocolError('malformed notification');
      return { kind: 'notification', method: m, args: a, ...fencing };
    default:
      throw protocolError(`unknown message kind ${JSON.stringify(k)}`);
  }
}

function sliceAttachments(payload: Buffer, start: number, lengths: unknown): Buffer[] {
  if (lengths === undefined) {
    if (start !== payload.length) throw protocolError('attachment table does not match the payload');
    return [];
  }
  if (!Array.isArray(lengths)) throw protocolError('attachment table is not an array');
  const out: Buffer[] = [];
  let offset = start;
  for (const length of lengths) {
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || offset + length > payload.length) {
      throw protocolError('attachment table does not match the payload');
    }
    out.push(payload.subarray(offset, offset + length));
    offset += length;
  }
  // Bytes no attachment accounts for mean the sender and we disagree about the layout.
  if (offset !== payload.length) throw protocolError('attachment table does not match the payload');
  return out;
}

function extractBinary(value: unknown, attachments: Uint8Array[]): unknown {
  if (value instanceof Uint8Array) {
    attachments.push(value);
    return { [BINARY_MARKER]: attachments.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => extractBinary(v, attachments));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) out[key] = extractBinary(v, attachments);
    }
    return out;
  }
  return value;
}

/** Deeper than any message we send; a peer nesting further would only exhaust the stack. */
const MAX_NESTING = 256;

function restoreBinary(value: unknown, attachments: Buffer[], depth = 0): unknown {
  if (depth > MAX_NESTING) throw protocolError(`message nested deeper than ${MAX_NESTING} levels`);
  if (Array.isArray(value)) return value.map((v) => restoreBinary(v, attachments, depth + 1));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const index = record[BINARY_MARKER];
    if (index !== undefined && Object.keys(record).length === 1) {
      if (typeof index !== 'number' || attachments[index] === undefined) throw protocolError('reference to a missing attachment');
      return attachments[index];
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(record)) out[key] = restoreBinary(v, attachments, depth + 1);
    return out;
  }
  return value;
}

function protocolError(message: string): RpcError {
  return new RpcError('RPC_PROTOCOL', message);
}
