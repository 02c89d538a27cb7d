/**
 * The encoded form of one key group's keyed state: every state's entries and every timer whose key
 * falls in the group. Keys, namespaces and values go through their serializers straight into one
 * buffer (no per-entry byte arrays), and each state's entries form one sized section, so a restore
 * can keep a section encoded until the operator registers the state and its value type is known.
 *
 * Layout: varuint version (2: a full group, 3: a delta on top of earlier chunks), varuint key group,
 * then sections until END, applied in order:
 *   STATE:   string name, string kind, int32 count, int32 byte size, entries (key, namespace, value) put
 *   REMOVED: string name, string kind, int32 count, int32 byte size, entries (key, namespace) removed
 *   TIMERS:  string service, int32 count, int32 byte size, timers (key, namespace, float64 time, byte domain)
 *   TIMERS_RESET (delta only, no body): the group's earlier timers are dropped; TIMERS sections follow
 * A full chunk may hold REMOVED sections too: restored state nobody registered yet is carried as
 * the chain of sections it was restored from.
 */
import { DataInputReader, DataOutputWriter, GENERIC_SERIALIZER, type TypeSerializer } from '../serialization/index.js';
import { StateError } from '../runtime-errors.js';
import { namespaceFromPlain, namespaceToPlain, type Namespace } from './namespace.js';
import type { StateKind } from './state-descriptors.js';
import type { EntryVisitor } from './state-table.js';
import type { StateValueCodec } from './state-value-codec.js';

const FORMAT_VERSION = 2;
const DELTA_VERSION = 3;
const END = 0;
const STATE = 1;
const TIMERS = 2;
const REMOVED = 3;
const TIMERS_RESET = 4;
const STATE_KINDS: ReadonlySet<string> = new Set<StateKind>(['value', 'list', 'reducing', 'aggregating', 'map']);

/** A timer as snapshots carry it: 0 for event time, 1 for processing time. */
export interface ChunkTimer {
  readonly key: unknown;
  readonly namespace: Namespace;
  readonly timestamp: number;
  readonly domain: number;
}

/** One state's entries in one key group, still encoded (a view into the chunk's bytes). */
export interface EncodedStateSection {
  readonly name: string;
  readonly kind: StateKind;
  readonly count: number;
  readonly bytes: Uint8Array;
  /** The entries are removals: keys and namespaces without values. */
  readonly removed?: boolean;
}

/** A removal as a delta writes it: the original key and namespace of an entry that is gone. */
export interface RemovedEntry {
  readonly key: unknown;
  readonly namespace: Namespace;
}

/** A chunk as a restore reads it: state sections left encoded, timers decoded. */
export interface DecodedKeyGroupChunk {
  readonly keyGroup: number;
  /** A delta applies on top of the group's earlier chunks; a full chunk starts from an empty group. */
  readonly delta: boolean;
  /** A delta that replaces the group's timers: earlier timers are dropped before `timers` apply. */
  readonly timersReset: boolean;
  readonly states: readonly EncodedStateSection[];
  readonly timers: ReadonlyArray<{ readonly service: string; readonly timers: readonly ChunkTimer[] }>;
}

/** Builds the chunks of one snapshot, reusing one buffer; each finished chunk is its own copy. */
export class KeyGroupChunkWriter {
  private readonly out = new DataOutputWriter(64 * 1024);
  private sections = 0;
  /** The codec of the section `visit` writes entries into, and how many it wrote. */
  private codec: StateValueCodec | undefined;
  private count = 0;
  /** Writes one entry into the open section. */
  private readonly visit: EntryVisitor = (key, namespace, value) => {
    this.keys.write(this.out, key);
    GENERIC_SERIALIZER.write(this.out, namespaceToPlain(namespace));
    this.codec!.write(this.out, value);
    this.count++;
  };

  constructor(private readonly keys: TypeSerializer<unknown>) {}

  begin(keyGroup: number, delta = false): void {
    this.out.reset();
    this.out.writeVarUint(delta ? DELTA_VERSION : FORMAT_VERSION);
    this.out.writeVarUint(keyGroup);
    this.sections = 0;
  }

  /**
   * Writes the live entries `source` hands to its visitor (one function for every section, so the
   * walk over a group calls a single target); nothing when there are none.
   */
  writeState(name: string, kind: StateKind, codec: StateValueCodec, source: (visit: EntryVisitor) => void): void {
    this.section(STATE, name, kind, (): number => {
      this.codec = codec;
      this.count = 0;
      source(this.visit);
      this.codec = undefined;
      return this.count;
    });
  }

  /** Writes the removals of a state's entries (a delta); nothing when there are none. */
  writeRemovals(name: string, kind: StateKind, removed: Iterable<RemovedEntry>): void {
    const out = this.out;
    this.section(REMOVED, name, kind, (): number => {
      let count = 0;
      for (const entry of removed) {
        this.keys.write(out, entry.key);
        GENERIC_SERIALIZER.write(out, namespaceToPlain(entry.namespace));
        count++;
      }
      return count;
    });
  }

  /** Restored sections of a state nobody registered yet, byte for byte and in order (puts and removals). */
  writeEncodedState(name: string, kind: StateKind, sections: readonly EncodedStateSection[]): void {
    for (const section of sections) {
      this.section(section.removed === true ? REMOVED : STATE, name, kind, (): number => {
        this.out.writeBytes(section.bytes);
        return section.count;
      });
    }
  }

  /** A delta's group timers are written whole: this drops the earlier ones first. */
  resetTimers(): void {
    this.out.writeByte(TIMERS_RESET);
    this.sections++;
  }

