import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProgramError } from '../../../src/core/errors.js';
import { extractArchive, hashArchive, inspectJar, readManifest, writeJar } from '../../../src/packaging/index.js';
import { tempDir } from './zip-fixtures.js';

describe('writeJar', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('jar')));
  after(async () => cleanup());

  const contents = {
    mainClass: 'org.example.jobs.MyJob',
    entries: [
      { path: 'org/example/jobs/MyJob.js', content: "import { x } from 'tsflink';\nexport default x;\n" },
      { path: 'org/example/jobs/data.bin', content: Buffer.from([0, 1, 2, 255]) },
    ],
  };

  it('writes a jar whose manifest names the Main-Class and whose entries come back intact', async () => {
    const jar = join(dir, 'MyJob.jar');
    await writeJar(jar, contents);
    assert.equal((await readManifest(jar))?.entryClass, 'org.example.jobs.MyJob');
    const info = await inspectJar(jar);
    assert.deepEqual([...info.entryNames], ['META-INF/', 'META-INF/MANIFEST.MF', 'org/example/jobs/MyJob.js', 'org/example/jobs/data.bin']);
    const out = join(dir, 'out');
    const result = await extractArchive(jar, out);
    assert.deepEqual(result.files, ['META-INF/MANIFEST.MF', 'org/example/jobs/MyJob.js', 'org/example/jobs/data.bin']);
    assert.equal(await readFile(join(out, 'org/example/jobs/MyJob.js'), 'utf8'), contents.entries[0]!.content);
    assert.deepEqual(await readFile(join(out, 'org/example/jobs/data.bin')), Buffer.from([0, 1, 2, 255]));
    assert.equal((await stat(join(out, 'org/example/jobs/data.bin'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(out, 'org/example'))).mode & 0o777, 0o700);
  });

  it('is deterministic: the same input gives the same bytes, whatever the clock says', async (t) => {
    const a = join(dir, 'a.jar');
    const b = join(dir, 'b.jar');
    // Two writes a day apart on the clock: nothing time-dependent may reach the archive.
    t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2024, 0, 1) });
    await writeJar(a, contents);
    t.mock.timers.setTime(Date.UTC(2024, 0, 2, 13, 37));
    await writeJar(b, contents);
    assert.deepEqual(await readFile(a), await readFile(b));
    assert.equal(await hashArchive(a), await hashArchive(b));
    assert.match(await hashArchive(a), /^[0-9a-f]{64}$/);
  });

  it('refuses bad class names, unsafe and duplicate entries', async () => {
    await assert.rejects(writeJar(join(dir, 'x.jar'), { mainClass: '../evil', entries: [] }), ProgramError);
    await assert.rejects(writeJar(join(dir, 'x.jar'), { mainClass: 'a.B', entries: [{ path: '../x.js', content: '' }] }), /'\.\.' segment/);
    await assert.rejects(
      writeJar(join(dir, 'x.jar'), {
        mainClass: 'a.B',
        entries: [
          { path: 'a/B.js', content: '' },
          { path: 'a/B.js', content: '' },
        ],
      }),
      /twice/,
    );
  });
});
