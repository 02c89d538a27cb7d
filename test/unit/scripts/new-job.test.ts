import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { declaredClass } from '../../../src/packaging/plain-module.js';
import { jobTemplate, NewJobError, parseNewJobArgs, writeNewJob } from '../../../scripts/new-job.js';
import { FLINK_HOME } from '../../helpers/test-dist.js';

const SCRIPT = join(FLINK_HOME, 'dist', 'scripts', 'new-job.js');

describe('new-job scaffold', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-new-job-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts simple and dotted class names, and --dir', () => {
    assert.deepEqual(parseNewJobArgs(['MyJob']), { className: 'MyJob', dir: undefined });
    assert.deepEqual(parseNewJobArgs(['com.example.Job2', '--dir', 'jobs']), { className: 'com.example.Job2', dir: 'jobs' });
  });

  for (const bad of ['myJob', 'my-job', 'My.Job', 'com..Job', '1Job', 'My Job', '', 'com.example.']) {
    it(`refuses ${JSON.stringify(bad)} naming what is accepted`, () => {
      assert.throws(
        () => parseNewJobArgs([bad]),
        (error: unknown) => {
          assert.ok(error instanceof NewJobError);
          assert.match(error.message, /^Invalid job name .*: expected a class name such as MyJob or com\.example\.MyJob/);
          return true;
        },
      );
    });
  }

  it('refuses a missing name, a second name, an unknown option and --dir without a value', () => {
    assert.throws(() => parseNewJobArgs([]), /Missing the job name/);
    assert.throws(() => parseNewJobArgs(['A', 'B']), /One job name at a time/);
    assert.throws(() => parseNewJobArgs(['A', '--force']), /Unknown option --force/);
    assert.throws(() => parseNewJobArgs(['A', '--dir']), /--dir needs a directory/);
  });

  it('writes <simple name>.mjs into --dir, resolved against the directory the command ran in', async () => {
    mkdirSync(join(dir, 'out'));
    const path = await writeNewJob({ className: 'com.example.Orders', dir: 'out' }, '/nowhere', dir);
    assert.equal(path, join(dir, 'out', 'Orders.mjs'));
  });

  it('never overwrites an existing file', async () => {
    const path = join(dir, 'Keep.mjs');
    writeFileSync(path, 'mine');
    await assert.rejects(writeNewJob({ className: 'Keep', dir: undefined }, dir), /Refusing to overwrite .*Keep\.mjs: it exists/);
    assert.equal(readFileSync(path, 'utf8'), 'mine');
  });

  it('the template declares its class and runs env.execute under the simple name', () => {
    const source = jobTemplate('com.example.Orders');
    assert.equal(declaredClass(source), 'com.example.Orders');
    assert.match(source, /await env\.execute\('Orders'\);/);
    assert.match(source, /^export async function main\(args\)/m);
  });

  it('the command prints one line and exits 2 on a bad name, writing nothing', () => {
    const target = mkdtempSync(join(dir, 'cli-'));
    const result = spawnSync(process.execPath, [SCRIPT, 'bad-name', '--dir', target], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /Invalid job name "bad-name"/);
    assert.deepEqual(readdirSync(target), []);
  });

  it('the command writes the file once and refuses the second time in one line', () => {
    const target = mkdtempSync(join(dir, 'cli-'));
    const first = spawnSync(process.execPath, [SCRIPT, 'Twice', '--dir', target], { encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /-j Twice/);
    const second = spawnSync(process.execPath, [SCRIPT, 'Twice', '--dir', target], { encoding: 'utf8' });
    assert.equal(second.status, 2);
    assert.equal(second.stderr.trimEnd().split('\n').length, 1, second.stderr);
    assert.equal(readFileSync(join(target, 'Twice.mjs'), 'utf8'), jobTemplate('Twice'));
  });
});
