// The one home of Flink's JobStatus: the JobManager's schedulers, the RPC views, the REST handlers and
// (through responses.ts) the dashboard all import it from here. Type-only plus a constant.

/** Flink's JobStatus, as the scheduler tracks it and REST reports it. */
export type JobStatus =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

/** Every job status, in Flink's declaration order. */
export const JOB_STATUSES: readonly JobStatus[] = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
];
