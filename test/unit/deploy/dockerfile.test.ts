import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  JOB_MANAGER_BIND_HOST,
  REST_ADDRESS,
  REST_BIND_ADDRESS,
  TASK_MANAGER_BIND_HOST,
  TASK_MANAGER_HOST,
  loadConfiguration,
} from '../../../src/config/index.js';

// Compiled to dist/test/unit/deploy/, so the project root is four levels up.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** One instruction of a Dockerfile: its keyword and its arguments, continuation lines joined. */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of the last stage: what the image is. */
function finalStage(all: readonly Instruction[]): Instruction[] {
  const lastFrom = all.map((i) => i.keyword).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

describe('Dockerfile', () => {
  const all = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const image = finalStage(all);
  const args = (keyword: string): string[] => image.filter((i) => i.keyword === keyword).map((i) => i.args);
  const dir = mkdtempSync(join(tmpdir(), 'tsf-image-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is laid out like Flink's image: Node 20 slim, /opt/flink, the user flink with uid 9999, the entry point and its ports", () => {
    assert.match(image[0]!.args, /^node:20-bookworm-slim$/);
    assert.ok(args('ENV').includes('FLINK_HOME=/opt/flink'));
    assert.deepEqual(args('WORKDIR'), ['$FLINK_HOME']);
    assert.ok(
      args('RUN').some((run) => /groupadd --system --gid=9999 flink/.test(run) && /useradd .*--uid=9999 --gid=flink flink/.test(run)),
    );
    assert.deepEqual(args('USER'), ['flink']);
    assert.deepEqual(args('ENTRYPOINT'), ['["/docker-entrypoint.sh"]']);
    assert.deepEqual(args('CMD'), ['["help"]']);
    assert.ok(args('COPY').includes('docker-entrypoint.sh /docker-entrypoint.sh'));
    // RPC, REST, and the data and metrics ports the Kubernetes ConfigMap fixes.
    assert.deepEqual(args('EXPOSE').join(' ').split(' ').sort(), ['6121', '6123', '8081', '9249']);
  });

  it("binds the image's config to the container's interface with bin/config-parser-utils.sh, as Flink's image does", async () => {
    const run = args('RUN').find((r) => r.startsWith('bin/config-parser-utils.sh '));
    assert.ok(run !== undefined, 'a RUN bin/config-parser-utils.sh conf bin lib ...');
    const [, confArg, binArg, libArg, ...edits] = run.split(/\s+/);
    assert.deepEqual([confArg, binArg, libArg], ['conf', 'bin', 'lib']);
    const conf = join(dir, 'conf');
    spawnSync('mkdir', ['-p', conf]);
    for (const name of readdirSync(join(ROOT, 'conf'))) copyFileSync(join(ROOT, 'conf', name), join(conf, name));
    const result = spawnSync(join(ROOT, 'bin', 'config-parser-utils.sh'), [conf, join(ROOT, 'bin'), join(ROOT, 'lib'), ...edits], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const { configuration, warnings } = await loadConfiguration({ confDir: conf });
    assert.deepEqual(warnings, []);
    for (const option of [REST_ADDRESS, REST_BIND_ADDRESS, JOB_MANAGER_BIND_HOST, TASK_MANAGER_BIND_HOST]) {
      assert.equal(configuration.getOptional(option), '0.0.0.0', option.key);
    }
    assert.equal(
      configuration.getOptional(TASK_MANAGER_HOST),
      undefined,
      'a TaskManager advertises the address it reaches the JobManager from',
    );
    assert.match(
      readFileSync(join(conf, 'config.yaml'), 'utf8'),
      /# Reactive Mode \/ Adaptive Scheduler/,
      "the shipped file's comments stay",
    );
  });

  it('copies what the distribution runs from, none of it excluded by .dockerignore', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    // Built on the host, these would overwrite what the image builds for itself.
    for (const entry of ['node_modules', 'dist']) assert.ok(ignored.includes(entry), `.dockerignore has ${entry}`);
    const fromContext = args('COPY').filter((c) => !c.startsWith('--from='));
    const sources = fromContext.flatMap((c) => c.split(/\s+/).slice(0, -1));
    for (const source of sources) {
      assert.ok(existsSync(join(ROOT, source)), `${source} exists`);
      assert.ok(!ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is not ignored`);
    }
    for (const needed of ['bin', 'conf', 'package.json', 'package-lock.json'])
      assert.ok(sources.includes(needed), `the image has ${needed}`);
    const fromBuild = args('COPY')
      .filter((c) => c.startsWith('--from=build '))
      .map((c) => c.split(/\s+/)[1]);
    assert.deepEqual(fromBuild, ['/build/dist/src', '/build/dist/web', '/build/examples']);
  });

  it('installs only runtime dependencies, and the compiled distribution imports nothing else', () => {
    assert.ok(args('RUN').some((r) => r.includes('npm ci --omit=dev --ignore-scripts')));
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const packages = new Set<string>();
    const walk = (path: string): void => {
      if (statSync(path).isDirectory()) {
        for (const name of readdirSync(path)) walk(join(path, name));
        return;
      }
      if (!path.endsWith('.js')) return;
      for (const match of readFileSync(path, 'utf8').matchAll(/(?:^|[^\w.])(?:from|import)\s*\(?\s*['"]([^'"./][^'"]*)['"]/g)) {
        const name = match[1]!.startsWith('@') ? match[1]!.split('/').slice(0, 2).join('/') : match[1]!.split('/')[0]!;
        if (!name.startsWith('node:') && !builtinModules.includes(name)) packages.add(`${name} (${relative(ROOT, path)})`);
      }
    };
    walk(join(ROOT, 'dist', 'src'));
    const missing = [...packages].filter((entry) => !(entry.split(' ')[0]! in dependencies) && entry.split(' ')[0] !== 'tsflink');
    assert.deepEqual(missing, [], 'every package dist/src imports is a runtime dependency');
    assert.ok(packages.size > 0, 'the scan found the imports');
  });
});
