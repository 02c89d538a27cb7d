import type { DispatcherGateway } from '../rpc/gateways/dispatcher-gateway.js';
import {
  checkpointConfigHandler,
  checkpointDetailsHandler,
  checkpointStatisticsHandler,
  checkpointSubtaskDetailsHandler,
} from './handlers/checkpoint-handlers.js';
import { LEADERSHIP_PATH, leadershipHandler, type LeadershipSource } from './handlers/leadership-handler.js';
import { dashboardConfigHandler, jobManagerConfigHandler, jobManagerEnvironmentHandler } from './handlers/cluster-info-handlers.js';
import { clusterOverviewHandler } from './handlers/cluster-overview-handler.js';
import {
  jobCancelHandler,
  jobConfigHandler,
  jobDetailsHandler,
  jobExceptionsHandler,
  jobPlanHandler,
  jobStatusHandler,
  jobsHandler,
  jobsOverviewHandler,
} from './handlers/job-handlers.js';
import {
  autoscalerDecisionsHandler,
  parallelismHistoryHandler,
  recordAutoscalerDecisionHandler,
  rescalingHandler,
  rescalingStatusHandler,
} from './handlers/rescale-handlers.js';
import { resourceRequirementsHandler, updateResourceRequirementsHandler } from './handlers/resource-requirements-handlers.js';
import { savepointStatusHandler, stopWithSavepointHandler, triggerSavepointHandler } from './handlers/savepoint-handlers.js';
import { taskManagerDetailsHandler, taskManagersHandler } from './handlers/task-managers-handler.js';
import { vertexDetailsHandler, vertexTaskManagersHandler } from './handlers/vertex-handlers.js';
import {
  attemptAccumulatorsHandler,
  jobAccumulatorsHandler,
  subtaskAttemptHandler,
  subtaskDetailsHandler,
  subtasksAccumulatorsHandler,
  subtaskTimesHandler,
  vertexAccumulatorsHandler,
} from './handlers/subtask-handlers.js';
import { backPressureHandler, flameGraphHandler, watermarksHandler } from './handlers/vertex-runtime-handlers.js';
import { executionResultHandler } from './handlers/execution-result-handler.js';
import { jobManagerLogUrlHandler, taskManagerLogUrlHandler } from './handlers/log-url-handlers.js';
import { jobManagerThreadDumpHandler, taskManagerThreadDumpHandler } from './handlers/thread-dump-handlers.js';
import { registerWebUi } from './handlers/web-ui-handler.js';
import { Router } from './router.js';
import { jobManagerLogs, logFileHandler, logListHandler, ownLogHandler, taskManagerLogs } from './handlers/log-handlers.js';
import type { JarGateway } from '../rpc/gateways/jar-gateway.js';
import { jarDeleteHandler, jarListHandler, jarPlanHandler, jarRunHandler, jarUploadHandler } from './handlers/jar-handlers.js';
import {
  aggregatedJobMetricsHandler,
  aggregatedSubtaskMetricsHandler,
  aggregatedTaskManagerMetricsHandler,
  jobManagerMetricsHandler,
  jobManagerOperatorMetricsHandler,
  jobMetricsHandler,
  subtaskMetricsHandler,
  taskManagerMetricsHandler,
  vertexMetricsHandler,
} from './handlers/metrics-handlers.js';
import { NO_METRIC_QUERY, type MetricQuery } from '../metrics/metric-query.js';

/**
 * How long a stopping REST endpoint keeps serving for clients that have yet to read a savepoint's
 * outcome (the JobManager of a stopped application exits right after its savepoint).
 */
const UNREAD_RESULTS_GRACE_MS = 3_000;

/** Jar submission, served on a session cluster with web.submit.enable (Flink's /jars handlers). */
export interface JarRoutes {
  readonly gateway: JarGateway;
  /** The REST endpoint's own URL, which GET /jars reports as `address`. */
  readonly address: () => string;
}

