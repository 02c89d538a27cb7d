import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canDrawSpinner, MIN_SPINNER_COLUMNS } from '../../../src/cli/ui/spinner.js';

describe('spinner', () => {
  it('draws only on an interactive terminal wide enough to redraw on, outside CI', () => {
    const wide = { isTTY: true, columns: 80 };
    assert.equal(canDrawSpinner(wide, {}), true);
    assert.equal(canDrawSpinner({ isTTY: true, columns: MIN_SPINNER_COLUMNS }, {}), true);
    assert.equal(canDrawSpinner({ isTTY: true, columns: 0 }, {}), false, 'a 0-column pty (script, pty.fork)');
    assert.equal(canDrawSpinner({ isTTY: true, columns: MIN_SPINNER_COLUMNS - 1 }, {}), false);
    assert.equal(canDrawSpinner({ isTTY: true }, {}), false, 'no column count at all');
    assert.equal(canDrawSpinner({ isTTY: false, columns: 80 }, {}), false, 'a pipe');
    assert.equal(canDrawSpinner(wide, { CI: 'true' }), false);
    assert.equal(canDrawSpinner(wide, { TERM: 'dumb' }), false);
  });
});
