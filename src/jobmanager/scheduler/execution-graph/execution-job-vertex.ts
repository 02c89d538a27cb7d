import type { VertexId } from '../../../core/ids.js';
import type { JobVertex } from '../../../jobgraph/job-graph.js';
import { Execution } from './execution.js';

/** A job vertex at the parallelism this run uses: one execution per subtask. */
export class ExecutionJobVertex {
  readonly executions: Execution[];

  constructor(
    readonly jobVertex: JobVertex,
    readonly parallelism: number,
    readonly maxParallelism: number,
    attemptNumber: number,
  ) {
    this.executions = Array.from({ length: parallelism }, (_, index) => new Execution(this, index, attemptNumber));
  }

  get id(): VertexId {
    return this.jobVertex.id;
  }
}
