import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OperatorStateBackend } from '../../../../src/runtime/state/operator-state-backend.js';

describe('OperatorStateBackend', () => {
  it('snapshots every list state with its mode, each entry encoded on its own', () => {
    const b = new OperatorStateBackend();
    b.getListState<number>('offsets').update([1, 2, 3]);
    b.getListState<string>('everyone', 'UNION').add('u');
    b.getListState<{ a: number }>('copy', 'BROADCAST').add({ a: 1 });
    const snap = b.snapshot();
    assert.deepEqual(
      snap.map((s) => [s.name, s.mode, s.entries.length]),
      [
        ['offsets', 'SPLIT_DISTRIBUTE', 3],
        ['everyone', 'UNION', 1],
        ['copy', 'BROADCAST', 1],
      ],
    );
  });

  it('restores the entries it is given, decoded lazily with the state type', () => {
    const old = new OperatorStateBackend();
    old
      .getListState<[number, string]>('pairs', 'SPLIT_DISTRIBUTE', { kind: 'TUPLE', fields: [{ kind: 'INT' }, { kind: 'STRING' }] })
      .update([
        [1, 'a'],
        [2, 'b'],
      ]);
    const snap = old.snapshot();
    const fresh = new OperatorStateBackend();
    fresh.restore(snap);
    assert.equal(fresh.isRestored, true);
    assert.deepEqual(
      [...fresh.getListState('pairs', 'SPLIT_DISTRIBUTE', { kind: 'TUPLE', fields: [{ kind: 'INT' }, { kind: 'STRING' }] }).get()],
      [
        [1, 'a'],
        [2, 'b'],
      ],
    );
  });

  it('passes restored states it never opened on to the next snapshot', () => {
    const old = new OperatorStateBackend();
    old.getListState<number>('kept').update([7]);
    const fresh = new OperatorStateBackend();
    fresh.restore(old.snapshot());
    const again = new OperatorStateBackend();
    again.restore(fresh.snapshot());
    assert.deepEqual([...again.getListState<number>('kept').get()], [7]);
  });

  it('refuses to open a state with another mode than it was checkpointed with', () => {
    const old = new OperatorStateBackend();
    old.getListState<number>('s', 'UNION').add(1);
    const fresh = new OperatorStateBackend();
    fresh.restore(old.snapshot());
    assert.throws(() => fresh.getListState('s', 'SPLIT_DISTRIBUTE'), /UNION/);
  });
});
