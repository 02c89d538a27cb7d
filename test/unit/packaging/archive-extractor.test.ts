import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProgramError } from '../../../src/core/errors.js';
import { crc32, portableCrc32 } from '../../../src/core/crc32.js';
import { extractArchive } from '../../../src/packaging/index.js';
import { lieAboutSizes, makeZip, renameEntry, tempDir, writeFixture } from './zip-fixtures.js';

const MIB = 1024 * 1024;

describe('extractArchive', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let n = 0;
  before(async () => ({ dir, cleanup } = await tempDir('extract')));
  after(async () => cleanup());

  /** Writes a fixture zip and extracts it into a fresh directory; returns the rejection. */
  async function extractFails(zip: Buffer, limits = {}): Promise<ProgramError> {
    const path = await writeFixture(dir, `fixture-${++n}.zip`, zip);
    const dest = join(dir, `dest-${n}`);
    try {
      await extractArchive(path, dest, limits);
    } catch (error) {
      assert.ok(error instanceof ProgramError, `expected a ProgramError, got ${String(error)}`);
      return error;
    }
    assert.fail('extraction should have been refused');
  }

  it('refuses a zip-slip entry, naming it', async () => {
    const zip = renameEntry(
      await makeZip([
        { name: 'ok.txt', content: 'fine' },
        { name: 'xx/evil', content: 'pwned' },
      ]),
      'xx/evil',
      '../evil',
    );
    const error = await extractFails(zip);
    assert.match(error.message, /"\.\.\/evil"/);
    await assert.rejects(stat(join(dir, 'evil')));
  });

  it('refuses absolute paths and backslashes', async () => {
    const absolute = renameEntry(await makeZip([{ name: '_tmp/abs-evil', content: 'x' }]), '_tmp/abs-evil', '/tmp/abs-evil');
    assert.match((await extractFails(absolute)).message, /"\/tmp\/abs-evil".*absolute path/);
    const backslash = renameEntry(await makeZip([{ name: 'a_b.txt', content: 'x' }]), 'a_b.txt', 'a\\b.txt');
    assert.match((await extractFails(backslash)).message, /backslash/);
  });

  it('refuses symlink entries', async () => {
    const zip = await makeZip([{ name: 'link', content: '/etc/passwd', mode: 0o120777 }]);
    assert.match((await extractFails(zip)).message, /"link".*symbolic link/);
  });

  it('refuses a zip bomb by its compression ratio', async () => {
    const zip = await makeZip([{ name: 'bomb.bin', content: Buffer.alloc(20 * MIB) }]);
    assert.ok(zip.length < 100 * 1024);
    assert.match((await extractFails(zip)).message, /"bomb\.bin".*compression ratio above 200:1/);
  });

  it('stops a header that lies about sizes by counting inflated bytes', async () => {
    // The header claims 1000 bytes; the data inflates to 8 MiB.
    const zip = lieAboutSizes(await makeZip([{ name: 'liar.bin', content: Buffer.alloc(8 * MIB, 7) }]), 1000);
    const error = await extractFails(zip);
    assert.match(error.message, /liar\.bin/);
    // Nothing of the entry is left behind.
    const dest = join(dir, `dest-${n}`);
    assert.deepEqual(await readdir(dest), []);
  });

  it('enforces entry count, per-entry and total size limits', async () => {
    const five = await makeZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, content: 'abc' })));
    assert.match((await extractFails(five, { maxEntries: 3 })).message, /5 entries, at most 3/);
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    const two = await makeZip([
      { name: 'a.bin', content: random },
      { name: 'b.bin', content: random },
    ]);
    assert.match((await extractFails(two, { maxEntryBytes: 1000 })).message, /"a\.bin".*at most 1000/);
    assert.match((await extractFails(two, { maxTotalBytes: 6000 })).message, /"b\.bin".*6000 bytes in all/);
  });

  it('refuses an archive holding the same entry twice', async () => {
    const zip = renameEntry(
      await makeZip([
        { name: 'a.txt', content: 'one' },
        { name: 'b.txt', content: 'two' },
      ]),
      'b.txt',
      'a.txt',
    );
    assert.match((await extractFails(zip)).message, /"a\.txt".*twice/);
  });

  it('notices stored data corrupted in place by its CRC-32', async () => {
    const zip = Buffer.from(await makeZip([{ name: 'stored.txt', content: 'hello stored world', compress: false }]));
    const at = zip.indexOf('stored world');
    zip[at] = 'S'.charCodeAt(0);
    assert.match((await extractFails(zip)).message, /"stored\.txt".*CRC-32/);
  });

  it('computes CRC-32 the same natively and portably', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(portableCrc32(Buffer.from('123456789')), 0xcbf43926);
    const data = Buffer.from(Array.from({ length: 10000 }, (_, i) => (i * 31) & 0xff));
    assert.equal(portableCrc32(data.subarray(5000), portableCrc32(data.subarray(0, 5000))), crc32(data));
  });

  it('reports a corrupt or truncated zip as a ProgramError naming the file', async () => {
    const garbage = await writeFixture(dir, 'garbage.jar', Buffer.from('this is not a zip file at all'));
    await assert.rejects(extractArchive(garbage, join(dir, 'g')), (e: unknown) => e instanceof ProgramError && e.message.includes(garbage));
    const good = await makeZip([{ name: 'a.txt', content: 'x'.repeat(1000) }]);
    const truncated = await writeFixture(dir, 'truncated.jar', good.subarray(0, Math.floor(good.length / 2)));
    await assert.rejects(
      extractArchive(truncated, join(dir, 't')),
      (e: unknown) => e instanceof ProgramError && e.message.includes('truncated.jar'),
    );
    // Data corrupted in place: the inflater or the CRC check notices.
    const flipped = Buffer.from(await makeZip([{ name: 'c.txt', content: 'hello '.repeat(200) }]));
    for (let i = 40; i < 60; i++) flipped[i] = flipped[i]! ^ 0xff;
    const corrupt = await writeFixture(dir, 'corrupt.jar', flipped);
    await assert.rejects(extractArchive(corrupt, join(dir, 'c')), ProgramError);
  });
});
