import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { waitUntil } from '../../helpers/wait-until.js';

describe('waitUntil', () => {
  it('resolves at once when the condition already holds', async () => {
    await waitUntil(() => true, 'nothing');
  });

  it('sees a change made in a promise continuation', async () => {
    let done = false;
    const continuation = Promise.resolve().then(() => (done = true));
    await waitUntil(() => done, 'the continuation');
    assert.equal(await continuation, true);
  });

  it('sees a change made when file I/O completes, with no timer in between', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wait-until-'));
    try {
      const file = join(dir, 'written');
      const written = writeFile(file, 'x');
      await waitUntil(() => existsSync(file), 'the file');
      await written;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails, naming what it waited for, when the condition never holds', async () => {
    await assert.rejects(
      waitUntil(() => false, 'a change that never comes', 20),
      /Timed out after 20 ms waiting for a change that never comes/,
    );
  });

  it("fails with the condition's own error", async () => {
    let calls = 0;
    const condition = (): boolean => {
      calls++;
      if (calls > 1) throw new Error('the condition broke');
      return false;
    };
    const continuation = Promise.resolve().then(() => undefined);
    await assert.rejects(waitUntil(condition, 'a broken condition'), /the condition broke/);
    await continuation;
  });
});
