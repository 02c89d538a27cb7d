import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrintSinkOperator, printPrefix } from '../../../../src/runtime/sinks/print-sink-operator.js';
import { openFresh, singleOperatorChain, testServices } from '../testing.js';

describe('print()', () => {
  it('prefixes lines as Flink: none at parallelism 1, N> when parallel, identifier forms', () => {
    assert.equal(printPrefix(undefined, 0, 1), '');
    assert.equal(printPrefix(undefined, 1, 2), '2> ');
    assert.equal(printPrefix('out', 0, 1), 'out> ');
    assert.equal(printPrefix('out', 2, 3), 'out:3> ');
  });

  it('renders records by their type as Java would', async () => {
    const lines: string[] = [];
    const { chain } = singleOperatorChain(() => new PrintSinkOperator(undefined), {
      services: testServices({ lines, subtaskIndex: 1, parallelism: 2 }),
      inputType: { kind: 'TUPLE', fields: [{ kind: 'INT' }, { kind: 'INT' }, { kind: 'DOUBLE' }, { kind: 'LONG' }] },
    });
    await openFresh(chain);
    chain.processElement([0, 55, 50, 1424951918630], 1);
    chain.processElement([1, 45, 12.5, 1424951918632], 2);
    assert.deepEqual(lines, ['2> (0,55,50.0,1424951918630)', '2> (1,45,12.5,1424951918632)']);
  });
});
