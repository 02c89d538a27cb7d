import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { claimSpareFile } from '../../../../src/taskmanager/checkpoint/spare-file-claim.js';

const root = mkdtempSync(join(tmpdir(), 'tsflink-spare-claim-'));
after(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** A fresh spare directory holding `names`, each file holding its own name. */
function sparesWith(...names: string[]): string {
  const directory = join(root, `spares-${++dirs}`);
  mkdirSync(directory);
  for (const name of names) writeFileSync(join(directory, name), name);
  return directory;
}

describe('claimSpareFile', () => {
  it("takes the subtask's own earlier file before any other", async () => {
    const directory = sparesWith('7~chk-6-aa-0-0', '7~chk-6-bb-1-0', '7~chk-6-bb-11-0');
    const path = join(root, 'claimed-own');
    assert.equal(await claimSpareFile({ directory, prefer: '-bb-1-' }, path), true);
    assert.equal(readFileSync(path, 'utf8'), '7~chk-6-bb-1-0');
    assert.deepEqual(readdirSync(directory).sort(), ['7~chk-6-aa-0-0', '7~chk-6-bb-11-0']);
  });

  it("takes another subtask's file when it has none of its own", async () => {
    const directory = sparesWith('7~chk-6-aa-0-0');
    const path = join(root, 'claimed-other');
    assert.equal(await claimSpareFile({ directory, prefer: '-bb-1-' }, path), true);
    assert.equal(readFileSync(path, 'utf8'), '7~chk-6-aa-0-0');
  });

  it('answers false when there is nothing to take', async () => {
    assert.equal(await claimSpareFile({ directory: sparesWith(), prefer: '-x-0-' }, join(root, 'none')), false);
    assert.equal(await claimSpareFile({ directory: join(root, 'missing'), prefer: '-x-0-' }, join(root, 'none')), false);
    assert.equal(existsSync(join(root, 'none')), false);
  });

  it('gives one spare to exactly one of the subtasks reaching for it at once', async () => {
    const directory = sparesWith('7~chk-6-aa-0-0');
    const paths = Array.from({ length: 6 }, (_, i) => join(root, `racer-${i}`));
    const claimed = await Promise.all(paths.map((path) => claimSpareFile({ directory, prefer: '-aa-0-' }, path)));
    assert.equal(claimed.filter(Boolean).length, 1);
    assert.deepEqual(
      paths.filter((path) => existsSync(path)),
      paths.filter((_, i) => claimed[i]),
    );
  });
});
