import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitProgramArgs } from '../../../../src/rest/handlers/program-args.js';
import { RestError } from '../../../../src/rest/rest-error.js';

describe("Flink's single-string programArgs", () => {
  it('splits on whitespace, with quotes grouping a word and removed', () => {
    assert.deepEqual(splitProgramArgs('  --input a.txt   --name "two words" --empty \'\' x'), [
      '--input',
      'a.txt',
      '--name',
      'two words',
      '--empty',
      '',
      'x',
    ]);
    assert.deepEqual(splitProgramArgs('a"b c"d'), ['ab cd']);
    assert.deepEqual(splitProgramArgs(''), []);
  });

  it('refuses an unclosed quote with a 400 naming it', () => {
    assert.throws(
      () => splitProgramArgs('--name "open'),
      (e: unknown) => e instanceof RestError && e.status === 400 && /unclosed " quote/.test(e.message),
    );
  });
});
