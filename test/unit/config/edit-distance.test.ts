import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance } from '../../../src/config/edit-distance.js';
import { suggestKey } from '../../../src/config/index.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
    assert.equal(editDistance('rest.port', 'rest.prot'), 2);
  });
});

describe('suggestKey', () => {
  it('suggests the nearest declared key, ignoring case', () => {
    assert.equal(suggestKey('taskmanager.numberoftaskslots'), 'taskmanager.numberOfTaskSlots');
    assert.equal(suggestKey('paralellism.default'), 'parallelism.default');
    assert.equal(suggestKey('execution.checkpointing.intervall'), 'execution.checkpointing.interval');
  });

  it('suggests nothing for unrelated keys', () => {
    assert.equal(suggestKey('foo.bar'), undefined);
    assert.equal(suggestKey('kubernetes.namespace'), undefined);
  });
});
