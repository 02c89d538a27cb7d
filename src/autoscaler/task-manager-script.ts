import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { getLogger } from '../core/logging.js';
import type { TaskManagerControl } from './scaling-actuator.js';

const log = getLogger('autoscaler');

/** A start waits for the TaskManager to register; the script's own limit is shorter, this is a backstop. */
const SCRIPT_TIMEOUT_MS = 120_000;

/**
 * Starts and stops TaskManagers by running bin/taskmanager.sh itself, so pid files, log files and the
 * stop path are exactly the script's (and stay so whatever the script learns later).
 */
export class TaskManagerScript implements TaskManagerControl {
  constructor(
    private readonly flinkHome: string,
    private readonly confDir: string,
  ) {}

  start(): Promise<void> {
    return this.#run('start');
  }

  stop(): Promise<void> {
    return this.#run('stop');
  }

  #run(verb: string): Promise<void> {
    const script = join(this.flinkHome, 'bin', 'taskmanager.sh');
    const env = { ...process.env, FLINK_CONF_DIR: this.confDir, TSFLINK_NODE: process.execPath };
    return new Promise((resolve, reject) => {
      execFile(script, [verb], { env, timeout: SCRIPT_TIMEOUT_MS }, (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim().replace(/\s*\n\s*/g, ' | ');
        if (error) {
          reject(new Error(`taskmanager.sh ${verb} failed: ${output || error.message}`));
          return;
        }
        log.info(`taskmanager.sh ${verb}: ${output}`);
        resolve();
      });
    });
  }
}
