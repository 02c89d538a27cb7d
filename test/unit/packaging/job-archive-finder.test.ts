import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ProgramError } from '../../../src/core/errors.js';
import { findJobArchive, writeJar } from '../../../src/packaging/index.js';
import { makeZip, tempDir } from './zip-fixtures.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';
const WORD_COUNT = 'org.apache.flink.streaming.examples.wordcount.WordCount';

async function jobJar(path: string, mainClass: string, extraEntries: string[] = []): Promise<string> {
  const entries = [mainClass, ...extraEntries].map((c) => ({ path: `${c.split('.').join('/')}.js`, content: 'export {};\n' }));
  await writeJar(path, { mainClass, entries });
  return path;
}

describe('findJobArchive', () => {
  let home: string;
  let lib: string;
  let usrlib: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: home, cleanup } = await tempDir('find'));
    lib = join(home, 'lib');
    usrlib = join(home, 'usrlib');
    await mkdir(lib);
  });
  afterEach(async () => cleanup());

  it('finds the one archive with an entry class when no class is given', async () => {
    const jar = await jobJar(join(lib, 'TopSpeedWindowing.jar'), TOP_SPEED);
    await writeFile(join(lib, 'README.txt'), 'not an archive');
    await writeFile(join(lib, 'lib-without-manifest.jar'), await makeZip([{ name: 'x/Y.js', content: '' }]));
    assert.deepEqual(await findJobArchive({ libDirs: [lib, usrlib] }), { archivePath: jar, mainClass: TOP_SPEED });
  });

  it('finds an archive by -j class, through its entries or its Main-Class', async () => {
    const jar = await jobJar(join(lib, 'Both.jar'), TOP_SPEED, ['org.example.Helper']);
    await jobJar(join(lib, 'WordCount.jar'), WORD_COUNT);
    assert.deepEqual(await findJobArchive({ libDirs: [lib], jobClassName: TOP_SPEED }), { archivePath: jar, mainClass: TOP_SPEED });
    assert.deepEqual(await findJobArchive({ libDirs: [lib], jobClassName: 'org.example.Helper' }), {
      archivePath: jar,
      mainClass: 'org.example.Helper',
    });
  });

  it("uses Flink's messages when there is no job archive or several", async () => {
    await assert.rejects(
      findJobArchive({ libDirs: [lib, usrlib] }),
      (e: unknown) => e instanceof ProgramError && e.message === 'No JAR found on classpath. Please provide a JAR explicitly.',
    );
    await jobJar(join(lib, 'A.jar'), TOP_SPEED);
    await jobJar(join(lib, 'B.jar'), WORD_COUNT);
    await assert.rejects(
      findJobArchive({ libDirs: [lib] }),
      (e: unknown) =>
        e instanceof ProgramError &&
        e.message === 'Multiple JAR archives with entry classes found on classpath. Please provide an entry class name.',
    );
  });

  it('names the class and the directories searched when -j matches nothing', async () => {
    await jobJar(join(lib, 'A.jar'), TOP_SPEED);
    await assert.rejects(
      findJobArchive({ libDirs: [lib, usrlib], jobClassName: 'no.such.Job' }),
      (e: unknown) =>
        e instanceof ProgramError && e.message.includes('no.such.Job') && e.message.includes(lib) && e.message.includes(usrlib),
    );
  });

  it('accepts plain modules, by their Main-Class comment or file name', async () => {
    const declared = join(lib, 'my-job.mjs');
    await writeFile(declared, '// A job.\n// Main-Class: com.acme.MyJob\nexport {};\n');
    assert.deepEqual(await findJobArchive({ libDirs: [lib] }), { archivePath: declared, mainClass: 'com.acme.MyJob' });
    assert.deepEqual(await findJobArchive({ libDirs: [lib], jobClassName: 'com.acme.MyJob' }), {
      archivePath: declared,
      mainClass: 'com.acme.MyJob',
    });
    const named = join(lib, 'Other.js');
    await writeFile(named, 'export {};\n');
    assert.deepEqual(await findJobArchive({ libDirs: [lib], jobClassName: 'Other' }), { archivePath: named, mainClass: 'Other' });
  });

  it('scans only usrlib, recursively, when it exists; with -j usrlib comes first', async () => {
    await jobJar(join(lib, 'InLib.jar'), TOP_SPEED);
    await mkdir(join(usrlib, 'nested'), { recursive: true });
    const inUsrlib = await jobJar(join(usrlib, 'nested', 'Job.jar'), WORD_COUNT, [TOP_SPEED]);
    assert.deepEqual(await findJobArchive({ libDirs: [lib, usrlib] }), { archivePath: inUsrlib, mainClass: WORD_COUNT });
    assert.deepEqual(await findJobArchive({ libDirs: [lib, usrlib], jobClassName: TOP_SPEED }), {
      archivePath: inUsrlib,
      mainClass: TOP_SPEED,
    });
  });

  it('reports unreadable archives when they matter and skips them when they do not', async () => {
    const corrupt = join(lib, 'Broken.jar');
    await writeFile(corrupt, 'PK not really');
    await assert.rejects(
      findJobArchive({ libDirs: [lib] }),
      (e: unknown) => e instanceof ProgramError && e.message.startsWith('No JAR found on classpath.') && e.message.includes(corrupt),
    );
    const good = await jobJar(join(lib, 'Good.jar'), TOP_SPEED);
    assert.deepEqual(await findJobArchive({ libDirs: [lib] }), { archivePath: good, mainClass: TOP_SPEED });
  });
});
