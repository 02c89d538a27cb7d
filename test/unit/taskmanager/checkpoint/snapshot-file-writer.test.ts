import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SnapshotFileWriter } from '../../../../src/taskmanager/checkpoint/snapshot-file-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflink-snapshot-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `count` bytes of `fill`, so every batch is told apart in the file. */
function bytes(count: number, fill: number): Uint8Array {
  return new Uint8Array(count).fill(fill);
}

describe('SnapshotFileWriter', () => {
  it('lands every batch at its place in the file and in the copy, though batches overlap in flight', async () => {
    const path = join(dir, 'chk-1', 'state');
    const copyPath = join(dir, 'local', 'chk-1', 'state');
    const writer = await SnapshotFileWriter.open(path, copyPath);
    const expected: number[] = [];
    const written: Promise<void>[] = [];
    for (let b = 0; b < 40; b++) {
      // Uneven sizes: a position computed from the wrong buffer would show at once.
      const buffer = bytes(1000 + b * 37, b);
      expected.push(...buffer);
      written.push(writer.write(buffer));
      // Queued without waiting at first, then throttled: both orders must land in place.
      if (b >= 20) await writer.throttle(2);
    }
    await writer.finish();
    assert.equal((await Promise.all(written)).length, 40, 'every queued write reports that it is done');
    await writer.close();
    assert.deepEqual([...readFileSync(path)], expected);
    assert.deepEqual([...readFileSync(copyPath)], expected);
    assert.equal(statSync(path).mode & 0o777, 0o600, 'the snapshot file is private to the user');
  });

  it('reports a failed write to the caller instead of acknowledging the snapshot', async () => {
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    const writer = await SnapshotFileWriter.open('/dev/full', undefined);
    try {
      const written = [writer.write(bytes(4096, 1)), writer.write(bytes(4096, 2))];
      await assert.rejects(writer.throttle(0), (error: NodeJS.ErrnoException) => error.code === 'ENOSPC');
      await assert.rejects(writer.finish(), (error: NodeJS.ErrnoException) => error.code === 'ENOSPC');
      // The writes themselves never reject: the failure is reported once, by throttle and finish.
      await Promise.all(written);
    } finally {
      await writer.close();
    }
  });

  it('removes the file and its copy when the write is abandoned', async () => {
    const path = join(dir, 'chk-2', 'state');
    const copyPath = join(dir, 'local', 'chk-2', 'state');
    const writer = await SnapshotFileWriter.open(path, copyPath);
    await writer.write(bytes(10_000, 7));
    await writer.close();
    await writer.discard();
    assert.throws(() => statSync(path), /ENOENT/);
    assert.throws(() => statSync(copyPath), /ENOENT/);
  });

  it('overwrites a spare it takes and cuts off what lay past the snapshot', async () => {
    const spares = join(dir, 'spare');
    mkdirSync(spares, { recursive: true });
    // An earlier, larger snapshot of this subtask, left readable to others: the overwrite must end private and exact.
    writeFileSync(join(spares, '5~chk-4-v1-0-0'), bytes(64 * 1024, 0xee));
    chmodSync(join(spares, '5~chk-4-v1-0-0'), 0o644);
    const path = join(dir, 'chk-6', 'v1-0-0');
    const writer = await SnapshotFileWriter.open(path, undefined, { directory: spares, prefer: '-v1-0-' });
    assert.equal(writer.recycled, true);
    assert.deepEqual(readdirSync(spares), [], 'the spare was taken: no other subtask can get it');
    await writer.write(bytes(3000, 1));
    await writer.write(bytes(2000, 2));
    await writer.finish();
    await writer.close();
    assert.deepEqual([...readFileSync(path)], [...bytes(3000, 1), ...bytes(2000, 2)]);
    assert.equal(statSync(path).mode & 0o777, 0o600, 'a recycled snapshot file is private to the user too');
  });

  it('creates a new file when no spare is there to take', async () => {
    const path = join(dir, 'chk-7', 'v1-0-0');
    const writer = await SnapshotFileWriter.open(path, undefined, { directory: join(dir, 'no-spares-here'), prefer: '-v1-0-' });
    assert.equal(writer.recycled, false);
    await writer.write(bytes(100, 3));
    await writer.finish();
    await writer.close();
    assert.deepEqual([...readFileSync(path)], [...bytes(100, 3)]);
  });
});