  /** Writes one timer service's timers of the group; nothing when there are none. */
  writeTimers(service: string, timers: Iterable<ChunkTimer>): void {
    const out = this.out;
    this.section(TIMERS, service, undefined, (): number => {
      let count = 0;
      for (const timer of timers) {
        this.keys.write(out, timer.key);
        GENERIC_SERIALIZER.write(out, namespaceToPlain(timer.namespace));
        out.writeFloat64(timer.timestamp);
        out.writeByte(timer.domain);
        count++;
      }
      return count;
    });
  }

  /**
   * The finished chunk, undefined when the group holds nothing. With `borrow`, a view of the
   * writer's buffer, valid until the next `begin`: a caller that copies the bytes at once spares an
   * allocation per group, which at 1 GB of state set off a full garbage collection every 64 MB.
   */
  finish(borrow = false): Uint8Array | undefined {
    if (this.sections === 0) return undefined;
    this.out.writeByte(END);
    return borrow ? this.out.view() : this.out.toBuffer();
  }

  // Header, then the body; an empty body takes the header back out.
  private section(tag: number, name: string, kind: StateKind | undefined, body: () => number): void {
    const out = this.out;
    const start = out.position;
    out.writeByte(tag);
    out.writeString(name);
    if (kind !== undefined) out.writeString(kind);
    const countAt = out.reserveInt32();
    const sizeAt = out.reserveInt32();
    const bodyStart = out.position;
    const count = body();
    if (count === 0) {
      out.rewind(start);
      return;
    }
    out.patchInt32(countAt, count);
    out.patchInt32(sizeAt, out.position - bodyStart);
    this.sections++;
  }
}

/** Reads a chunk written by KeyGroupChunkWriter; `keys` decodes the timers' keys. */
export function readKeyGroupChunk(bytes: Uint8Array, keys: TypeSerializer<unknown>): DecodedKeyGroupChunk {
  const inp = new DataInputReader(bytes);
  const version = inp.readVarUint();
  if (version !== FORMAT_VERSION && version !== DELTA_VERSION) {
    throw new StateError('A keyed-state chunk of the checkpoint is not in the format this version writes', {
      suggestion: 'restore from a checkpoint taken by the same tsflink version',
    });
  }
  const keyGroup = inp.readVarUint();
  const states: EncodedStateSection[] = [];
  const timers: { service: string; timers: ChunkTimer[] }[] = [];
  let timersReset = false;
  for (let tag = inp.readByte(); tag !== END; tag = inp.readByte()) {
    if (tag === TIMERS_RESET && version === DELTA_VERSION) {
      timersReset = true;
      continue;
    }
    if (tag !== STATE && tag !== TIMERS && tag !== REMOVED) throw corrupt(`unknown section tag ${tag}`);
    const name = inp.readString();
    const kind = tag !== TIMERS ? inp.readString() : undefined;
    if (kind !== undefined && !STATE_KINDS.has(kind)) throw corrupt(`unknown state kind '${kind}'`);
    const count = inp.readInt32();
    const size = inp.readInt32();
    if (count < 0 || size < 0 || size > inp.remaining()) throw corrupt(`section '${name}' claims ${size} bytes, ${inp.remaining()} remain`);
    const body = inp.readBytes(size);
    if (kind === undefined) timers.push({ service: name, timers: readTimers(body, count, keys) });
    else if (tag === REMOVED) states.push({ name, kind: kind as StateKind, count, bytes: body, removed: true });
    else states.push({ name, kind: kind as StateKind, count, bytes: body });
  }
  if (inp.remaining() !== 0) throw corrupt(`${inp.remaining()} byte(s) after the end`);
  return { keyGroup, delta: version === DELTA_VERSION, timersReset, states, timers };
}

/** Whether finished chunk bytes are a delta (cheap: the version is the first byte). */
export function isDeltaChunk(bytes: Uint8Array): boolean {
  return bytes[0] === DELTA_VERSION;
}

/**
 * Decodes a state section's entries, handing each to `put` (or, for a removal section, to
 * `remove`); the section must hold exactly `count`.
 */
export function readStateSection(
  section: EncodedStateSection,
  keys: TypeSerializer<unknown>,
  codec: StateValueCodec,
  put: (key: unknown, namespace: Namespace, value: unknown) => void,
  remove?: (key: unknown, namespace: Namespace) => void,
): void {
  const inp = new DataInputReader(section.bytes);
  const removed = section.removed === true;
  for (let i = 0; i < section.count; i++) {
    const key = keys.read(inp);
    const namespace = namespaceFromPlain(GENERIC_SERIALIZER.read(inp));
    if (!removed) put(key, namespace, codec.read(inp));
    else if (remove === undefined) throw corrupt(`state '${section.name}' has removals where none are allowed`);
    else remove(key, namespace);
  }
  if (inp.remaining() !== 0) throw corrupt(`state '${section.name}' has ${inp.remaining()} byte(s) beyond its ${section.count} entries`);
}

function readTimers(body: Uint8Array, count: number, keys: TypeSerializer<unknown>): ChunkTimer[] {
  const inp = new DataInputReader(body);
  const timers: ChunkTimer[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys.read(inp);
    const namespace = namespaceFromPlain(GENERIC_SERIALIZER.read(inp));
    timers.push({ key, namespace, timestamp: inp.readFloat64(), domain: inp.readByte() });
  }
  if (inp.remaining() !== 0) throw corrupt(`a timer section has ${inp.remaining()} byte(s) beyond its ${count} timers`);
  return timers;
}

function corrupt(detail: string): StateError {
  return new StateError(`A keyed-state chunk of the checkpoint is corrupt: ${detail}`, {
    suggestion: 'restore from an earlier checkpoint',
  });
}
