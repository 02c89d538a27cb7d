import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfiguration, resolveConfDir } from '../../config/index.js';
import { HIGH_AVAILABILITY_TYPE } from '../../config/options/high-availability-options.js';
import { FLINK_HOME } from '../flink-home.js';
import { terminal } from '../ui/terminal.js';
import { runVerb } from './daemon-script.js';
import { allLocal, readHostList, type HostEntry } from './host-list.js';
import { JOBMANAGER, TASKMANAGER } from './scripts.js';

/** Runs `taskmanager.sh <verb>` once per workers line: locally when all are localhost, else over ssh as Flink does. */
async function forEachWorker(workers: readonly HostEntry[], verb: 'start' | 'stop'): Promise<number> {
  let worst = 0;
  if (allLocal(workers)) {
    for (let i = 0; i < workers.length; i++) worst = Math.max(worst, await runVerb(TASKMANAGER, verb, []));
    return worst;
  }
  const { execa } = await import('execa');
  const sshOpts = (process.env['FLINK_SSH_OPTS'] ?? '').split(/\s+/).filter((o) => o !== '');
  for (const worker of workers) {
    const script = join(FLINK_HOME, 'bin', 'taskmanager.sh');
    const result = await execa('ssh', ['-n', ...sshOpts, worker.host, '--', `nohup /bin/bash -l "${script}" ${verb}`], {
      reject: false,
      stdio: 'inherit',
    });
    worst = Math.max(worst, result.exitCode ?? 1);
  }
  return worst;
}

function workersFile(): string {
  return join(resolveConfDir(process.env, FLINK_HOME), 'workers');
}

/**
 * The JobManagers to start, as Flink's start-cluster.sh decides: with ZooKeeper high availability
 * one per conf/masters line (`host[:webuiport]`), else the one JobManager here.
 */
async function mastersToStart(): Promise<HostEntry[] | undefined> {
  const confDir = resolveConfDir(process.env, FLINK_HOME);
  const { configuration } = await loadConfiguration({ confDir });
  if (configuration.get(HIGH_AVAILABILITY_TYPE) !== 'zookeeper') return undefined;
  return readHostList(join(confDir, 'masters'), 'masters');
}

/** Runs `jobmanager.sh <verb> host webuiport` once per masters line: locally for this host, else over ssh. */
async function forEachMaster(masters: readonly HostEntry[], verb: 'start' | 'stop'): Promise<number> {
  let worst = 0;
  const { execa } = await import('execa');
  const sshOpts = (process.env['FLINK_SSH_OPTS'] ?? '').split(/\s+/).filter((o) => o !== '');
  for (const master of masters) {
    const args = verb === 'start' ? [master.host, ...(master.port === undefined ? [] : [String(master.port)])] : [];
    if (allLocal([master])) {
      worst = Math.max(worst, await runVerb(JOBMANAGER, verb, args));
      continue;
    }
    const script = join(FLINK_HOME, 'bin', 'jobmanager.sh');
    const result = await execa('ssh', ['-n', ...sshOpts, master.host, '--', `nohup /bin/bash -l "${script}" ${verb} ${args.join(' ')}`], {
      reject: false,
      stdio: 'inherit',
    });
    worst = Math.max(worst, result.exitCode ?? 1);
  }
  return worst;
}

const START_USAGE = [
  'Usage: start-cluster.sh',
  '',
  'Starts a session cluster: a JobManager on this host (jobmanager.sh start), then one TaskManager',
  'per line of conf/workers (taskmanager.sh start; over ssh for hosts other than localhost).',
  'With high-availability.type: zookeeper, one JobManager per line of conf/masters (host[:webuiport]).',
  'FLINK_CONF_DIR selects the configuration directory.',
];

const STOP_USAGE = [
  'Usage: stop-cluster.sh',
  '',
  'Stops a session cluster: one TaskManager per line of conf/workers (taskmanager.sh stop), then the',
  'JobManager (jobmanager.sh stop). FLINK_CONF_DIR selects the configuration directory.',
];

/** A cluster script takes no arguments: --help prints its usage, anything else is refused in one line. */
function clusterScript(name: string, usage: readonly string[], run: () => Promise<number>, setExitCode: (code: number) => void): Command {
  return new Command(name)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[]) => {
      if (args.length > 0) {
        const help = args.every((arg) => arg === '--help' || arg === '-h');
        if (help) for (const line of usage) terminal.line(line);
        else terminal.error(`${name} takes no arguments, got '${args.join(' ')}' (see ${name} --help).`);
        return setExitCode(help ? 0 : 1);
      }
      setExitCode(await run());
    });
}

/** bin/start-cluster.sh: one session JobManager here, then one TaskManager per workers line. */
export function startClusterCommand(setExitCode: (code: number) => void): Command {
  return clusterScript(
    'start-cluster.sh',
    START_USAGE,
    async () => {
      const workers = readHostList(workersFile(), 'workers');
      const masters = await mastersToStart();
      if (masters !== undefined) terminal.line(`Starting HA cluster with ${masters.length} masters.`);
      else terminal.line('Starting cluster.');
      const jobManager = masters === undefined ? await runVerb(JOBMANAGER, 'start', []) : await forEachMaster(masters, 'start');
      if (jobManager !== 0) return jobManager;
      return forEachWorker(workers, 'start');
    },
    setExitCode,
  );
}

/** bin/stop-cluster.sh: one `taskmanager.sh stop` per workers line (newest first), then the JobManager. */
export function stopClusterCommand(setExitCode: (code: number) => void): Command {
  return clusterScript(
    'stop-cluster.sh',
    STOP_USAGE,
    async () => {
      const workers = readHostList(workersFile(), 'workers');
      const masters = await mastersToStart();
      const taskManagers = await forEachWorker(workers, 'stop');
      const jobManager = masters === undefined ? await runVerb(JOBMANAGER, 'stop', []) : await forEachMaster(masters, 'stop');
      return Math.max(taskManagers, jobManager);
    },
    setExitCode,
  );
}
