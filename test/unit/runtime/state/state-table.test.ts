import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EntryKeeper } from '../../../../src/runtime/state/entry-keeper.js';
import { VOID_NAMESPACE, type Namespace } from '../../../../src/runtime/state/namespace.js';
import { StateTable } from '../../../../src/runtime/state/state-table.js';
import { TimeWindow } from '../../../../src/runtime/windowing/windows.js';

type Visited = [unknown, Namespace, unknown];

function visited(table: StateTable, g: number, keeper?: EntryKeeper): Visited[] {
  const out: Visited[] = [];
  table.visitGroup(g, (key, namespace, value) => out.push([key, namespace, value]), keeper?.barrierValues(g));
  return out.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
}

describe('StateTable', () => {
  it('hands a snapshot the original key of a value whose canonical key differs, and forgets it with the value', () => {
    const table = new StateTable('s', 'value', 4);
    const composite = [1, 'a'];
    table.put(0, '\u0001a', composite, VOID_NAMESPACE, 'v1');
    table.put(0, 7, 7, VOID_NAMESPACE, 'v2');
    assert.equal(table.get(0, '\u0001a', ''), 'v1');
    assert.deepEqual(visited(table, 0), [
      [composite, VOID_NAMESPACE, 'v1'],
      [7, VOID_NAMESPACE, 'v2'],
    ]);
    table.remove(0, '\u0001a', '');
    table.put(0, '\u0001a', '\u0001a', VOID_NAMESPACE, 'v3'); // the same slot, now with a primitive key
    assert.deepEqual(visited(table, 0), [
      [7, VOID_NAMESPACE, 'v2'],
      ['\u0001a', VOID_NAMESPACE, 'v3'],
    ]);
    assert.equal(table.size(), 2);
  });

  it('counts a version only when an entry is added or removed, not when a value changes', () => {
    const table = new StateTable('s', 'value', 4);
    table.put(1, 5, 5, VOID_NAMESPACE, 1);
    const afterAdd = table.version;
    table.put(1, 5, 5, VOID_NAMESPACE, 2);
    assert.equal(table.version, afterAdd);
    table.remove(1, 5, '');
    table.remove(1, 5, '');
    assert.equal(table.version, afterAdd + 1);
    assert.equal(table.get(1, 5, ''), undefined);
  });

  it('shows a frozen group as it was at the barrier: changed, added, removed and re-added entries, with and without a namespace', () => {
    const table = new StateTable('s', 'value', 4);
    const w = new TimeWindow(0, 10);
    table.put(2, 1, 1, VOID_NAMESPACE, 'a1');
    table.put(2, 2, 2, VOID_NAMESPACE, 'a2');
    table.put(2, 3, 3, VOID_NAMESPACE, 'a3');
    table.put(2, 4, 4, VOID_NAMESPACE, 'a4');
    table.put(2, 1, 1, w, 'aw1');
    table.put(2, 2, 2, w, 'aw2');
    const atBarrier = visited(table, 2);
    const keeper = new EntryKeeper();
    table.keepers.push(keeper);
    keeper.track(2);

    table.put(2, 1, 1, VOID_NAMESPACE, 'b1'); // changed twice: the first value is kept
    table.put(2, 1, 1, VOID_NAMESPACE, 'c1');
    table.remove(2, 2, ''); // removed
    table.remove(2, 3, ''); // removed, then added again
    table.put(2, 3, 3, VOID_NAMESPACE, 'b3');
    table.put(2, 9, 9, VOID_NAMESPACE, 'b9'); // added, changed, removed, added again
    table.put(2, 9, 9, VOID_NAMESPACE, 'c9');
    table.remove(2, 9, '');
    table.put(2, 9, 9, VOID_NAMESPACE, 'd9');
    table.put(2, 4, 4, VOID_NAMESPACE, 'b4'); // changed, removed, then added again
    table.remove(2, 4, '');
    table.put(2, 4, 4, VOID_NAMESPACE, 'c4');
    table.put(2, 1, 1, w, 'bw1'); // a namespaced change
    table.remove(2, 2, w.nsKey); // a namespaced removal, then a new entry in its place
    table.put(2, 2, 2, w, 'bw2');

    assert.deepEqual(visited(table, 2, keeper), atBarrier);
    assert.deepEqual(
      visited(table, 2).map(([, , value]) => value),
      ['b3', 'bw1', 'bw2', 'c1', 'c4', 'd9'],
      'the live group has every change',
    );
    keeper.release(2);
    assert.deepEqual(visited(table, 2, keeper), visited(table, 2), 'a released group is seen live');
  });

  it('keeps nothing for a group that is not frozen', () => {
    const table = new StateTable('s', 'value', 4);
    const keeper = new EntryKeeper();
    table.keepers.push(keeper);
    keeper.track(0);
    table.put(1, 1, 1, VOID_NAMESPACE, 'x');
    table.put(1, 1, 1, VOID_NAMESPACE, 'y');
    table.remove(1, 1, '');
    assert.equal(keeper.barrierValues(1), undefined);
    assert.deepEqual(keeper.barrierValues(0), { values: new Map(), removed: [] });
  });
});
