/**
 * The encoded form of one key group's keyed state: every state's entries and every timer whose key
 * falls in the group, each with its original key so a restoring subtask can rebuild it.
 */
import { decodeValue, encodeValue } from '../serialization/index.js';
import { StateError } from '../runtime-errors.js';
import type { StateKind } from './state-descriptors.js';

/** One stored entry: the encoded key, the plain namespace, the encoded value. */
export type ChunkStateEntry = [keyBytes: Uint8Array, namespace: unknown, valueBytes: Uint8Array];
/** One timer: the encoded key, the plain namespace, its time, 0 for event time or 1 for processing time. */
export type ChunkTimer = [keyBytes: Uint8Array, namespace: unknown, timestamp: number, domain: number];

/** The decoded content of one key group's chunk. */
export interface KeyGroupChunk {
  readonly keyGroup: number;
  readonly states: ReadonlyArray<{ readonly name: string; readonly kind: StateKind; readonly entries: readonly ChunkStateEntry[] }>;
  readonly timers: ReadonlyArray<{ readonly service: string; readonly timers: readonly ChunkTimer[] }>;
}

const FORMAT_VERSION = 1;

/** Encodes one key group's chunk (the generic codec carries the nested byte arrays). */
export function encodeKeyGroupChunk(chunk: KeyGroupChunk): Uint8Array {
  return encodeValue([
    FORMAT_VERSION,
    chunk.keyGroup,
    chunk.states.map((s) => [s.name, s.kind, s.entries]),
    chunk.timers.map((t) => [t.service, t.timers]),
  ]);
}

/** Decodes a chunk written by encodeKeyGroupChunk. */
export function decodeKeyGroupChunk(bytes: Uint8Array): KeyGroupChunk {
  const raw = decodeValue(bytes);
  if (!Array.isArray(raw) || raw[0] !== FORMAT_VERSION || raw.length !== 4) {
    throw new StateError('A keyed-state chunk of the checkpoint is not in the format this version writes', {
      suggestion: 'restore from a checkpoint taken by the same tsflink version',
    });
  }
  const states = (raw[2] as [string, StateKind, ChunkStateEntry[]][]).map(([name, kind, entries]) => ({ name, kind, entries }));
  const timers = (raw[3] as [string, ChunkTimer[]][]).map(([service, t]) => ({ service, timers: t }));
  return { keyGroup: raw[1] as number, states, timers };
}
