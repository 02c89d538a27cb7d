import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyGroupSnapshot } from '../../../../src/runtime/state/key-group-snapshot.js';
import { persistSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import { asOperatorId } from '../../../helpers/ids.js';

/** A snapshot over `groups` whose encodings are counted, and whose live value can be changed after it was taken. */
function counted(groups: string[]): { snapshot: KeyGroupSnapshot; live: string[]; encodes: number[]; settled: () => boolean } {
  const live = [...groups];
  const encodes: number[] = [];
  let done = false;
  const snapshot = new KeyGroupSnapshot(
    10,
    groups.length,
    (offset) => {
      encodes.push(offset);
      return live[offset] === '' ? undefined : new TextEncoder().encode(live[offset]);
    },
    () => {
      done = true;
    },
  );
  return { snapshot, live, encodes, settled: () => done };
}

describe('KeyGroupSnapshot', () => {
  it('encodes a group once, before it changes, and hands groups kept that way to the writer first', () => {
    const { snapshot, live, encodes } = counted(['a', 'b', '', 'd']);
    assert.equal(snapshot.nextReady(), undefined, 'nothing is encoded when the snapshot is taken');
    snapshot.preserve(3);
    live[3] = 'changed';
    snapshot.preserve(3);
    snapshot.preserve(1);
    live[1] = 'changed';
    assert.deepEqual(encodes, [3, 1]);
    assert.equal(snapshot.nextReady(), 3);
    assert.equal(new TextDecoder().decode(snapshot.chunk(3) as Uint8Array), 'd');
    assert.equal(snapshot.nextReady(), 1);
    assert.equal(new TextDecoder().decode(snapshot.chunk(1) as Uint8Array), 'b');
    assert.equal(snapshot.nextReady(), undefined);
    assert.equal(snapshot.chunk(2), undefined, 'an empty group has no chunk');
    assert.deepEqual(encodes, [3, 1, 2]);
  });

  it('tells the backend once no group is pending, so it stops tracking the snapshot', () => {
    const { snapshot, settled } = counted(['a', 'b']);
    snapshot.preserve(0);
    assert.equal(settled(), false);
    snapshot.chunk(1);
    assert.equal(settled(), true);
  });

  it('tells its owner once when it is released, and not before', () => {
    let released = 0;
    const snapshot = new KeyGroupSnapshot(
      0,
      2,
      () => new Uint8Array([1]),
      () => undefined,
      {
        onReleased: () => released++,
      },
    );
    snapshot.chunk(0);
    snapshot.chunk(1);
    assert.equal(released, 0, 'every group taken is not yet the end: the writer still holds the bytes');
    snapshot.release();
    snapshot.release();
    assert.equal(released, 1);
  });

  it('the writer takes kept groups first, yet the handles list every group in order with its own bytes', async () => {
    const { snapshot, live } = counted(['g0', 'g1', 'g2', 'g3', 'g4']);
    snapshot.preserve(4);
    live[4] = 'later';
    snapshot.preserve(2);
    live[2] = 'later';
    const persisted = await persistSnapshot([{ operatorId: asOperatorId('op'), keyGroups: snapshot }], { kind: 'memory' });
    const slices = persisted.operators[0]!.keyGroups!.slices;
    assert.equal(persisted.operators[0]!.keyGroups!.start, 10);
    assert.deepEqual(
      slices.map((slice) => (slice?.kind === 'inline' ? new TextDecoder().decode(slice.bytes) : slice)),
      ['g0', 'g1', 'g2', 'g3', 'g4'],
    );
  });
});
