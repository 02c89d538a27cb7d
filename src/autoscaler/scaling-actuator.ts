import type { AutoscalerRestApi } from './rest-metric-collector.js';
import type { TaskManagerBounds } from './task-manager-plan.js';
import { planTaskManagers } from './task-manager-plan.js';

/** Starts and stops TaskManagers the way bin/taskmanager.sh does. */
export interface TaskManagerControl {
  start(): Promise<void>;
  /** Stops the newest TaskManager this machine started (the script's LIFO). */
  stop(): Promise<void>;
}

/** What acting on a decision did, for the decision record. */
export interface ActuationResult {
  readonly applied: boolean;
  readonly detail: string;
}

/** Applies a parallelism per vertex to a running job. */
export interface ScalingActuator {
  /** The highest parallelism the actuator can give any vertex (undefined: no bound of its own). */
  readonly parallelismLimit: number | undefined;
  apply(jobId: string, parallelism: Readonly<Record<string, number>>): Promise<ActuationResult>;
}

interface OverviewBody {
  readonly taskmanagers: number;
}

/**
 * Reactive Mode: a job runs at the slots there are, so the decision becomes a number of TaskManagers,
 * started or stopped one by one through the taskmanager.sh code.
 */
export class ReactiveActuator implements ScalingActuator {
  constructor(
    private readonly api: AutoscalerRestApi,
    private readonly control: TaskManagerControl,
    private readonly slotsPerTaskManager: number,
    private readonly bounds: TaskManagerBounds,
  ) {}

  get parallelismLimit(): number {
    return planTaskManagers(Number.MAX_SAFE_INTEGER, this.slotsPerTaskManager, this.bounds).target * this.slotsPerTaskManager;
  }

  async apply(_jobId: string, parallelism: Readonly<Record<string, number>>): Promise<ActuationResult> {
    const slots = Math.max(1, ...Object.values(parallelism));
    const plan = planTaskManagers(slots, this.slotsPerTaskManager, this.bounds);
    const current = (await this.api.get<OverviewBody>('/overview')).taskmanagers;
    if (plan.target === current) return { applied: false, detail: `${current} TaskManagers already run (${plan.reason})` };
    for (let n = current; n < plan.target; n++) await this.control.start();
    for (let n = current; n > plan.target; n--) await this.control.stop();
    const verb = plan.target > current ? 'started' : 'stopped';
    return {
      applied: true,
      detail: `${verb} ${Math.abs(plan.target - current)} TaskManager(s): ${current} → ${plan.target} (${plan.reason})`,
    };
  }
}

type Requirements = Record<string, { parallelism: { lowerBound: number; upperBound: number } }>;

/** Adaptive scheduler without Reactive Mode: PUT /jobs/:jobid/resource-requirements, as Flink's autoscaler does. */
export class ResourceRequirementsActuator implements ScalingActuator {
  readonly parallelismLimit = undefined;

  constructor(private readonly api: AutoscalerRestApi) {}

  async apply(jobId: string, parallelism: Readonly<Record<string, number>>): Promise<ActuationResult> {
    const current = await this.api.get<Requirements>(`/jobs/${jobId}/resource-requirements`);
    const body: Requirements = {};
    for (const [vertexId, bounds] of Object.entries(current)) {
      const upper = parallelism[vertexId] ?? bounds.parallelism.upperBound;
      // Keep a lower bound the user set, unless it is above the new parallelism.
      body[vertexId] = { parallelism: { lowerBound: Math.min(bounds.parallelism.lowerBound, upper), upperBound: upper } };
    }
    await this.api.put(`/jobs/${jobId}/resource-requirements`, body);
    const changes = Object.entries(body).map(([id, b]) => `${id.slice(0, 8)}…=${b.parallelism.upperBound}`);
    return { applied: true, detail: `resource requirements set: ${changes.join(', ')}` };
  }
}
