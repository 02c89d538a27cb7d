import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasErrorCode } from '../../../src/core/error-codes.js';
import { deserializeError, serializeError, TsFlinkError } from '../../../src/core/errors.js';

describe('error codes', () => {
  it('match an error here and the same error after it crossed a process boundary', () => {
    const local = new TsFlinkError('STATE_CORRUPT', 'chk-3 is damaged');
    const remote = deserializeError(serializeError(local));
    for (const error of [local, remote, serializeError(local)]) {
      assert.equal(hasErrorCode(error, 'STATE_CORRUPT'), true);
      assert.equal(hasErrorCode(error, 'RECORD_TOO_LARGE'), false);
    }
    assert.equal(hasErrorCode(new Error('plain'), 'STATE_CORRUPT'), false);
    assert.equal(hasErrorCode(undefined, 'STATE_CORRUPT'), false);
  });
});
