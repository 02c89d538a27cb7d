import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32 } from '../../../../src/core/crc32.js';
import type { StateSlice } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { ChecksumThread } from '../../../../src/taskmanager/checkpoint/checksum-thread.js';
import { persistSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import { encodedKeyGroups } from '../../../helpers/encoded-key-groups.js';
import { asOperatorId } from '../../../helpers/ids.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflink-checksum-thread-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `length` bytes that differ from position to position (and from seed to seed), so a misplaced range changes the sum. */
function pattern(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7 + (i >> 9)) & 0xff;
  return bytes;
}

async function helper(): Promise<ChecksumThread> {
  await ChecksumThread.prepare();
  const thread = ChecksumThread.online();
  assert.ok(thread !== undefined, 'the checksum thread came online');
  return thread;
}

describe('ChecksumThread', () => {
  it('sums checksums fed in ranges of shared buffers, interleaved, as crc32 sums them whole', async () => {
    const thread = await helper();
    const shared = new Uint8Array(new SharedArrayBuffer(3000));
    const whole = [pattern(1800, 1), pattern(1200, 2)];
    shared.set(whole[0]!, 0);
    shared.set(whole[1]!, 1800);
    const [a, b] = [thread.open(), thread.open()];
    const sums = [thread.result(a), thread.result(b)];
    thread.add(a, shared.buffer, 0, 1000, false);
    thread.add(b, shared.buffer, 1800, 500, false);
    thread.add(a, shared.buffer, 1000, 800, true);
    thread.add(b, shared.buffer, 2300, 700, true);
    assert.deepEqual(await Promise.all(sums), [crc32(whole[0]!), crc32(whole[1]!)]);
  });

  it('answers a fence once the ranges before it are read, so their buffer may be reused', async () => {
    const thread = await helper();
    const shared = new Uint8Array(new SharedArrayBuffer(1024));
    const original = pattern(1024, 3);
    shared.set(original);
    const id = thread.open();
    const sum = thread.result(id);
    thread.add(id, shared.buffer, 0, 1024, true);
    await thread.fence();
    shared.fill(0); // reused after the fence: the sum must still be the original bytes'
    assert.equal(await sum, crc32(original));
  });

  it('gives a snapshot written with the helper online the same checksums as its file holds', async () => {
    await helper();
    // Three groups of 300 KB and up: large enough to be summed off the thread, spanning the 4 MB buffers' edges.
    const chunks = [pattern(300_000, 4), undefined, pattern(2_500_000, 5), pattern(2_000_000, 6)];
    const path = join(dir, 'chk-1', 'v-0-0');
    const persisted = await persistSnapshot([{ operatorId: asOperatorId('op'), keyGroups: encodedKeyGroups(0, chunks) }], {
      kind: 'file',
      path,
      inlineBelow: 0,
    });
    const file = readFileSync(path);
    const slices = persisted.operators[0]!.keyGroups!.slices;
    assert.equal(slices.length, 4);
    slices.forEach((slice: StateSlice | null, g) => {
      if (chunks[g] === undefined) return assert.equal(slice, null);
      assert.ok(slice?.kind === 'file');
      const region = file.subarray(slice.offset, slice.offset + slice.length);
      assert.deepEqual(new Uint8Array(region), chunks[g]);
      assert.equal(slice.crc32, crc32(chunks[g]), `group ${g}'s checksum`);
    });
    assert.deepEqual(
      persisted.chains.get(asOperatorId('op'))!.map((chain) => chain.base),
      slices,
      'the chains carry the summed slices too',
    );
  });
});
