import type { DaemonScriptSpec } from './daemon-script.js';

/** bin/standalone-job.sh: the application-mode JobManager. */
export const STANDALONE_JOB: DaemonScriptSpec = {
  script: 'standalone-job.sh',
  daemon: 'standalonejob',
  kind: 'application',
  verbs: ['start', 'start-foreground', 'stop'],
  usage: 'Usage: standalone-job.sh ((start|start-foreground))|stop [args]',
  waitingFor: 'accept connections',
  readyTimeoutMs: 60_000,
};

/** bin/jobmanager.sh: the session-mode JobManager. */
export const JOBMANAGER: DaemonScriptSpec = {
  script: 'jobmanager.sh',
  daemon: 'standalonesession',
  kind: 'session',
  verbs: ['start', 'start-foreground', 'stop', 'stop-all'],
  usage: 'Usage: jobmanager.sh ((start|start-foreground) [args])|stop|stop-all',
  waitingFor: 'accept connections',
  readyTimeoutMs: 60_000,
  rewriteStartArgs: legacyJobManagerArgs,
};

/**
 * `jobmanager.sh start <host> [<webui-port>]`, the positional form start-cluster.sh uses in HA
 * setups, becomes `-D jobmanager.rpc.address=<host> -D rest.port=<port>` as in Flink 2.x. Unlike
 * Flink's script, a `-Dkey=value` right after the verb is read as an option, not as a host name.
 */
export function legacyJobManagerArgs(args: readonly string[]): string[] {
  const [host, port, ...rest] = args;
  if (host === undefined || host.startsWith('-')) return [...args];
  const converted = ['-D', `jobmanager.rpc.address=${host}`];
  if (port !== undefined && !port.startsWith('-')) return [...converted, '-D', `rest.port=${port}`, ...rest];
  return [...converted, ...args.slice(1)];
}

/** bin/taskmanager.sh: one TaskManager per start. */
export const TASKMANAGER: DaemonScriptSpec = {
  script: 'taskmanager.sh',
  daemon: 'taskexecutor',
  kind: 'taskmanager',
  verbs: ['start', 'start-foreground', 'stop', 'stop-all'],
  usage: 'Usage: taskmanager.sh (start|start-foreground|stop|stop-all)',
  waitingFor: 'register with the JobManager',
  readyTimeoutMs: 30_000,
};

/** bin/autoscaler.sh: the autoscaler beside a running cluster (tsflink's own script). */
export const AUTOSCALER: DaemonScriptSpec = {
  script: 'autoscaler.sh',
  daemon: 'autoscaler',
  kind: 'autoscaler',
  verbs: ['start', 'start-foreground', 'stop'],
  usage: 'Usage: autoscaler.sh (start|start-foreground|stop) [-D key=value]',
  waitingFor: 'start',
  readyTimeoutMs: 30_000,
};
