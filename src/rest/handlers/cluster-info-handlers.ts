import type { ConfigEntries, DashboardConfig } from '../types/responses.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { jobIdParam } from '../request-params.js';
import type { RestHandler } from '../router.js';
import { FLINK_COMMIT, FLINK_VERSION } from '../version.js';

/** GET /config: what the web UI needs to know before anything else (Flink's DashboardConfiguration). */
export function dashboardConfigHandler(jobs: JobGateway): RestHandler {
  return () => {
    const settings = jobs.requestDashboardSettings();
    return {
      status: 200,
      json: {
        'refresh-interval': settings.refreshIntervalMs,
        'timezone-name': timeZoneName(),
        'timezone-offset': rawTimeZoneOffsetMs(),
        'flink-version': FLINK_VERSION,
        'flink-revision': FLINK_COMMIT,
        features: {
          'web-submit': settings.webSubmit,
          'web-cancel': settings.webCancel,
          'web-rescale': settings.webRescale,
          'web-history': false,
        },
      } satisfies DashboardConfig,
    };
  };
}

/**
 * GET /jobmanager/config (and /jobs/:jobid/jobmanager/config, the job's JobManager being this one):
 * only the keys set explicitly (file, -D, entry point), secrets masked, as a key/value array.
 */
export function jobManagerConfigHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    if (request.params['jobid'] !== undefined) jobs.requestJobStatus(jobIdParam(request));
    return { status: 200, json: jobs.requestClusterConfiguration().map(({ key, value }) => ({ key, value })) satisfies ConfigEntries };
  };
}

/** GET /jobmanager/environment (and per job): Flink's EnvironmentInfo, with Node.js in the JVM's place. */
export function jobManagerEnvironmentHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    if (request.params['jobid'] !== undefined) jobs.requestJobStatus(jobIdParam(request));
    const environment = jobs.requestJobManagerEnvironment();
    return {
      status: 200,
      json: {
        jvm: { version: environment.runtimeVersion, arch: environment.arch, options: [...environment.options] },
        classpath: [...environment.classpath],
      },
    };
  };
}

/** The long name of the local time zone, e.g. `Coordinated Universal Time`. */
function timeZoneName(): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'long' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
  return part?.value ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The zone's offset from UTC without daylight saving, in ms (what Flink's UI adds to UTC timestamps). */
function rawTimeZoneOffsetMs(): number {
  const year = new Date().getFullYear();
  const standardMinutesWest = Math.max(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  return -standardMinutesWest * 60_000;
}
