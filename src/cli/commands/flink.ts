import { isAbsolute, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { parseDynamicProperties } from '../../config/dynamic-properties.js';
import { UsageError } from '../../core/errors.js';
import { parseJobId } from '../../core/ids.js';
import { terminal } from '../ui/terminal.js';
import { resolveRestUrl } from './flink-address.js';
import { cancelJob } from './flink-cancel.js';
import { listJobs } from './flink-list.js';
import { FlinkRestClient } from './flink-rest-client.js';
import { stopWithSavepoint, triggerSavepoint } from './flink-savepoint.js';

const USAGE = [
  'Usage: flink <action> [options]',
  '',
  'Actions:',
  '  list [-r|-s|-a]                         list running/restarting (-r) and scheduled (-s) jobs, or all jobs (-a)',
  '  cancel <jobId>                          cancel a job',
  '  savepoint <jobId> [targetDirectory]     take a savepoint of a running job',
  '  stop [-p <dir>] [-d] <jobId>            stop a job with a savepoint (-p/--savepointPath: where, -d/--drain)',
  '',
  'Every action accepts -m, --jobmanager <host:port>: the REST address of the JobManager',
  "(default: rest.address and rest.port of the configuration; with rest.port 0, the running JobManager's),",
  'and -D <key=value> (repeatable) to override a configuration option, such as -Drest.port=8082.',
];

/** What an action does once the JobManager is found. */
type ActionRun = (client: FlinkRestClient) => Promise<void>;

/** One action: how it reads its arguments, and the run they make (arguments are checked before anything is contacted). */
interface ActionSpec {
  readonly configure: (command: Command) => Command;
  readonly prepare: (options: Record<string, unknown>, args: readonly string[]) => ActionRun;
}

const ACTIONS: Record<string, ActionSpec> = {
  list: {
    configure: (c) => c.option('-r, --running').option('-s, --scheduled').option('-a, --all'),
    prepare: (options) => (client) =>
      listJobs(
        client,
        { running: options.running === true, scheduled: options.scheduled === true, all: options.all === true },
        terminal.line,
      ),
  },
  cancel: {
    configure: (c) => c.argument('[jobId]'),
    prepare: (_options, args) => {
      const jobId = jobIdArgument('cancel', args[0]);
      return (client) => cancelJob(client, jobId, terminal.line);
    },
  },
  savepoint: {
    configure: (c) => c.argument('[jobId]').argument('[targetDirectory]'),
    prepare: (_options, args) => {
      const jobId = jobIdArgument('savepoint', args[0]);
      const target = directoryArgument(args[1]);
      return (client) => triggerSavepoint(client, jobId, target, terminal.line);
    },
  },
  stop: {
    configure: (c) => c.argument('[jobId]').option('-p, --savepointPath <dir>').option('-d, --drain'),
    prepare: (options, args) => {
      const jobId = jobIdArgument('stop', args[0]);
      const target = directoryArgument(options.savepointPath as string | undefined);
      return (client) => stopWithSavepoint(client, jobId, target, options.drain === true, terminal.line);
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
  const command = parseAction(action, spec, args);
  const options = command.opts<Record<string, unknown>>();
  if (options.help === true) {
    printUsage();
    return 0;
  }
  const run = spec.prepare(options, command.args);
  const dynamic = parseDynamicProperties(((options.D as string[] | undefined) ?? []).flatMap((property) => ['-D', property])).properties;
  await run(new FlinkRestClient(await resolveRestUrl(options.jobmanager as string | undefined, dynamic)));
  return 0;
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
