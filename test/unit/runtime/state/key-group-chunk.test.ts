import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSerializer, GENERIC_SERIALIZER } from '../../../../src/runtime/serialization/index.js';
import { KeyGroupChunkWriter, readKeyGroupChunk, readStateSection } from '../../../../src/runtime/state/key-group-chunk.js';
import { VOID_NAMESPACE } from '../../../../src/runtime/state/namespace.js';
import { StateError } from '../../../../src/runtime/runtime-errors.js';
import { TimeWindow } from '../../../../src/runtime/windowing/windows.js';

const KEYS = createSerializer({ kind: 'INT' });
const STRINGS = createSerializer({ kind: 'STRING' });

function chunkOf(entries: Array<[number, string]>): Uint8Array {
  const writer = new KeyGroupChunkWriter(KEYS);
  writer.begin(7);
  writer.writeState('payload', 'value', STRINGS, (visit) => {
    for (const [key, value] of entries) visit(key, VOID_NAMESPACE, value);
  });
  writer.writeState('empty', 'value', STRINGS, () => undefined);
  writer.writeTimers('window-timers', [{ key: 3, namespace: new TimeWindow(0, 10), timestamp: 9, domain: 0 }]);
  return writer.finish()!;
}

describe('key-group chunks', () => {
  it('round-trips entries and timers, leaving out empty sections', () => {
    const chunk = readKeyGroupChunk(
      chunkOf([
        [1, 'a'],
        [2, 'ü'.repeat(100)],
      ]),
      KEYS,
    );
    assert.equal(chunk.keyGroup, 7);
    assert.deepEqual(
      chunk.states.map((s) => [s.name, s.kind, s.count]),
      [['payload', 'value', 2]],
    );
    const read: Array<[unknown, unknown]> = [];
    readStateSection(chunk.states[0]!, KEYS, STRINGS, (key, namespace, value) => {
      assert.equal(namespace, VOID_NAMESPACE);
      read.push([key, value]);
    });
    assert.deepEqual(read, [
      [1, 'a'],
      [2, 'ü'.repeat(100)],
    ]);
    const timer = chunk.timers[0]!.timers[0]!;
    assert.deepEqual([chunk.timers[0]!.service, timer.key, timer.timestamp, timer.domain], ['window-timers', 3, 9, 0]);
    assert.ok(timer.namespace instanceof TimeWindow && timer.namespace.end === 10);
  });

  it('gives nothing for a group without state', () => {
    const writer = new KeyGroupChunkWriter(GENERIC_SERIALIZER);
    writer.begin(0);
    writer.writeState('s', 'list', STRINGS, () => undefined);
    assert.equal(writer.finish(), undefined);
  });

  it('copies unregistered sections byte for byte into the next chunk', () => {
    const original = chunkOf([
      [5, 'five'],
      [6, 'six'],
    ]);
    const sections = readKeyGroupChunk(original, KEYS).states;
    const writer = new KeyGroupChunkWriter(KEYS);
    writer.begin(7);
    writer.writeEncodedState('payload', 'value', sections);
    writer.writeTimers('window-timers', [{ key: 3, namespace: new TimeWindow(0, 10), timestamp: 9, domain: 0 }]);
    assert.deepEqual(Buffer.from(writer.finish()!), Buffer.from(original));
  });

  it('refuses truncated, over-long and foreign chunks with a StateError', () => {
    const good = chunkOf([[1, 'a']]);
    assert.throws(() => readKeyGroupChunk(good.subarray(0, good.length - 4), KEYS), /truncated|corrupt/);
    const extra = Buffer.concat([good, Buffer.from([1])]);
    assert.throws(
      () => readKeyGroupChunk(extra, KEYS),
      (error: unknown) => error instanceof StateError && /after the end/.test(error.message),
    );
    const foreign = Buffer.from(good);
    foreign[0] = 1;
    assert.throws(() => readKeyGroupChunk(foreign, KEYS), /not in the format this version writes/);
    const lying = Buffer.from(good);
    // The first section's count follows tag, name ("payload") and kind ("value"): claim 3 entries where there is 1.
    lying.writeInt32LE(3, 2 + 1 + 8 + 6);
    const section = readKeyGroupChunk(lying, KEYS).states[0]!;
    assert.throws(() => readStateSection(section, KEYS, STRINGS, () => undefined), /truncated|corrupt/);
  });
});
