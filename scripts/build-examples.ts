/**
 * Packs each compiled example into `examples/streaming/<Name>.jar` with its Main-Class, so Flink's
 * `cp ./examples/streaming/TopSpeedWindowing.jar lib/` works. Run by `npm run build` after tsc.
 * The jars are byte-for-byte reproducible.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { classEntryPaths } from '../src/packaging/class-path.js';
import { writeJar } from '../src/packaging/jar-writer.js';
import { findPackageRoot } from '../src/packaging/package-root.js';

/** One example: its compiled module (kebab name), the jar it becomes, and the class it stands for. */
export interface ExampleSpec {
  readonly module: string;
  readonly jar: string;
  readonly mainClass: string;
}

/** Flink's streaming examples that tsflink ships. */
export const EXAMPLES: readonly ExampleSpec[] = [
  {
    module: 'top-speed-windowing',
    jar: 'TopSpeedWindowing.jar',
    mainClass: 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing',
  },
  { module: 'word-count', jar: 'WordCount.jar', mainClass: 'org.apache.flink.streaming.examples.wordcount.WordCount' },
  { module: 'window-word-count', jar: 'WindowWordCount.jar', mainClass: 'org.apache.flink.streaming.examples.windowing.WindowWordCount' },
  {
    module: 'socket-window-word-count',
    jar: 'SocketWindowWordCount.jar',
    mainClass: 'org.apache.flink.streaming.examples.socket.SocketWindowWordCount',
  },
];

const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.\.?\/[^'"]*)['"]/;
const SOURCE_MAP_COMMENT = /\n?\/\/# sourceMappingURL=\S+\s*$/;

/** Builds the jars under `rootDir`; returns their paths. Fails naming every example it could not pack. */
export async function buildExamples(rootDir: string, examples: readonly ExampleSpec[] = EXAMPLES): Promise<string[]> {
  const built: string[] = [];
  const problems: string[] = [];
  for (const example of examples) {
    const compiled = join(rootDir, 'dist', 'examples', 'streaming', `${example.module}.js`);
    let source: string;
    try {
      source = await readFile(compiled, 'utf8');
    } catch {
      problems.push(`${relative(rootDir, compiled)} is missing (write examples/streaming/${example.module}.ts and run tsc)`);
      continue;
    }
    const relativeImport = RELATIVE_IMPORT.exec(source);
    if (relativeImport !== null) {
      problems.push(
        `${relative(rootDir, compiled)} imports '${relativeImport[1]}', which the jar would not hold (examples import only 'tsflink' and node builtins)`,
      );
      continue;
    }
    // The map sits beside the compiled file, not in the jar; a dangling reference only confuses tools.
    const content = source.replace(SOURCE_MAP_COMMENT, '\n');
    const jarPath = join(rootDir, 'examples', 'streaming', example.jar);
    await writeJar(jarPath, { mainClass: example.mainClass, entries: [{ path: classEntryPaths(example.mainClass)[0], content }] });
    built.push(jarPath);
  }
  if (problems.length > 0) throw new Error(`Cannot build the example jars: ${problems.join('; ')}.`);
  return built;
}

async function main(): Promise<void> {
  const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)), 'tsflink');
  try {
    for (const jar of await buildExamples(root)) process.stdout.write(`Built ${relative(root, jar)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
