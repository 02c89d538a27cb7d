import type { Command } from 'commander';
import { startClusterCommand, stopClusterCommand } from './commands/cluster-scripts.js';
import { daemonScriptCommand } from './commands/daemon-script.js';
import { flinkCommand } from './commands/flink.js';
import { JOBMANAGER, STANDALONE_JOB, TASKMANAGER } from './commands/scripts.js';
import { handleError } from './handle-error.js';
import { terminal } from './ui/terminal.js';

type CommandFactory = (setExitCode: (code: number) => void) => Command;

/** The programs behind bin/: `node dist/src/cli/main.js <script> [args...]`. */
const PROGRAMS: Record<string, CommandFactory> = {
  'standalone-job': (set) => daemonScriptCommand(STANDALONE_JOB, set),
  jobmanager: (set) => daemonScriptCommand(JOBMANAGER, set),
  taskmanager: (set) => daemonScriptCommand(TASKMANAGER, set),
  'start-cluster': startClusterCommand,
  'stop-cluster': stopClusterCommand,
  flink: flinkCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [script, ...args] = argv;
  const factory = script === undefined ? undefined : PROGRAMS[script];
  if (factory === undefined) {
    terminal.error(`Unknown script '${script ?? ''}': expected one of ${Object.keys(PROGRAMS).join(', ')}.`);
    return 1;
  }
  let exitCode = 0;
  const program = factory((code) => { exitCode = code; });
  await program.parseAsync([...args], { from: 'user' });
  return exitCode;
}

// The only place a tsflink command ends the process.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(handleError(error)),
);
