/**
 * `npm run new-job -- <Name> [--dir <directory>]`: writes a job that runs as written in Reactive
 * Mode, as a plain module `<Name>.mjs` in lib/ (or --dir), where `standalone-job.sh -j <Name>` finds
 * it. A plain module needs no build step, so the file the user gets is the file that runs.
 * docs/writing-jobs.md shows the template for MyJob; a test keeps the two identical.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findPackageRoot } from '../src/packaging/package-root.js';

/** A class name: an optional lower-case dotted package, then a capitalised simple name. */
const JOB_NAME = /^(?:[a-z][a-z0-9_]*\.)*[A-Z][A-Za-z0-9]*$/;

const ACCEPTED =
  'a class name such as MyJob or com.example.MyJob (letters and digits starting with a capital, after an optional lower-case dotted package)';

/** What the command line asked for. */
export interface NewJobRequest {
  readonly className: string;
  /** The directory the module goes into; undefined means the distribution's lib/. */
  readonly dir: string | undefined;
}

/** Input the scaffold refuses, with the one line that says why. */
export class NewJobError extends Error {}

/** Parses `<Name> [--dir <directory>]`. */
export function parseNewJobArgs(args: readonly string[]): NewJobRequest {
  let className: string | undefined;
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--dir') {
      dir = args[++i];
      if (dir === undefined || dir === '') throw new NewJobError('--dir needs a directory: npm run new-job -- <Name> --dir <directory>');
    } else if (arg.startsWith('-')) {
      throw new NewJobError(`Unknown option ${arg}: the only option is --dir <directory>`);
    } else if (className !== undefined) {
      throw new NewJobError(`One job name at a time, got ${className} and ${arg}`);
    } else {
      className = arg;
    }
  }
  if (className === undefined) throw new NewJobError(`Missing the job name: npm run new-job -- <Name>, where <Name> is ${ACCEPTED}`);
  if (!JOB_NAME.test(className)) throw new NewJobError(`Invalid job name ${JSON.stringify(className)}: expected ${ACCEPTED}`);
  return { className, dir };
}

/** The simple name of `a.b.MyJob`: MyJob, which names the file. */
export function simpleName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

/** The job module for `className`: a keyed count with state, a replayable source and an exactly-once sink. */
export function jobTemplate(className: string): string {
  const name = simpleName(className);
  return `// Main-Class: ${className}
/**
 * ${name}, made by \`npm run new-job\`: counts records per key and emits (key,count) at every record.
 * Its parallelism follows the cluster's slots in Reactive Mode, and its counts survive every
 * rescale: they live in keyed state, which checkpoints save and a rescale hands to the new subtasks.
 *
 * Arguments: --records N (default: no end), --keys N (default 4), --rate N records per second per
 * source subtask (default 10), --output DIR (exactly-once part files; default: print to stdout).
 */
import {
  BasePathBucketAssigner,
  DataGeneratorSource,
  FileSink,
  KeyedProcessFunction,
  ParameterTool,
  SimpleStringEncoder,
  StreamExecutionEnvironment,
  Types,
  ValueStateDescriptor,
  WatermarkStrategy,
} from 'tsflink';

/** One count per key, in keyed state. */
class CountPerKey extends KeyedProcessFunction {
  open(context) {
    this.count = context.getState(new ValueStateDescriptor('count', Types.LONG));
  }

  processElement(key, _ctx, out) {
    const next = (this.count.value() ?? 0) + 1;
    this.count.update(next);
    out.collect([key, next]);
  }
}

export async function main(args) {
  const params = ParameterTool.fromArgs(args);
  const records = params.getLong('records', Number.MAX_SAFE_INTEGER);
  const keys = params.getInt('keys', 4);
  const rate = params.getDouble('rate', 10);

  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  // Without checkpoints a rescale would start over from nothing; -Dexecution.checkpointing.interval wins.
  if (!env.getCheckpointConfig().isCheckpointingEnabled()) env.enableCheckpointing(10_000);

  // Record i is key i mod keys; the source's position is checkpointed, so a restore resumes it.
  const source = new DataGeneratorSource((i) => i % keys, records, rate, Types.INT);
  const counts = env
    .fromSource(source, WatermarkStrategy.noWatermarks(), 'keys')
    .keyBy((key) => key, Types.INT)
    .process(new CountPerKey(), Types.TUPLE([Types.INT, Types.LONG]))
    .uid('count-per-key')
    .name('count-per-key');

  if (params.has('output')) {
    // Part files become visible only when the checkpoint that covers them completes.
    const sink = FileSink.forRowFormat(params.getRequired('output'), new SimpleStringEncoder())
      .withBucketAssigner(new BasePathBucketAssigner())
      .build();
    counts.sinkTo(sink).name('counts');
  } else {
    counts.print();
  }

  await env.execute('${name}');
}
`;
}

/**
 * Writes the job module into `request.dir` (relative to `baseDir`) or `defaultDir`; never replaces
 * an existing file. Returns its path.
 */
export async function writeNewJob(request: NewJobRequest, defaultDir: string, baseDir = process.cwd()): Promise<string> {
  const dir = request.dir === undefined ? defaultDir : resolve(baseDir, request.dir);
  const path = join(dir, `${simpleName(request.className)}.mjs`);
  try {
    await writeFile(path, jobTemplate(request.className), { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new NewJobError(`Refusing to overwrite ${path}: it exists; pick another name or --dir`);
    if (code === 'ENOENT') throw new NewJobError(`Cannot write ${path}: the directory does not exist; create it or pick another --dir`);
    throw new NewJobError(`Cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return path;
}

async function main(): Promise<void> {
  const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)), 'tsflink');
  try {
    const request = parseNewJobArgs(process.argv.slice(2));
    const lib = join(root, 'lib');
    // npm runs scripts in the package root; INIT_CWD is where the user typed the command.
    const path = await writeNewJob(request, lib, process.env['INIT_CWD'] ?? process.cwd());
    const copy = dirname(path) === lib ? '' : `  cp ${path} lib/\n`;
    process.stdout.write(
      `Wrote ${path}. Run it in Reactive Mode from ${root}:\n${copy}` +
        `  ./bin/standalone-job.sh start -Dscheduler-mode=reactive -Dexecution.checkpointing.interval=10s -j ${request.className}\n` +
        `  ./bin/taskmanager.sh start\n`,
    );
  } catch (error) {
    if (!(error instanceof NewJobError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