/** Every REST endpoint the JobManager serves, bound to its dispatcher gateway and its metrics. */
export function createRestRouter(
  gateway: DispatcherGateway,
  metrics: MetricQuery = NO_METRIC_QUERY,
  jars?: JarRoutes,
  restAddress: () => string = () => '',
  leadership: () => LeadershipSource | undefined = () => undefined,
): Router {
  const jobs = gateway.jobGateway;
  const router = registerLogRoutes(jars === undefined ? new Router() : registerJarRoutes(new Router(), jars), gateway)
    .add('GET', '/jobs/:jobid/jobmanager/log-url', jobManagerLogUrlHandler(gateway, restAddress))
    .add('GET', '/jobs/:jobid/taskmanagers/:taskmanagerid/log-url', taskManagerLogUrlHandler(gateway, restAddress))
    .add('GET', '/jobmanager/thread-dump', jobManagerThreadDumpHandler(gateway))
    .add('GET', '/taskmanagers/:taskmanagerid/thread-dump', taskManagerThreadDumpHandler(gateway));
  return registerSubtaskRoutes(registerMetricRoutes(registerWebUi(router), metrics), gateway, metrics)
    .beforeStop(() => jobs.whenOperationResultsAccessed(UNREAD_RESULTS_GRACE_MS))
    .add('GET', '/config', dashboardConfigHandler(jobs))
    .add('GET', '/overview', clusterOverviewHandler(gateway))
    .add('GET', '/jobmanager/config', jobManagerConfigHandler(jobs))
    .add('GET', '/jobmanager/environment', jobManagerEnvironmentHandler(jobs))
    .add('GET', LEADERSHIP_PATH, leadershipHandler(leadership, restAddress))
    .add('GET', '/taskmanagers', taskManagersHandler(gateway))
    .add('GET', '/taskmanagers/:taskmanagerid', taskManagerDetailsHandler(gateway))
    .add('GET', '/jobs', jobsHandler(jobs))
    .add('GET', '/jobs/overview', jobsOverviewHandler(jobs))
    .add('GET', '/jobs/:jobid', jobDetailsHandler(jobs))
    .add('PATCH', '/jobs/:jobid', jobCancelHandler(jobs))
    .add('GET', '/jobs/:jobid/status', jobStatusHandler(jobs))
    .add('GET', '/jobs/:jobid/plan', jobPlanHandler(jobs))
    .add('GET', '/jobs/:jobid/config', jobConfigHandler(jobs))
    .add('GET', '/jobs/:jobid/jobmanager/config', jobManagerConfigHandler(jobs))
    .add('GET', '/jobs/:jobid/jobmanager/environment', jobManagerEnvironmentHandler(jobs))
    .add('GET', '/jobs/:jobid/exceptions', jobExceptionsHandler(jobs))
    .add('GET', '/jobs/:jobid/execution-result', executionResultHandler(jobs))
    .add('GET', '/jobs/:jobid/vertices/:vertexid', vertexDetailsHandler(jobs))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/taskmanagers', vertexTaskManagersHandler(jobs))
    .add('GET', '/jobs/:jobid/checkpoints', checkpointStatisticsHandler(jobs))
    .add('GET', '/jobs/:jobid/checkpoints/config', checkpointConfigHandler(jobs))
    .add('GET', '/jobs/:jobid/checkpoints/details/:checkpointid', checkpointDetailsHandler(jobs))
    .add('GET', '/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid', checkpointSubtaskDetailsHandler(jobs))
    .add('POST', '/jobs/:jobid/savepoints', triggerSavepointHandler(jobs))
    .add('GET', '/jobs/:jobid/savepoints/:triggerid', savepointStatusHandler(jobs))
    .add('POST', '/jobs/:jobid/stop', stopWithSavepointHandler(jobs))
    .add('GET', '/jobs/:jobid/resource-requirements', resourceRequirementsHandler(jobs))
    .add('PUT', '/jobs/:jobid/resource-requirements', updateResourceRequirementsHandler(jobs))
    .add('PATCH', '/jobs/:jobid/rescaling', rescalingHandler())
    .add('GET', '/jobs/:jobid/rescaling/:triggerid', rescalingStatusHandler())
    .add('GET', '/jobs/:jobid/parallelism-history', parallelismHistoryHandler(jobs))
    .add('GET', '/jobs/:jobid/autoscaler', autoscalerDecisionsHandler(jobs))
    .add('POST', '/jobs/:jobid/autoscaler', recordAutoscalerDecisionHandler(jobs));
}

