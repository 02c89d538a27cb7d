import assert from 'node:assert/strict';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OWNER_FILE, sweepRuntimeDir } from '../../../src/rpc/runtime-sweeper.js';
import { deadPid } from '../../helpers/dead-pid.js';

const dir = mkdtempSync(join(tmpdir(), 'tsf-sweep-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A socket file whose process was killed -9 while listening: the file stays, nobody answers. */
async function abandonedSocket(path: string): Promise<void> {
  const child = execa(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`]);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.kill('SIGKILL');
  await child.catch(() => undefined);
}

describe('sweeping the runtime dir', () => {
  it("removes dead processes' work dirs and abandoned sockets, and keeps the living's", async () => {
    const dead = deadPid();
    mkdirSync(join(dir, `jm-${dead}`));
    mkdirSync(join(dir, 'tm-dead_host_1'));
    writeFileSync(join(dir, 'tm-dead_host_1', OWNER_FILE), String(dead));
    mkdirSync(join(dir, 'tm-living_host_2'));
    writeFileSync(join(dir, 'tm-living_host_2', OWNER_FILE), String(process.pid));
    mkdirSync(join(dir, 'tm-unclaimed'));
    await abandonedSocket(join(dir, 'tm-aaaaaaaaaaaa.sock'));
    await abandonedSocket(join(dir, `jm-${dead}.sock`));
    // A living JobManager's socket stays even when a probe finds it busy; only the pid decides.
    await abandonedSocket(join(dir, `jm-${process.pid}.sock`));
    const listening: Server = createServer();
    await new Promise<void>((resolve) => listening.listen(join(dir, 'tm-bbbbbbbbbbbb.sock'), resolve));
    writeFileSync(join(dir, 'secret'), 'kept');
    try {
      const removed = await sweepRuntimeDir(dir);
      assert.deepEqual(removed.sort(), [`jm-${dead}`, `jm-${dead}.sock`, 'tm-aaaaaaaaaaaa.sock', 'tm-dead_host_1'].sort());
      assert.deepEqual(
        readdirSync(dir).sort(),
        [`jm-${process.pid}.sock`, 'secret', 'tm-bbbbbbbbbbbb.sock', 'tm-living_host_2', 'tm-unclaimed'].sort(),
      );
    } finally {
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
    assert.ok(!existsSync(join(dir, 'tm-bbbbbbbbbbbb.sock')), 'closing the live server removed its own socket');
  });

  it('finds nothing to do in a dir that does not exist', async () => {
    assert.deepEqual(await sweepRuntimeDir(join(dir, 'absent')), []);
  });
});
