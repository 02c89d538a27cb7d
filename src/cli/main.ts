// First, before any library loads: see ensure-home.ts.
import '../core/ensure-home.js';
import './pid-one-signals.js';
import type { Command } from 'commander';
import { startClusterCommand, stopClusterCommand } from './commands/cluster-scripts.js';
import { configParserUtilsCommand } from './commands/config-parser-utils.js';
import { daemonScriptCommand } from './commands/daemon-script.js';
import { flinkCommand } from './commands/flink.js';
import { zooKeeperCommand, zooKeeperQuorumCommand } from './commands/zookeeper-script.js';
import { AUTOSCALER, JOBMANAGER, STANDALONE_JOB, TASKMANAGER } from './commands/scripts.js';
import { handleError } from './handle-error.js';
import { terminal } from './ui/terminal.js';

type CommandFactory = (setExitCode: (code: number) => void) => Command;

/** The programs behind bin/: `node dist/src/cli/main.js <script> [args...]`. */
const PROGRAMS: Record<string, CommandFactory> = {
  'standalone-job': (set) => daemonScriptCommand(STANDALONE_JOB, set),
  jobmanager: (set) => daemonScriptCommand(JOBMANAGER, set),
  taskmanager: (set) => daemonScriptCommand(TASKMANAGER, set),
  autoscaler: (set) => daemonScriptCommand(AUTOSCALER, set),
  'start-cluster': startClusterCommand,
  'stop-cluster': stopClusterCommand,
  zookeeper: zooKeeperCommand,
  'start-zookeeper-quorum': zooKeeperQuorumCommand('start'),
  'stop-zookeeper-quorum': zooKeeperQuorumCommand('stop'),
  flink: flinkCommand,
  'config-parser-utils': configParserUtilsCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [script, ...args] = argv;
  const factory = script === undefined ? undefined : PROGRAMS[script];
  if (factory === undefined) {
    terminal.error(`Unknown script '${script ?? ''}': expected one of ${Object.keys(PROGRAMS).join(', ')}.`);
    return 1;
  }
  let exitCode = 0;
  const program = factory((code) => {
    exitCode = code;
  });
  await program.parseAsync([...args], { from: 'user' });
  return exitCode;
}

/** How long an exit waits for output a pipe has not taken yet (a reader that went away never takes it). */
const FLUSH_TIMEOUT_MS = 5_000;

/**
 * The only place a tsflink command ends the process. process.exit() drops what a pipe has not
 * taken yet, so it waits until stdout and stderr have written everything before it.
 */
function exit(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
  setTimeout(() => process.exit(code), FLUSH_TIMEOUT_MS).unref();
}

main(process.argv.slice(2)).then(exit, (error: unknown) => exit(handleError(error)));
