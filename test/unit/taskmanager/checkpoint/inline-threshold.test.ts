import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { StateSlice } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { KeyGroupSnapshot } from '../../../../src/runtime/state/key-group-snapshot.js';
import { ValueStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { ValueState } from '../../../../src/runtime/state/state-types.js';
import { persistSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import { asOperatorId } from '../../../helpers/ids.js';

const INT = { kind: 'INT' } as const;
const dir = mkdtempSync(join(tmpdir(), 'tsflink-inline-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A snapshot whose groups hold `sizes` bytes each (group g filled with the byte g; 0: an empty group). */
function groups(sizes: number[]): KeyGroupSnapshot {
  return new KeyGroupSnapshot(
    0,
    sizes.length,
    (g) => (sizes[g] === 0 ? undefined : new Uint8Array(sizes[g]!).fill(g)),
    () => undefined,
  );
}

/** The bytes a slice stands for, read from its file when it has one. */
function bytesOf(slice: StateSlice | null | undefined): number[] {
  if (slice === null || slice === undefined) return [];
  if (slice.kind === 'inline') return [...slice.bytes];
  return [...readFileSync(slice.path).subarray(slice.offset, slice.offset + slice.length)];
}

describe('execution.checkpointing.data-inline-threshold', () => {
  it('inlines a snapshot below the threshold: no file, no local copy, and the chains say so too', async () => {
    const path = join(dir, 'chk-1', 'small');
    const copyPath = join(dir, 'local', 'chk-1', 'small');
    const op = asOperatorId('op');
    const persisted = await persistSnapshot(
      [
        {
          operatorId: op,
          keyGroups: groups([10, 0, 20]),
          listStates: [{ name: 'offsets', mode: 'SPLIT_DISTRIBUTE', entries: [Uint8Array.of(7)] }],
        },
      ],
      { kind: 'file', path, copyPath, inlineBelow: 100 },
    );
    const handle = persisted.operators[0]!;
    assert.deepEqual(
      handle.keyGroups!.slices.map((slice) => slice?.kind ?? null),
      ['inline', null, 'inline'],
    );
    assert.deepEqual(bytesOf(handle.keyGroups!.slices[2]), new Array<number>(20).fill(2));
    assert.equal(handle.listStates![0]!.entries[0]!.kind, 'inline');
    assert.deepEqual(
      persisted.chains.get(op)!.map((chain) => chain.base?.kind ?? null),
      ['inline', null, 'inline'],
    );
    assert.equal(existsSync(path), false, 'no snapshot file');
    assert.equal(existsSync(copyPath), false, 'no local copy');
  });

  it('writes the whole snapshot to its file once it grows past the threshold, chunks held before it included', async () => {
    const path = join(dir, 'chk-2', 'large');
    const sizes = [30, 40, 50, 5000, 60];
    const persisted = await persistSnapshot([{ operatorId: asOperatorId('op'), keyGroups: groups(sizes) }], {
      kind: 'file',
      path,
      inlineBelow: 100,
    });
    const slices = persisted.operators[0]!.keyGroups!.slices;
    assert.deepEqual(
      slices.map((slice) => slice?.kind),
      ['file', 'file', 'file', 'file', 'file'],
    );
    slices.forEach((slice, g) => assert.deepEqual(bytesOf(slice), new Array<number>(sizes[g]!).fill(g), `group ${g}`));
    assert.equal(readFileSync(path).byteLength, 5180);
  });

  it("inlines a real backend's groups exactly, though the encoder lends every group the same buffer", async () => {
    const count = new ValueStateDescriptor<number>('count', INT);
    const value = (b: HeapKeyedStateBackend, key: number): ValueState<number> => {
      b.setCurrentKey(key);
      return b.getPartitionedState(count) as unknown as ValueState<number>;
    };
    const live = new HeapKeyedStateBackend(INT, 128, computeKeyGroupRangeForOperatorIndex(128, 1, 0));
    for (let key = 0; key < 50; key++) value(live, key).update(key);
    const snapshot = live.snapshot(1);
    for (let key = 0; key < 50; key += 3) value(live, key).update(key + 1000); // changes while the write runs
    const persisted = await persistSnapshot([{ operatorId: asOperatorId('op'), keyGroups: snapshot }], {
      kind: 'file',
      path: join(dir, 'chk-4', 'counts'),
      inlineBelow: 20 * 1024,
    });
    const slices = persisted.operators[0]!.keyGroups!.slices.filter((slice) => slice !== null);
    assert.ok(slices.length > 1 && slices.every((slice) => slice.kind === 'inline'));
    const restored = new HeapKeyedStateBackend(INT, 128, computeKeyGroupRangeForOperatorIndex(128, 1, 0));
    restored.restore(slices.map((slice) => Uint8Array.from(bytesOf(slice))));
    assert.deepEqual(
      Array.from({ length: 50 }, (_, key) => value(restored, key).value()),
      Array.from({ length: 50 }, (_, key) => key),
    );
  });

  it('writes every snapshot to a file at threshold 0', async () => {
    const path = join(dir, 'chk-3', 'tiny');
    const persisted = await persistSnapshot([{ operatorId: asOperatorId('op'), keyGroups: groups([1]) }], {
      kind: 'file',
      path,
      inlineBelow: 0,
    });
    assert.equal(persisted.operators[0]!.keyGroups!.slices[0]!.kind, 'file');
    assert.deepEqual([...readFileSync(path)], [0]);
  });
});
