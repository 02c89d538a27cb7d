import { arch } from 'node:os';
import type { Configuration } from '../../../config/configuration.js';
import { WEB_CANCEL_ENABLE, WEB_REFRESH_INTERVAL, WEB_RESCALE_ENABLE } from '../../../config/options/web-options.js';
import type { DashboardSettings, JobManagerEnvironment } from '../../../rpc/gateways/job-view-types.js';
import type { TrackedJob } from './tracked-job.js';

/**
 * The web UI's settings. Jar submission is on only where the jar endpoints are served (a session
 * cluster with web.submit.enable); rescale buttons make sense only for jobs of the Adaptive
 * Scheduler, which the UI checks per job.
 */
export function dashboardSettings(configuration: Configuration, jarSubmission: boolean): DashboardSettings {
  return {
    refreshIntervalMs: configuration.get(WEB_REFRESH_INTERVAL),
    webSubmit: jarSubmission,
    webCancel: configuration.get(WEB_CANCEL_ENABLE),
    webRescale: configuration.get(WEB_RESCALE_ENABLE),
  };
}

/** The JobManager process: Node's version and flags where Flink shows the JVM's, and the job archives as the classpath. */
export function jobManagerEnvironment(jobs: Iterable<TrackedJob>): JobManagerEnvironment {
  const archives = [...jobs].map((job) => job.master.submission.archive.fileName);
  return {
    runtimeVersion: `Node.js ${process.version} (${process.release.name}, V8 ${process.versions.v8})`,
    arch: arch(),
    options: [...process.execArgv],
    classpath: [...new Set([process.argv[1] ?? '', ...archives])].filter((entry) => entry !== ''),
  };
}
