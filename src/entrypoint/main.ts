// First, before any library loads: see ensure-home.ts.
import '../core/ensure-home.js';
import { describeError, TsFlinkError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { reportReadiness } from '../daemon/readiness.js';
import { parseEntrypointArguments } from './entrypoint-arguments.js';

const log = getLogger('entrypoint');

/** Exit code of a process that failed to start (Flink's STARTUP_FAILURE_RETURN_CODE). */
const STARTUP_FAILURE = 1;

async function main(argv: readonly string[]): Promise<void> {
  const [daemon, ...rest] = argv;
  // Each process loads only its own side: a TaskManager never pays for the JobManager's modules.
  switch (daemon) {
    case 'standalonejob':
      return (await import('./jobmanager-main.js')).runJobManager('application', parseEntrypointArguments(rest, 'application'));
    case 'standalonesession':
      return (await import('./jobmanager-main.js')).runJobManager('session', parseEntrypointArguments(rest, 'session'));
    case 'taskexecutor':
      return (await import('./taskmanager-main.js')).runTaskManager(parseEntrypointArguments(rest, 'taskmanager'));
    case 'autoscaler':
      return (await import('./autoscaler-main.js')).runAutoscaler(parseEntrypointArguments(rest, 'autoscaler'));
    default:
      throw new TsFlinkError(
        'USAGE',
        `Unknown daemon '${daemon ?? ''}': expected standalonejob, standalonesession, taskexecutor or autoscaler.`,
      );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = describeError(error);
  const suggestion = error instanceof TsFlinkError && error.suggestion !== undefined ? ` ${error.suggestion}` : '';
  log.error(`Could not start the process: ${message}`, error instanceof TsFlinkError ? undefined : error);
  process.stderr.write(`ERROR: ${message}${suggestion}\n`);
  reportReadiness({ type: 'failed', message: `${message}${suggestion}` });
  // Give the IPC message a moment to leave before exiting.
  setTimeout(() => process.exit(STARTUP_FAILURE), 50);
});
