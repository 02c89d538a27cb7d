import { join } from 'node:path';
import { Command } from 'commander';
import { resolveConfDir } from '../../config/index.js';
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
    const result = await execa('ssh', ['-n', ...sshOpts, worker.host, '--', `nohup /bin/bash -l "${script}" ${verb}`], { reject: false, stdio: 'inherit' });
    worst = Math.max(worst, result.exitCode ?? 1);
  }
  return worst;
}

function workersFile(): string {
  return join(resolveConfDir(process.env, FLINK_HOME), 'workers');
}

/** bin/start-cluster.sh: one session JobManager here, then one TaskManager per workers line. */
export function startClusterCommand(setExitCode: (code: number) => void): Command {
  return new Command('start-cluster.sh').helpOption(false).allowExcessArguments().action(async () => {
    const workers = readHostList(workersFile(), 'workers');
    terminal.line('Starting cluster.');
    const jobManager = await runVerb(JOBMANAGER, 'start', []);
    if (jobManager !== 0) return setExitCode(jobManager);
    setExitCode(await forEachWorker(workers, 'start'));
  });
}

/** bin/stop-cluster.sh: one `taskmanager.sh stop` per workers line (newest first), then the JobManager. */
export function stopClusterCommand(setExitCode: (code: number) => void): Command {
  return new Command('stop-cluster.sh').helpOption(false).allowExcessArguments().action(async () => {
    const workers = readHostList(workersFile(), 'workers');
    const taskManagers = await forEachWorker(workers, 'stop');
    const jobManager = await runVerb(JOBMANAGER, 'stop', []);
    setExitCode(Math.max(taskManagers, jobManager));
  });
}
