import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_VALUE_KEY, ParameterTool } from '../../../src/api/parameter-tool.js';

describe('ParameterTool', () => {
  it('reads --key value and -key value, flags, negative numbers and repeated keys', () => {
    const p = ParameterTool.fromArgs(['--input', 'a.txt', '-input', 'b.txt', '--verbose', '--offset', '-5', '--output', '/tmp/o']);
    assert.equal(p.get('input'), 'b.txt');
    assert.deepEqual(p.getMultiParameter('input'), ['a.txt', 'b.txt']);
    assert.equal(p.get('verbose'), NO_VALUE_KEY);
    assert.equal(p.getInt('offset'), -5);
    assert.equal(p.getRequired('output'), '/tmp/o');
    assert.equal(p.has('missing'), false);
    assert.equal(p.get('missing', 'dflt'), 'dflt');
    assert.equal(p.getInt('window', 250), 250);
  });

  it('fails clearly on bad input', () => {
    assert.throws(() => ParameterTool.fromArgs(['input']), /prefix keys with -- or -/);
    assert.throws(() => ParameterTool.fromArgs(['--']), /empty key/);
    assert.throws(() => ParameterTool.fromArgs([]).getRequired('port'), /No data for required key 'port'/);
    assert.throws(() => ParameterTool.fromArgs(['--port', 'abc']).getInt('port'), /not an integer/);
  });
});
