import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { describeError } from '../core/errors.js';
import type { JobId } from '../core/ids.js';
import { getLogger } from '../core/logging.js';
import type { Configuration } from '../config/configuration.js';
import { SHUTDOWN_ON_APPLICATION_FINISH } from '../config/options/deployment-options.js';
import { HIGH_AVAILABILITY_CLUSTER_ID, HIGH_AVAILABILITY_TYPE } from '../config/options/high-availability-options.js';
import { SAVEPOINT_IGNORE_UNCLAIMED_STATE, SAVEPOINT_PATH } from '../config/options/state-options.js';
import { reportReadiness } from '../daemon/readiness.js';
import { savepointPathProblem } from '../jobmanager/checkpoint/checkpoint-directory-loader.js';
import { ApplicationRunner, type ApplicationOutcome } from '../jobmanager/dispatcher/application-runner.js';
import { programDefaults } from '../jobmanager/dispatcher/program-defaults.js';
import type { ClusterEntrypoint } from '../jobmanager/cluster-entrypoint.js';
import type { EntrypointArguments } from './entrypoint-arguments.js';
import { FLINK_HOME } from './flink-home.js';

const log = getLogger('application');

/** Flink's ApplicationStatus exit codes: FAILED is 1443 (a shell sees 163). */
export const APPLICATION_FAILED_EXIT_CODE = 1443;

/** With HA and no --job-id, the job id follows from the cluster id, so a restarted JobManager finds its checkpoints (as Flink does). */
export function jobIdFromClusterId(clusterId: string): JobId {
  return createHash('sha256').update(clusterId).digest('hex').slice(0, 32) as JobId;
}

/** Exit code of the JobManager for how its application ended. */
export function exitCodeOf(outcome: ApplicationOutcome): number {
  if (outcome.kind === 'program-failed') return APPLICATION_FAILED_EXIT_CODE;
  return outcome.result.status === 'FAILED' ? APPLICATION_FAILED_EXIT_CODE : 0;
}

/** How long main may run before submitting until `start` is told it is stuck (Flink's own mains submit within a second). */
const SLOW_MAIN_MS = 10_000;

/**
 * Runs the application of a standalone-job cluster: locates and starts the job, reports readiness
 * once it is submitted, and resolves with the exit code when it is over.
 */
export async function runApplication(
  cluster: ClusterEntrypoint,
  configuration: Configuration,
  args: EntrypointArguments,
  restUrl: string,
): Promise<number> {
  const type = configuration.get(HIGH_AVAILABILITY_TYPE);
  const highAvailability = type === 'filesystem' || type === 'zookeeper';
  // FLINK_LIB_DIR moves the job classpath as in Flink's config.sh; usrlib sits beside it.
  const libDir = process.env['FLINK_LIB_DIR'] || join(FLINK_HOME, 'lib');
  const runner = new ApplicationRunner(
    {
      libDirs: [libDir, join(dirname(libDir), 'usrlib')],
      jobClassName: args.jobClassName,
      jobId: args.jobId ?? (highAvailability ? jobIdFromClusterId(configuration.get(HIGH_AVAILABILITY_CLUSTER_ID)) : undefined),
      programArgs: args.programArgs,
      workDir: cluster.workDir,
      savepointPath: args.fromSavepoint,
      allowNonRestoredState: args.allowNonRestoredState || configuration.get(SAVEPOINT_IGNORE_UNCLAIMED_STATE),
      recoverCheckpoints: highAvailability,
      defaults: programDefaults(configuration),
    },
    cluster.dispatcher,
  );
  // A bad restore path is the user's mistake, not a failure of the job's main: say so in Flink's words.
  const restorePath = args.fromSavepoint ?? configuration.get(SAVEPOINT_PATH);
  const restoreProblem = restorePath === undefined ? undefined : await savepointPathProblem(restorePath);
  if (restoreProblem !== undefined) {
    log.error(`Could not start the job: ${restoreProblem}`);
    reportReadiness({ type: 'failed', message: restoreProblem });
    return APPLICATION_FAILED_EXIT_CODE;
  }
  const prepared = await runner.prepare();
  const { submitted, finished } = runner.run(prepared);
  // main runs on its own thread, so a main that never submits cannot wedge this one: say what it
  // is once it has taken long, and let `start` return, since REST and `stop` keep working.
  let slow = false;
  const slowMain = setTimeout(() => {
    slow = true;
    const what = `the job's main (${prepared.archive.mainClass}) has run for ${SLOW_MAIN_MS / 1000} s without submitting a job; it may be computing, waiting or looping forever`;
    log.warn(`${what}. REST and standalone-job.sh stop keep working.`);
    reportReadiness({
      type: 'waiting',
      summary: `JobManager is up (REST API and web UI at ${restUrl}), but ${what}. See the log; standalone-job.sh stop stops it.`,
    });
  }, SLOW_MAIN_MS);
  slowMain.unref();
  let job;
  try {
    job = await submitted;
  } catch (error) {
    log.error(`Application failed before submitting its job: ${describeError(error)}`, error);
    reportReadiness({ type: 'failed', message: `the job's main failed: ${describeError(error)}` });
    return APPLICATION_FAILED_EXIT_CODE;
  } finally {
    clearTimeout(slowMain);
  }
  if (slow) log.info(`The job's main submitted job ${job.jobName} (${job.jobId}) after all.`);
  reportReadiness({
    type: 'ready',
    summary: `JobManager is ready: job ${job.jobName} (${job.jobId}) submitted; REST API and web UI at ${restUrl}`,
    details: { restUrl, jobId: job.jobId, pid: process.pid },
  });
  const outcome = await finished;
  const code = exitCodeOf(outcome);
  if (outcome.kind === 'job')
    log.info(
      outcome.result.status === 'FINISHED'
        ? 'Application completed SUCCESSFULLY'
        : `Application ${outcome.result.status}${outcome.result.error ? `: ${outcome.result.error.message}` : ''}`,
    );
  if (!configuration.get(SHUTDOWN_ON_APPLICATION_FINISH)) {
    log.info('execution.shutdown-on-application-finish is false: the cluster keeps running.');
    return new Promise(() => undefined);
  }
  return code;
}
