import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { handleError } from '../../../src/cli/handle-error.js';

/** What handleError wrote to stderr, and its exit code. */
function printed(error: unknown): { lines: string[]; code: number } {
  const written: string[] = [];
  const write = mock.method(process.stderr, 'write', (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const code = handleError(error);
    return { lines: written.join('').trimEnd().split('\n'), code };
  } finally {
    write.mock.restore();
  }
}

describe('handleError', () => {
  it('prints an error of the machine (a path in the way) in one line without a stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsf-handle-error-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      const error = await mkdir(join(dir, 'file', 'sub')).then(
        () => undefined,
        (e: unknown) => e,
      );
      const { lines, code } = printed(error);
      assert.equal(code, 1);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0] ?? '', new RegExp(`^Cannot mkdir ${join(dir, 'file', 'sub')}: ENOTDIR \\(not a directory`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the stack of an unexpected error, which is a bug to report', () => {
    const { lines, code } = printed(new TypeError('x is undefined'));
    assert.equal(code, 1);
    assert.equal(lines[0], 'Unexpected error: x is undefined');
    assert.ok(lines.length > 1, 'the stack follows');
  });
});
