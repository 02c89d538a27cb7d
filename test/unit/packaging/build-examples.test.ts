import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildExamples, EXAMPLES } from '../../../scripts/build-examples.js';
import { extractArchive, readManifest } from '../../../src/packaging/index.js';
import { tempDir } from './zip-fixtures.js';

describe('build-examples', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('examples'));
    await mkdir(join(root, 'dist', 'examples', 'streaming'), { recursive: true });
    await mkdir(join(root, 'examples', 'streaming'), { recursive: true });
  });
  afterEach(async () => cleanup());

  async function compiled(module: string, source: string): Promise<void> {
    await writeFile(join(root, 'dist', 'examples', 'streaming', `${module}.js`), source);
  }

  it('packs every example of the table into its jar with its Main-Class, reproducibly', async () => {
    for (const e of EXAMPLES)
      await compiled(
        e.module,
        `import { x } from 'tsflink';\nexport const job = '${e.module}';\n//# sourceMappingURL=${e.module}.js.map\n`,
      );
    const jars = await buildExamples(root);
    assert.deepEqual(
      jars,
      EXAMPLES.map((e) => join(root, 'examples', 'streaming', e.jar)),
    );
    const topSpeed = join(root, 'examples', 'streaming', 'TopSpeedWindowing.jar');
    assert.equal((await readManifest(topSpeed))?.entryClass, 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing');
    const out = join(root, 'out');
    await extractArchive(topSpeed, out);
    const module = await readFile(join(out, 'org/apache/flink/streaming/examples/windowing/TopSpeedWindowing.js'), 'utf8');
    assert.match(module, /export const job = 'top-speed-windowing'/);
    assert.doesNotMatch(module, /sourceMappingURL/);
    const first = await readFile(topSpeed);
    await buildExamples(root);
    assert.deepEqual(await readFile(topSpeed), first);
  });

  it('fails naming each example whose compiled module is missing or not self-contained', async () => {
    const [a, b, c] = EXAMPLES;
    await compiled(a!.module, "import './helper.js';\n");
    await compiled(b!.module, 'export {};\n');
    await assert.rejects(
      buildExamples(root, [a!, b!, c!]),
      (e: unknown) =>
        e instanceof Error &&
        e.message.includes(`dist/examples/streaming/${c!.module}.js is missing`) &&
        e.message.includes("imports './helper.js'") &&
        !e.message.includes(`streaming/${b!.module}.js`),
    );
  });
});
