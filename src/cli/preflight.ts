import { loadConfiguration, resolveConfDir, unknownKeys, unknownKeyWarning, type Configuration } from '../config/index.js';
import { ENV_LOG_DIR, ENV_LOG_MAX, ENV_PID_DIR } from '../config/options/env-options.js';
import { gracefulStopWindowMs, TASK_MANAGER_GRACEFUL_STOP_TIMEOUT } from '../config/options/taskmanager-options.js';
import { STOP_GRACE_MS } from '../daemon/daemon-control.js';
import type { DaemonName } from '../daemon/daemon-name.js';
import { resolveDaemonPaths, type DaemonPaths } from '../daemon/daemon-paths.js';
import { checkClusterKind } from '../entrypoint/cluster-kind-check.js';
import { parseEntrypointArguments, type EntrypointArguments, type EntrypointKind } from '../entrypoint/entrypoint-arguments.js';
import { FLINK_HOME } from './flink-home.js';
import { terminal } from './ui/terminal.js';

/** Everything a script needs before it acts: validated configuration and resolved paths. */
export interface Preflight {
  readonly confDir: string;
  readonly configuration: Configuration;
  readonly paths: DaemonPaths;
  readonly entryArgs: EntrypointArguments;
}

/**
 * Parses the arguments the daemon will get and loads its configuration, so that a bad -D or a bad
 * config file fails here, in one line, before any process is started.
 */
export async function preflight(kind: EntrypointKind, args: readonly string[]): Promise<Preflight> {
  const entryArgs = parseEntrypointArguments(args, kind);
  const confDir = entryArgs.configDir ?? resolveConfDir(process.env, FLINK_HOME);
  const { configuration } = await loadConfiguration({ confDir, dynamicProperties: entryArgs.dynamicProperties });
  checkClusterKind(kind, configuration);
  // A key that looks like a typo of a known one is shown on the terminal too, not only in the log:
  // the option it meant has silently kept its default.
  for (const unknown of unknownKeys(configuration)) {
    if (unknown.suggestion !== undefined) terminal.warn(`[WARN] ${unknownKeyWarning(unknown)}`);
  }
  return { confDir, configuration, paths: daemonPathsFor(configuration), entryArgs };
}

/** Pid and log locations from the configuration and the environment (which wins, as in Flink). */
export function daemonPathsFor(configuration: Configuration): DaemonPaths {
  return resolveDaemonPaths(process.env, FLINK_HOME, {
    pidDir: configuration.get(ENV_PID_DIR),
    logDir: configuration.get(ENV_LOG_DIR),
    maxLogFiles: configuration.get(ENV_LOG_MAX),
  });
}

/** Configuration for commands that only need pid and log paths (stop, stop-all): defaults when the file is unusable. */
/**
 * What `stop` needs: the daemon paths, and how long to wait after SIGTERM. A TaskManager may first
 * wait for its jobs to move off it (taskmanager.graceful-stop.timeout), so its grace period grows by that.
 */
export async function loadStopSettings(daemon: DaemonName): Promise<{ readonly paths: DaemonPaths; readonly graceMs: number }> {
  const confDir = resolveConfDir(process.env, FLINK_HOME);
  const { configuration } = await loadConfiguration({ confDir });
  const leaveMs = daemon === 'taskexecutor' ? gracefulStopWindowMs(configuration.get(TASK_MANAGER_GRACEFUL_STOP_TIMEOUT)) : 0;
  return { paths: daemonPathsFor(configuration), graceMs: STOP_GRACE_MS + leaveMs };
}
