import { isAbsolute, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { parseDynamicProperties } from '../../config/dynamic-properties.js';
import { UsageError } from '../../core/errors.js';
import { parseJobId } from '../../core/ids.js';
import { terminal } from '../ui/terminal.js';
import { resolveRestTarget } from './flink-address.js';
import { cancelJob } from './flink-cancel.js';
import { listJobs } from './flink-list.js';
import { FlinkRestClient } from './flink-rest-client.js';
import { printPlan } from './flink-info.js';
import { runJar } from './flink-run.js';
import { stopWithSavepoint, triggerSavepoint } from './flink-savepoint.js';

const USAGE = [
  'Usage: flink <action> [options]',
  '',
  'Actions:',
  '  run [options] <jar> [args...]           run a job on a session cluster; options: -c/--class <class>, -p/--parallelism <n>,',
  '                                          -d/--detached, -s/--fromSavepoint <path>, -n/--allowNonRestoredState,',
  '                                          -rm/--restoreMode <CLAIM|NO_CLAIM|LEGACY>',
  "  info [-c <class>] [-p <n>] <jar> [args...]  print the job's execution plan as JSON",
  '  list [-r|-s|-a]                         list running/restarting (-r) and scheduled (-s) jobs, or all jobs (-a)',
  '  cancel <jobId>                          cancel a job',
  '  savepoint <jobId> [targetDirectory]     take a savepoint of a running job',
  '  stop [-p <dir>] [-d] <jobId>            stop a job with a savepoint (-p/--savepointPath: where, -d/--drain)',
  '',
  'Every action accepts -m, --jobmanager <host:port>: the REST address of the JobManager',
  "(default: rest.address and rest.port of the configuration; with rest.port 0, the running JobManager's),",
  'and -D <key=value> (repeatable) to override a configuration option, such as -Drest.port=8082.',
];

/** What an action does; it asks for the JobManager's client only if it needs one. Returns the exit code (0 when void). */
type ActionRun = (client: () => Promise<FlinkRestClient>) => Promise<number | void>;

/** One action: how it reads its arguments, and the run they make (arguments are checked before anything is contacted). */
interface ActionSpec {
  readonly configure: (command: Command) => Command;
  readonly prepare: (options: Record<string, unknown>, args: readonly string[]) => ActionRun;
}

/** Options of `run` and `info` that take a value: what follows them is not yet the jar. */
const VALUE_OPTIONS = new Set([
  '-c',
  '--class',
  '-p',
  '--parallelism',
  '-s',
  '--fromSavepoint',
  '-m',
  '--jobmanager',
  '-D',
  '--restoreMode',
  '--claimMode',
]);
/** Flink's multi-letter short options, which commander cannot declare, under their long names. */
const LONG_NAMES: Record<string, string> = { '-rm': '--restoreMode', '-cm': '--claimMode', '-sae': '--shutdownOnAttachedExit' };

const ACTIONS: Record<string, ActionSpec> = {
  run: {
    configure: (c) =>
      programOptions(c)
        .option('-d, --detached')
        .option('-s, --fromSavepoint <path>')
        .option('-n, --allowNonRestoredState')
        .option('--restoreMode <mode>')
        .option('--claimMode <mode>')
        .option('--shutdownOnAttachedExit'),
    prepare: (options, args) => {
      const { jarPath, programArgs } = jarArgument('run', args);
      const restoreMode = (options.restoreMode ?? options.claimMode) as string | undefined;
      if (restoreMode !== undefined && !['CLAIM', 'NO_CLAIM', 'LEGACY'].includes(restoreMode))
        throw new UsageError(`flink run: invalid restore mode '${restoreMode}': expected CLAIM, NO_CLAIM or LEGACY.`);
      const request = {
        jarPath,
        programArgs,
        entryClass: options.class as string | undefined,
        parallelism: parallelismOption('run', options.parallelism),
        detached: options.detached === true,
        savepointPath: directoryArgument(options.fromSavepoint as string | undefined),
        allowNonRestoredState: options.allowNonRestoredState === true,
        restoreMode,
      };
      return async (client) => runJar(await client(), request, terminal.line);
    },
  },
  info: {
    configure: (c) => programOptions(c),
    prepare: (options, args) => {
      const { jarPath, programArgs } = jarArgument('info', args);
      const settings = { entryClass: options.class as string | undefined, parallelism: parallelismOption('info', options.parallelism) };
      return () => printPlan(jarPath, programArgs, settings, terminal.line);
    },
  },
  list: {
    configure: (c) => c.option('-r, --running').option('-s, --scheduled').option('-a, --all'),
    prepare: (options) => async (client) =>
      listJobs(
        await client(),
        { running: options.running === true, scheduled: options.scheduled === true, all: options.all === true },
        terminal.line,
      ),
  },
  cancel: {
    configure: (c) => c.argument('[jobId]'),
    prepare: (_options, args) => {
      const jobId = jobIdArgument('cancel', args[0]);
      return async (client) => cancelJob(await client(), jobId, terminal.line);
    },
  },
  savepoint: {
    configure: (c) => c.argument('[jobId]').argument('[targetDirectory]'),
    prepare: (_options, args) => {
      const jobId = jobIdArgument('savepoint', args[0]);
      const target = directoryArgument(args[1]);
      return async (client) => triggerSavepoint(await client(), jobId, target, terminal.line);
    },
  },
  stop: {
    configure: (c) => c.argument('[jobId]').option('-p, --savepointPath <dir>').option('-d, --drain'),
    prepare: (options, args) => {
      const jobId = jobIdArgument('stop', args[0]);
      const target = directoryArgument(options.savepointPath as string | undefined);
      return async (client) => stopWithSavepoint(await client(), jobId, target, options.drain === true, terminal.line);
    },
  },
};

/** The commander program behind `bin/flink`: list, cancel, savepoint and stop through the JobManager's REST API. */
export function flinkCommand(setExitCode: (code: number) => void): Command {
  return new Command('flink')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument('[action]')
    .argument('[args...]')
    .action(async (action: string | undefined, args: string[]) => {
      setExitCode(await runAction(action, args));
    });
}

async function runAction(action: string | undefined, args: readonly string[]): Promise<number> {
  if (action === '-h' || action === '--help' || action === 'help') {
    printUsage();
    return 0;
  }
  const spec = action === undefined ? undefined : ACTIONS[action];
  if (action === undefined || spec === undefined) {
    terminal.line(action === undefined ? 'Please specify an action.' : `"${action}" is not a valid action.`);
    terminal.line('');
    printUsage();
    return 1;
  }
  const command = parseAction(action, spec, action === 'run' || action === 'info' ? longNames(args) : args);
  const options = command.opts<Record<string, unknown>>();
  if (options.help === true) {
    printUsage();
    return 0;
  }
  const run = spec.prepare(options, command.args);
  const dynamic = parseDynamicProperties(((options.D as string[] | undefined) ?? []).flatMap((property) => ['-D', property])).properties;
  const client = async (): Promise<FlinkRestClient> => {
    const target = await resolveRestTarget(options.jobmanager as string | undefined, dynamic);
    return new FlinkRestClient(target.url, target.tls);
  };
  return (await run(client)) ?? 0;
}

/** Parses an action's options and arguments; commander's complaints become one-line usage errors. */
function parseAction(action: string, spec: ActionSpec, args: readonly string[]): Command {
  const command = spec
    .configure(new Command(action))
    .option('-m, --jobmanager <address>')
    .option('-D <key=value>', 'a configuration option', (value: string, previous: string[] = []) => [...previous, value])
    .option('-h, --help')
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  try {
    command.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      throw new UsageError(`flink ${action}: ${error.message.replace(/^error:\s*/, '').replace(/\.$/, '')} (see flink --help).`);
    throw error;
  }
  return command;
}

/** The options `run` and `info` share; the first argument that is no option is the jar, the rest go to the program. */
function programOptions(command: Command): Command {
  return command.option('-c, --class <class>').option('-p, --parallelism <n>').argument('[jar]').argument('[args...]').passThroughOptions();
}

/** Flink's -rm/-cm/-sae spelled as commander can read them, up to the jar (what follows belongs to the program). */
function longNames(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) return [...out, ...args.slice(i)];
    out.push(LONG_NAMES[arg] ?? arg);
    if (VALUE_OPTIONS.has(LONG_NAMES[arg] ?? arg) && i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}

function jarArgument(action: string, args: readonly string[]): { jarPath: string; programArgs: string[] } {
  const [jar, ...programArgs] = args;
  if (jar === undefined || jar.trim() === '')
    throw new UsageError(`flink ${action}: missing the jar; usage: flink ${action} [options] <jar> [args...].`);
  return { jarPath: resolve(jar), programArgs };
}

function parallelismOption(action: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 32_768)
    throw new UsageError(`flink ${action}: invalid parallelism '${text}': expected a whole number from 1 to 32768.`);
  return Number(text);
}

function jobIdArgument(action: string, value: string | undefined): string {
  if (value === undefined)
    throw new UsageError(`flink ${action}: missing job id; usage: flink ${action} <jobId> (flink list shows the ids).`);
  const jobId = parseJobId(value);
  if (jobId === undefined) throw new UsageError(`flink ${action}: invalid job id '${value}': expected 32 hexadecimal characters.`);
  return jobId;
}

/** Savepoint directories are resolved against the caller's working directory, as a user would expect. */
function directoryArgument(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return /^[a-z][a-z0-9+.-]*:/i.test(value) || isAbsolute(value) ? value : resolve(value);
}

function printUsage(): void {
  for (const line of USAGE) terminal.line(line);
}
