import type { JobTopology, ShipStrategy, VertexInfo } from './job-topology.js';
import type { MetricSample, VertexSample } from './metric-sample.js';

/** The REST calls the autoscaler makes, so a cluster (tsflink's or Flink's) or a test fake can answer them. */
export interface AutoscalerRestApi {
  get<T>(path: string): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** A running job as /jobs/:jobid describes it, with its topology. */
export interface CollectedJob {
  readonly jobId: string;
  readonly name: string;
  readonly status: string;
  readonly topology: JobTopology;
}

interface JobsBody {
  readonly jobs: readonly { readonly id: string; readonly status: string }[];
}

interface JobDetailsBody {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly maxParallelism?: number;
  readonly vertices: readonly {
    readonly id: string;
    readonly name: string;
    readonly parallelism: number;
    readonly maxParallelism?: number;
  }[];
  readonly plan: {
    readonly nodes: readonly {
      readonly id: string;
      readonly inputs?: readonly { readonly id: string; readonly ship_strategy: string }[];
    }[];
  };
}

/** Flink's AggregatedMetric: any of the aggregates may be missing. */
interface AggregatedMetric {
  readonly id: string;
  readonly min?: number;
  readonly max?: number;
  readonly avg?: number;
  readonly sum?: number;
}

const SHIP_STRATEGIES: readonly ShipStrategy[] = ['HASH', 'FORWARD', 'REBALANCE', 'RESCALE', 'BROADCAST'];

/** Flink writes a keyed edge as `HASH`, a custom partitioner as `CUSTOM`, ...: anything unknown is only "not keyed". */
function shipStrategyOf(text: string): ShipStrategy {
  const upper = text.toUpperCase();
  return SHIP_STRATEGIES.find((s) => upper === s) ?? 'UNKNOWN';
}

/** Flink's default when a job states no max parallelism: 128 key groups for small parallelism. */
const DEFAULT_MAX_PARALLELISM = 128;

/** The ids of the jobs that are RUNNING. */
export async function runningJobIds(api: AutoscalerRestApi): Promise<string[]> {
  const body = await api.get<JobsBody>('/jobs');
  return body.jobs.filter((job) => job.status === 'RUNNING').map((job) => job.id);
}

/** The job's vertices with their parallelism, key groups and input edges, from /jobs/:jobid and its plan. */
export async function collectJob(api: AutoscalerRestApi, jobId: string): Promise<CollectedJob> {
  const details = await api.get<JobDetailsBody>(`/jobs/${jobId}`);
  const inputsOf = new Map(details.plan.nodes.map((node) => [node.id, node.inputs ?? []]));
  const jobMax = (details.maxParallelism ?? 0) > 0 ? details.maxParallelism! : DEFAULT_MAX_PARALLELISM;
  const vertices: VertexInfo[] = details.vertices.map((vertex) => ({
    id: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    maxParallelism: (vertex.maxParallelism ?? 0) > 0 ? vertex.maxParallelism! : jobMax,
    inputs: (inputsOf.get(vertex.id) ?? []).map((input) => ({ from: input.id, ship: shipStrategyOf(input.ship_strategy) })),
  }));
  return { jobId, name: details.name, status: details.state, topology: { vertices: topologicalOrder(vertices) } };
}

/** Every vertex after its inputs; REST lists them so already, but the evaluator relies on it. */
function topologicalOrder(vertices: readonly VertexInfo[]): VertexInfo[] {
  const placed = new Set<string>();
  const ordered: VertexInfo[] = [];
  let pending = [...vertices];
  while (pending.length > 0) {
    const ready = pending.filter((v) => v.inputs.every((input) => placed.has(input.from) || !vertices.some((w) => w.id === input.from)));
    if (ready.length === 0) return [...ordered, ...pending]; // a cycle: keep the REST order for the rest
    for (const v of ready) {
      placed.add(v.id);
      ordered.push(v);
    }
    pending = pending.filter((v) => !placed.has(v.id));
  }
  return ordered;
}

const TASK_METRICS = ['busyTimeMsPerSecond', 'backPressuredTimeMsPerSecond', 'numRecordsInPerSecond', 'numRecordsOutPerSecond'];

/** Collects one sample of every vertex's subtask metrics, aggregated by the REST API as Flink's autoscaler asks for them. */
export class RestMetricCollector {
  /** Per source vertex, the operator metric ids for its input rate and backlog (found once: ids depend only on the graph). */
  readonly #sourceIds = new Map<string, { rate: string | undefined; pending: string | undefined }>();

  constructor(private readonly api: AutoscalerRestApi) {}

  async sample(job: CollectedJob, timeMs: number): Promise<MetricSample> {
    const vertices: Record<string, VertexSample> = {};
    for (const vertex of job.topology.vertices) vertices[vertex.id] = await this.#vertexSample(job.jobId, vertex);
    return { timeMs, vertices };
  }

  async #vertexSample(jobId: string, vertex: VertexInfo): Promise<VertexSample> {
    const base = `/jobs/${jobId}/vertices/${vertex.id}/subtasks/metrics`;
    const metrics = await this.#aggregated(base, TASK_METRICS, 'min,max,avg,sum');
    const busy = metrics.get('busyTimeMsPerSecond');
    const sample = {
      busyTimeMsPerSecond: { max: busy?.max ?? 0, avg: busy?.avg ?? 0, min: busy?.min ?? 0 },
      backPressuredTimeMsPerSecond: metrics.get('backPressuredTimeMsPerSecond')?.avg ?? 0,
      numRecordsInPerSecond: metrics.get('numRecordsInPerSecond')?.sum ?? 0,
      numRecordsOutPerSecond: metrics.get('numRecordsOutPerSecond')?.sum ?? 0,
    };
    if (vertex.inputs.length > 0) return sample;
    const ids = await this.#sourceMetricIds(base, vertex.id);
    const wanted = [ids.rate, ids.pending].filter((id): id is string => id !== undefined);
    const source = wanted.length === 0 ? new Map<string, AggregatedMetric>() : await this.#aggregated(base, wanted, 'sum');
    const rate = ids.rate === undefined ? undefined : source.get(ids.rate)?.sum;
    const pending = ids.pending === undefined ? undefined : source.get(ids.pending)?.sum;
    // A source task takes nothing in; what its reader emitted is its input (Flink's autoscaler does the same).
    return {
      ...sample,
      numRecordsInPerSecond: rate ?? sample.numRecordsOutPerSecond,
      ...(pending === undefined ? {} : { pendingRecords: pending }),
    };
  }

  async #sourceMetricIds(base: string, vertexId: string): Promise<{ rate: string | undefined; pending: string | undefined }> {
    const known = this.#sourceIds.get(vertexId);
    if (known?.rate !== undefined && known.pending !== undefined) return known;
    const listed = (await this.api.get<readonly { id: string }[]>(base)).map((metric) => metric.id);
    const ids = {
      rate:
        listed.find((id) => id.startsWith('Source__') && id.endsWith('.numRecordsInPerSecond')) ??
        listed.find((id) => id.startsWith('Source__') && id.endsWith('.numRecordsOutPerSecond')),
      pending: listed.find((id) => id.endsWith('.pendingRecords')),
    };
    this.#sourceIds.set(vertexId, ids);
    return ids;
  }

  async #aggregated(base: string, names: readonly string[], agg: string): Promise<Map<string, AggregatedMetric>> {
    const body = await this.api.get<readonly AggregatedMetric[]>(`${base}?get=${names.map(encodeURIComponent).join(',')}&agg=${agg}`);
    return new Map(body.map((metric) => [metric.id, metric]));
  }
}
