import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describe as describeDifference, diffShapes, shapeOf } from '../../../bench/compare-flink/json-shape.js';
import { knownDifference } from '../../../bench/compare-flink/known-differences.js';
import { normalizeOutput } from '../../../bench/compare-flink/observe.js';

describe('JSON shapes for compare-flink', () => {
  it('records keys, types and nesting, merges array elements and id-keyed maps, and keeps enum values', () => {
    const shape = shapeOf({
      jid: 'ab'.repeat(16),
      state: 'RUNNING',
      count: 3,
      vertices: [
        { name: 'Source', status: 'RUNNING' },
        { name: 'Sink', status: 'FINISHED', extra: true },
      ],
      byId: { ['0123456789abcdef'.repeat(2)]: { n: 1 } },
    });
    assert.deepEqual(shape, {
      $: 'object',
      '$.jid': 'string',
      '$.state': 'string=RUNNING',
      '$.count': 'number',
      '$.vertices': 'array',
      '$.vertices[]': 'object',
      '$.vertices[].name': 'string',
      '$.vertices[].status': 'string=FINISHED | string=RUNNING',
      '$.vertices[].extra': 'boolean',
      '$.byId': 'object',
      '$.byId.{*}': 'object',
      '$.byId.{*}.n': 'number',
    });
  });

  it('reports missing, extra and retyped fields, but not ids, counts or elements of a list one side saw empty', () => {
    const flink = shapeOf({ id: 'a', n: 1, p50: '3', gone: true, list: [], nested: { x: 1 } });
    const ours = shapeOf({ id: 'b', n: 7, p50: 3, extra: 'x', list: [{ y: 1 }], nested: { x: 'one' } });
    assert.deepEqual(diffShapes(flink, ours).map(describeDifference), [
      '$.extra: only tsflink has it (string)',
      '$.gone: tsflink lacks it (Flink: boolean)',
      '$.nested.x: Flink number, tsflink string',
      '$.p50: Flink string, tsflink number',
    ]);
  });

  it('lets a null on either side stand for any value only when asked to', () => {
    const flink = shapeOf({ latest: { failed: null } });
    const ours = shapeOf({ latest: { failed: { id: 3 } } });
    assert.equal(diffShapes(flink, ours).length, 2);
    assert.deepEqual(diffShapes(flink, ours, { nullable: true }), []);
  });

  it('explains known differences by endpoint and path, and nothing else', () => {
    assert.equal(knownDifference('/overview', '$.taskmanagers-blocked')?.kind, 'deliberate');
    assert.equal(knownDifference('/jobs/:jobid/resource-requirements')?.kind, 'deliberate');
    assert.equal(knownDifference('/jobmanager/thread-dump'), undefined);
    assert.equal(knownDifference('/overview', '$.jobs-running'), undefined);
    assert.equal(knownDifference('/jobs/:jobid/vertices/:vertexid', '$.status'), undefined);
  });

  it('normalizes what differs between runs out of CLI output', () => {
    assert.equal(
      normalizeOutput(`Savepoint completed. Path: file:/tmp/x/savepoint-1\n03.12.2026 10:00:01 : ${'f'.repeat(32)} : Job (RUNNING)   \n`),
      'Savepoint completed. Path: <path>\n<time> : <id> : Job (RUNNING)',
    );
  });
});
