import type { AutoscalerRestApi } from '../../../src/autoscaler/rest-metric-collector.js';
import type { TaskManagerControl } from '../../../src/autoscaler/scaling-actuator.js';
import type { MetricSample } from '../../../src/autoscaler/metric-sample.js';
import type { AutoscalerDecisionRecord } from '../../../src/rest/types/responses.js';
import type { PipelineSimulator } from '../../helpers/pipeline-simulator.js';

export const SIMULATED_JOB = 'c'.repeat(32);

/**
 * A Reactive Mode cluster around a simulated pipeline, answering the REST calls the autoscaler makes:
 * every vertex runs at the slot count (capped by its key groups), TaskManagers come and go through
 * the TaskManagerControl, and decisions POSTed are kept.
 */
export class SimulatedCluster implements AutoscalerRestApi, TaskManagerControl {
  readonly posted: AutoscalerDecisionRecord[] = [];
  readonly requirements: Array<Record<string, unknown>> = [];
  #sample: MetricSample | undefined;
  #timeMs = 0;

  constructor(
    readonly sim: PipelineSimulator,
    public taskManagers: number,
    readonly slotsPerTaskManager: number,
  ) {
    this.#resize();
  }

  /** Runs the pipeline up to `timeMs`; the metrics served are those of the last interval. */
  advanceTo(timeMs: number): void {
    this.#sample = this.sim.advance(this.#timeMs, timeMs);
    this.#timeMs = timeMs;
  }

  start(): Promise<void> {
    this.taskManagers++;
    this.#resize();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.taskManagers--;
    this.#resize();
    return Promise.resolve();
  }

  #resize(): void {
    const slots = this.taskManagers * this.slotsPerTaskManager;
    const parallelism = Object.fromEntries(this.sim.vertices.map((v) => [v.id, Math.min(slots, v.maxParallelism ?? 128)]));
    if (this.sim.vertices.some((v) => v.parallelism !== parallelism[v.id])) this.sim.rescale(parallelism, this.#timeMs);
  }

  get<T>(path: string): Promise<T> {
    return Promise.resolve(this.#answer(path) as T);
  }

  put<T>(_path: string, body: unknown): Promise<T> {
    this.requirements.push(body as Record<string, unknown>);
    return Promise.resolve({} as T);
  }

  post<T>(_path: string, body: unknown): Promise<T> {
    this.posted.push(body as AutoscalerDecisionRecord);
    return Promise.resolve({} as T);
  }

  #answer(path: string): unknown {
    const [route, query = ''] = path.split('?');
    if (route === '/jobs') return { jobs: [{ id: SIMULATED_JOB, status: 'RUNNING' }] };
    if (route === '/overview') return { taskmanagers: this.taskManagers };
    const topology = this.sim.topology();
    if (route === `/jobs/${SIMULATED_JOB}`) {
      return {
        jid: SIMULATED_JOB,
        name: 'simulated',
        state: 'RUNNING',
        vertices: topology.vertices.map((v) => ({ id: v.id, name: v.name, parallelism: v.parallelism, maxParallelism: v.maxParallelism })),
        plan: { nodes: topology.vertices.map((v) => ({ id: v.id, inputs: v.inputs.map((i) => ({ id: i.from, ship_strategy: i.ship })) })) },
      };
    }
    const vertexId = /\/vertices\/([^/]+)\/subtasks\/metrics$/.exec(route ?? '')?.[1];
    const vertex = vertexId === undefined ? undefined : this.#sample?.vertices[vertexId];
    if (vertex === undefined) throw new Error(`unexpected GET ${path}`);
    const names = new URLSearchParams(query).get('get')?.split(',');
    if (names === undefined)
      return [{ id: 'busyTimeMsPerSecond' }, { id: 'Source__gen.numRecordsInPerSecond' }, { id: 'Source__gen.pendingRecords' }];
    const value = (name: string): Record<string, number> | undefined => {
      const busy = vertex.busyTimeMsPerSecond;
      if (name === 'busyTimeMsPerSecond') return { min: busy.min, max: busy.max, avg: busy.avg, sum: busy.avg };
      if (name === 'backPressuredTimeMsPerSecond') return { avg: vertex.backPressuredTimeMsPerSecond };
      if (name === 'numRecordsInPerSecond') return { sum: vertexId === topology.vertices[0]?.id ? 0 : vertex.numRecordsInPerSecond };
      if (name === 'numRecordsOutPerSecond') return { sum: vertex.numRecordsOutPerSecond };
      if (name === 'Source__gen.numRecordsInPerSecond') return { sum: vertex.numRecordsInPerSecond };
      if (name === 'Source__gen.pendingRecords' && vertex.pendingRecords !== undefined) return { sum: vertex.pendingRecords };
      return undefined;
    };
    return names.flatMap((id) => {
      const v = value(id);
      return v === undefined ? [] : [{ id, ...v }];
    });
  }
}