/** A vertex's subtasks one by one, their state times, back pressure, watermarks and (empty) accumulators. */
function registerSubtaskRoutes(router: Router, gateway: DispatcherGateway, metrics: MetricQuery): Router {
  const jobs = gateway.jobGateway;
  const subtask = '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex';
  return router
    .add('GET', '/jobs/:jobid/accumulators', jobAccumulatorsHandler(jobs))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/accumulators', vertexAccumulatorsHandler(jobs))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/subtasks/accumulators', subtasksAccumulatorsHandler(jobs))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/subtasktimes', subtaskTimesHandler(jobs))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/backpressure', backPressureHandler(jobs, metrics))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/watermarks', watermarksHandler(jobs, metrics))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/flamegraph', flameGraphHandler(jobs))
    .add('GET', subtask, subtaskDetailsHandler(jobs))
    .add('GET', `${subtask}/attempts/:attempt`, subtaskAttemptHandler(jobs))
    .add('GET', `${subtask}/attempts/:attempt/accumulators`, attemptAccumulatorsHandler(jobs));
}

/** The log files of the JobManager and of each TaskManager (Flink's log list, file, log and stdout handlers). */
function registerLogRoutes(router: Router, gateway: DispatcherGateway): Router {
  const jm = jobManagerLogs(gateway);
  const tm = taskManagerLogs(gateway);
  return router
    .add('GET', '/jobmanager/logs', logListHandler(jm))
    .add('GET', '/jobmanager/logs/:filename', logFileHandler(jm))
    .add('GET', '/jobmanager/log', ownLogHandler(jm, 'log'))
    .add('GET', '/jobmanager/stdout', ownLogHandler(jm, 'stdout'))
    .add('GET', '/taskmanagers/:taskmanagerid/logs', logListHandler(tm))
    .add('GET', '/taskmanagers/:taskmanagerid/logs/:filename', logFileHandler(tm))
    .add('GET', '/taskmanagers/:taskmanagerid/log', ownLogHandler(tm, 'log'))
    .add('GET', '/taskmanagers/:taskmanagerid/stdout', ownLogHandler(tm, 'stdout'));
}

function registerJarRoutes(router: Router, jars: JarRoutes): Router {
  return router
    .add('POST', '/jars/upload', jarUploadHandler(jars.gateway))
    .add('GET', '/jars', jarListHandler(jars.gateway, jars.address))
    .add('DELETE', '/jars/:jarid', jarDeleteHandler(jars.gateway))
    .add('GET', '/jars/:jarid/plan', jarPlanHandler(jars.gateway))
    .add('POST', '/jars/:jarid/plan', jarPlanHandler(jars.gateway))
    .add('POST', '/jars/:jarid/run', jarRunHandler(jars.gateway));
}

/** Flink's metric endpoints: JobManager, jobs, vertices, subtasks and TaskManagers, single and aggregated. */
function registerMetricRoutes(router: Router, metrics: MetricQuery): Router {
  return router
    .add('GET', '/jobmanager/metrics', jobManagerMetricsHandler(metrics))
    .add('GET', '/jobs/metrics', aggregatedJobMetricsHandler(metrics))
    .add('GET', '/jobs/:jobid/metrics', jobMetricsHandler(metrics))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/metrics', vertexMetricsHandler(metrics))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/jm-operator-metrics', jobManagerOperatorMetricsHandler())
    .add('GET', '/jobs/:jobid/vertices/:vertexid/subtasks/metrics', aggregatedSubtaskMetricsHandler(metrics))
    .add('GET', '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics', subtaskMetricsHandler(metrics))
    .add('GET', '/taskmanagers/metrics', aggregatedTaskManagerMetricsHandler(metrics))
    .add('GET', '/taskmanagers/:taskmanagerid/metrics', taskManagerMetricsHandler(metrics));
}
