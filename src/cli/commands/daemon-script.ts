import { Command } from 'commander';
import type { DaemonName } from '../../daemon/daemon-name.js';
import { runForeground, startDaemon, stopAllDaemons, stopDaemon, type DaemonStart } from '../../daemon/daemon-control.js';
import type { EntrypointKind } from '../../entrypoint/entrypoint-arguments.js';
import { ENTRYPOINT_SCRIPT } from '../flink-home.js';
import { loadStopSettings, preflight } from '../preflight.js';
import { tailFile } from '../tail-file.js';
import { spinner } from '../ui/spinner.js';
import { terminal } from '../ui/terminal.js';

/** One of the wrapper scripts: which daemon it runs and which verbs it accepts. */
export interface DaemonScriptSpec {
  readonly script: string;
  readonly daemon: DaemonName;
  readonly kind: EntrypointKind;
  readonly verbs: readonly string[];
  readonly usage: string;
  /** What the launcher waits for before `start` returns. */
  readonly waitingFor: string;
  readonly readyTimeoutMs: number;
  /** Turns legacy positional arguments of `start` into options. */
  readonly rewriteStartArgs?: (args: readonly string[]) => string[];
}

/** Exit code of a script that printed its usage. */
const USAGE_EXIT = 1;

/** Builds the commander program behind `bin/<script>`; its action resolves to the exit code. */
export function daemonScriptCommand(spec: DaemonScriptSpec, setExitCode: (code: number) => void): Command {
  return new Command(spec.script)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument('[verb]')
    .argument('[args...]')
    .action(async (verb: string | undefined, args: string[]) => {
      setExitCode(await runVerb(spec, verb, args));
    });
}

/** Runs one verb of a script; start-cluster.sh and stop-cluster.sh reuse it. */
export async function runVerb(spec: DaemonScriptSpec, verb: string | undefined, args: readonly string[]): Promise<number> {
  if (verb === undefined || !spec.verbs.includes(verb)) {
    terminal.line(spec.usage);
    return USAGE_EXIT;
  }
  const startArgs = spec.rewriteStartArgs?.(args) ?? args;
  switch (verb) {
    case 'start':
      return start(spec, startArgs);
    case 'start-foreground':
      return startForeground(spec, startArgs);
    case 'stop': {
      const { paths, graceMs } = await loadStopSettings(spec.daemon);
      await stopDaemon(spec.daemon, paths, terminal.line, graceMs);
      return 0;
    }
    default: {
      const { paths, graceMs } = await loadStopSettings(spec.daemon);
      await stopAllDaemons(spec.daemon, paths, terminal.line, graceMs);
      return 0;
    }
  }
}

function entrypointCommand(
  spec: DaemonScriptSpec,
  confDir: string,
  args: readonly string[],
): { executable: string; args: string[]; env: NodeJS.ProcessEnv } {
  return { executable: process.execPath, args: [ENTRYPOINT_SCRIPT, spec.daemon, '--configDir', confDir, ...args], env: process.env };
}

async function start(spec: DaemonScriptSpec, args: readonly string[]): Promise<number> {
  const checked = await preflight(spec.kind, args);
  const progress = await spinner(`Waiting for the ${spec.daemon} daemon to ${spec.waitingFor}`);
  const report = (line: string): void => {
    terminal.line(line);
    if (line.startsWith('Starting')) progress.start();
  };
  let started: DaemonStart;
  try {
    started = await startDaemon(spec.daemon, checked.paths, entrypointCommand(spec, checked.confDir, args), spec.readyTimeoutMs, report);
  } finally {
    progress.stop();
  }
  return reportOutcome(spec, started);
}

function reportOutcome(spec: DaemonScriptSpec, started: DaemonStart): number {
  const outcome = started.outcome;
  switch (outcome.type) {
    case 'ready':
      terminal.success(`${outcome.summary} (pid: ${started.pid}).`);
      return 0;
    case 'waiting':
      terminal.warn(`${outcome.summary}`);
      return 0;
    case 'timeout':
      terminal.warn(
        `The ${spec.daemon} daemon (pid: ${started.pid}) did not ${spec.waitingFor} within ${spec.readyTimeoutMs / 1000} s; it is still running. See ${started.logFiles.log}.`,
      );
      return spec.kind === 'taskmanager' ? 0 : 1;
    case 'failed':
    case 'exited': {
      const why = outcome.type === 'failed' ? outcome.message : `the process exited with ${outcome.signal ?? `code ${outcome.exitCode}`}`;
      terminal.error(`Error starting ${spec.daemon} daemon: ${why}`);
      printTail(started.logFiles.out, 'out');
      printTail(started.logFiles.log, 'log');
      return 1;
    }
  }
}

function printTail(path: string, label: string): void {
  const lines = tailFile(path, 20);
  if (lines.length === 0) return;
  terminal.dim(`--- last lines of ${path} (${label}) ---`);
  for (const line of lines) terminal.dim(line);
}

async function startForeground(spec: DaemonScriptSpec, args: readonly string[]): Promise<number> {
  const checked = await preflight(spec.kind, args);
  return runForeground(spec.daemon, checked.paths, entrypointCommand(spec, checked.confDir, args), terminal.line);
}
