import type { ResultPromise } from 'execa';
import type { DaemonName } from './daemon-name.js';
import { logFilePrefix, pidFilePath, prepareDaemonDirectories, type DaemonPaths } from './daemon-paths.js';
import { daemonLogFiles, rotateLog, type DaemonLogFiles } from './log-files.js';
import { PidFile } from './pid-file.js';
import { isProcessAlive, terminateProcess, waitForExit } from './process-control.js';
import { spawnDaemon, type LaunchOutcome } from './spawn-daemon.js';

/** Flink's scripts wait this long after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 10_000;

/** Receives the progress lines Flink's scripts print. */
export type Reporter = (line: string) => void;

/** The process a daemon runs: the Node binary and the entry point with its arguments. */
export interface DaemonCommand {
  readonly executable: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** What `start` produced: where the daemon is and how its launch went. */
export interface DaemonStart {
  readonly pid: number;
  readonly instanceId: number;
  readonly logFiles: DaemonLogFiles;
  readonly outcome: LaunchOutcome;
}

/** Environment every daemon gets on top of the caller's: where to log and who it is. */
function daemonEnv(
  command: DaemonCommand,
  daemon: DaemonName,
  instanceId: number,
  logFiles: DaemonLogFiles,
  foreground: boolean,
): NodeJS.ProcessEnv {
  return {
    ...command.env,
    TSFLINK_DAEMON: daemon,
    TSFLINK_INSTANCE_ID: String(instanceId),
    TSFLINK_LOG_FILE: logFiles.log,
    TSFLINK_FOREGROUND: foreground ? 'true' : 'false',
  };
}

/** `<daemon>.sh start`: flink-daemon.sh's start, plus waiting until the process says it is ready. */
export async function startDaemon(
  daemon: DaemonName,
  paths: DaemonPaths,
  command: DaemonCommand,
  readyTimeoutMs: number,
  report: Reporter,
): Promise<DaemonStart> {
  prepareDaemonDirectories(paths);
  const pidFile = new PidFile(pidFilePath(paths, daemon));
  const running = pidFile.read().filter(isProcessAlive).length;
  if (running > 0) report(`[INFO] ${running} instance(s) of ${daemon} are already running on ${paths.host}.`);
  report(`Starting ${daemon} daemon on host ${paths.host}.`);
  let launched: { logFiles: DaemonLogFiles; outcome: Promise<LaunchOutcome> } | undefined;
  const { instanceId, pid } = await pidFile.register(async (id) => {
    const logFiles = daemonLogFiles(logFilePrefix(paths, daemon, id));
    rotateLog(logFiles.log, paths.maxLogFiles);
    rotateLog(logFiles.out, paths.maxLogFiles);
    const spawned = spawnDaemon({
      command: command.executable,
      args: command.args,
      env: daemonEnv(command, daemon, id, logFiles, false),
      outFile: logFiles.out,
      readyTimeoutMs,
    });
    launched = { logFiles, outcome: spawned.outcome };
    return spawned.pid;
  });
  const outcome = await launched!.outcome;
  if (outcome.type === 'failed' || outcome.type === 'exited') await forgetFailedStart(pidFile, pid);
  return { pid, instanceId, logFiles: launched!.logFiles, outcome };
}

/** How long a daemon that reported a failed start gets to exit before it is killed. */
const FAILED_START_EXIT_MS = 5_000;

/**
 * A start that failed takes its pid line back, once the process is gone: a line left behind made a
 * later `stop` report the dead pid and leave the running daemon alone, and the dying process was
 * counted as running for a moment.
 */
async function forgetFailedStart(pidFile: PidFile, pid: number): Promise<void> {
  if (!(await waitForExit(pid, FAILED_START_EXIT_MS))) await terminateProcess(pid, 0, () => undefined);
  await pidFile.remove(pid);
}

/** Flink's line when the grace period ran out. */
function notStopped(daemon: DaemonName, graceMs: number): string {
  return `Daemon ${daemon} didn't stop within ${Math.round(graceMs / 1000)} seconds. Killing it.`;
}

/** `<daemon>.sh stop`: stops the newest instance only (LIFO), exactly as flink-daemon.sh. */
export async function stopDaemon(daemon: DaemonName, paths: DaemonPaths, report: Reporter, graceMs = STOP_GRACE_MS): Promise<void> {
  const popped = await new PidFile(pidFilePath(paths, daemon)).popNewest();
  if (popped === 'missing' || popped === 'empty') {
    report(`No ${daemon} daemon to stop on host ${paths.host}.`);
    return;
  }
  if (!isProcessAlive(popped)) {
    report(`No ${daemon} daemon (pid: ${popped}) is running anymore on ${paths.host}.`);
    return;
  }
  report(`Stopping ${daemon} daemon (pid: ${popped}) on host ${paths.host}.`);
  await terminateProcess(popped, graceMs, () => report(notStopped(daemon, graceMs)));
}

/** `<daemon>.sh stop-all`: every listed instance, oldest first. */
export async function stopAllDaemons(daemon: DaemonName, paths: DaemonPaths, report: Reporter, graceMs = STOP_GRACE_MS): Promise<void> {
  for (const pid of await new PidFile(pidFilePath(paths, daemon)).takeAll()) {
    if (!isProcessAlive(pid)) {
      report(`Skipping ${daemon} daemon (pid: ${pid}), because it is not running anymore on ${paths.host}.`);
      continue;
    }
    report(`Stopping ${daemon} daemon (pid: ${pid}) on host ${paths.host}.`);
    await terminateProcess(pid, graceMs, () => report(notStopped(daemon, graceMs)));
  }
}

/**
 * `<daemon>.sh start-foreground`: the process stays attached to the terminal and logs to it; its
 * pid goes into the same pid file (so `stop` can stop it) and its line stays after it exits, as in Flink.
 */
export async function runForeground(daemon: DaemonName, paths: DaemonPaths, command: DaemonCommand, report: Reporter): Promise<number> {
  prepareDaemonDirectories(paths);
  const pidFile = new PidFile(pidFilePath(paths, daemon));
  const { execa } = await import('execa');
  let child: ResultPromise | undefined;
  await pidFile.register(
    async (id) => {
      const logFiles = daemonLogFiles(logFilePrefix(paths, daemon, id));
      rotateLog(logFiles.log, paths.maxLogFiles);
      report(`Starting ${daemon} as a console application on host ${paths.host}.`);
      child = execa(command.executable, [...command.args], {
        env: daemonEnv(command, daemon, id, logFiles, true),
        extendEnv: false,
        stdio: 'inherit',
        reject: false,
        cleanup: true,
      });
      if (child.pid === undefined) throw new Error(`Could not start ${command.executable}`);
      return child.pid;
    },
    { dropIfAllDead: true },
  );
  const forward = (signal: NodeJS.Signals) => (): void => {
    child?.kill(signal);
  };
  const onTerm = forward('SIGTERM');
  const onInt = forward('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  const result = await child!;
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onInt);
  return result.exitCode ?? (result.signal === 'SIGKILL' ? 137 : 143);
}
