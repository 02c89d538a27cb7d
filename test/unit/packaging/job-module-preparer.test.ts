import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ProgramError } from '../../../src/core/errors.js';
import { prepareJobModule, tsflinkPackageRoot, writeJar } from '../../../src/packaging/index.js';
import { tempDir } from './zip-fixtures.js';

// Imports the running tsflink the way a job does: by package name, from the job's own directory.
const PROBE = ["import * as tsflink from 'tsflink';", 'export const api = tsflink;', ''].join('\n');

/** The API module this test process itself loaded: the job must see these very objects. */
const RUNTIME_API = pathToFileURL(join(tsflinkPackageRoot(), 'dist', 'src', 'api', 'index.js')).href;

describe('prepareJobModule', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('prepare')));
  after(async () => cleanup());

  it('finds the tsflink package root from its own location', async () => {
    const root = tsflinkPackageRoot();
    assert.equal((JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string }).name, 'tsflink');
  });

  it("unpacks a jar into a private directory where 'tsflink' resolves to the running package", async () => {
    const jar = join(dir, 'Probe.jar');
    await writeJar(jar, { mainClass: 'com.acme.Probe', entries: [{ path: 'com/acme/Probe.js', content: PROBE }] });
    const workDir = join(dir, 'work');
    const prepared = await prepareJobModule({ archivePath: jar, mainClass: 'com.acme.Probe', workDir });
    assert.ok(prepared.dir.startsWith(workDir));
    assert.equal((await stat(prepared.dir)).mode & 0o777, 0o700);
    assert.equal(prepared.moduleUrl, pathToFileURL(join(prepared.dir, 'com/acme/Probe.js')).href);
    const probe = (await import(prepared.moduleUrl)) as { api: Record<string, unknown> };
    const runtime = (await import(RUNTIME_API)) as Record<string, unknown>;
    assert.equal(
      probe.api['StreamExecutionEnvironment'],
      runtime['StreamExecutionEnvironment'],
      'the job gets the running module instances',
    );
    // A second preparation gets its own directory.
    const again = await prepareJobModule({ archivePath: jar, mainClass: 'com.acme.Probe', workDir });
    assert.notEqual(again.dir, prepared.dir);
  });

  it('prepares a plain module the same way', async () => {
    const plain = join(dir, 'plain-job.js');
    await writeFile(plain, `// Main-Class: com.acme.Plain\n${PROBE}`);
    const prepared = await prepareJobModule({ archivePath: plain, mainClass: 'com.acme.Plain', workDir: join(dir, 'work2') });
    const probe = (await import(prepared.moduleUrl)) as { api: Record<string, unknown> };
    const runtime = (await import(RUNTIME_API)) as Record<string, unknown>;
    assert.equal(probe.api['runProgramMain'], runtime['runProgramMain']);
  });

  it('fails naming the class when the archive has no module for it, leaving nothing behind', async () => {
    const jar = join(dir, 'Other.jar');
    await writeJar(jar, { mainClass: 'com.acme.Other', entries: [{ path: 'com/acme/Other.js', content: 'export {};\n' }] });
    const workDir = join(dir, 'work3');
    await assert.rejects(
      prepareJobModule({ archivePath: jar, mainClass: 'com.acme.Missing', workDir }),
      (e: unknown) => e instanceof ProgramError && e.message.includes('com.acme.Missing') && e.message.includes('com/acme/Missing.js'),
    );
    await assert.rejects(prepareJobModule({ archivePath: jar, mainClass: '../../etc/passwd', workDir }), ProgramError);
    assert.deepEqual(await readdir(workDir), []);
  });
});
