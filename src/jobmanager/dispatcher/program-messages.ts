import type { JobExecutionResult } from '../../api/environment/program-context.js';
import type { JobGraph } from '../../jobgraph/job-graph.js';

/** From a job's main (on its worker thread) to the JobManager: one per execute(), then how main ended. */
export type FromProgram =
  | { readonly type: 'execute'; readonly call: number; readonly graph: JobGraph }
  | { readonly type: 'returned' }
  | { readonly type: 'failed'; readonly message: string; readonly stack: string | undefined; readonly suggestion: string | undefined };

/** From the JobManager to a job's main: the answer to an execute(). */
export type ToProgram =
  | { readonly type: 'executed'; readonly call: number; readonly result: JobExecutionResult }
  | { readonly type: 'execute-failed'; readonly call: number; readonly message: string };
