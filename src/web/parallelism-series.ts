import type { ParallelismChange } from '../rest/types/responses.js';

/** Vertices whose parallelism moved in lockstep over the whole history, drawn as one line. */
export interface ParallelismSeries {
  readonly vertexIds: readonly string[];
  readonly label: string;
  /** The group's parallelism in each change, in change order (undefined where a change omits it). */
  readonly values: ReadonlyArray<number | undefined>;
}

const CAUSE_LABELS: Readonly<Record<string, string>> = {
  'initial-schedule': 'Initial schedule',
  'taskmanager-joined': 'TaskManager joined',
  'taskmanager-stopped': 'TaskManager stopped',
  'taskmanager-lost-socket': 'TaskManager lost (socket closed)',
  'taskmanager-lost-heartbeat': 'TaskManager lost (heartbeat timeout)',
  'requirements-changed': 'REST bounds changed',
  failure: 'Failure',
};

/** A human label for a rescale cause; unknown causes are shown as sent. */
export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause;
}

/** When the job stopped processing before `change` and when it processed again (older servers: up to the run's start). */
export function downtimeSpan(change: ParallelismChange): { readonly from: number; readonly to: number } {
  const from = change.downtimeStart ?? change.timestamp - change.downtimeMs;
  return { from, to: from + change.downtimeMs };
}

/** The downtime as shown: "≥" while the run has processed no record yet, "(idle)" when it fell back to scheduler times. */
export function describeDowntime(change: ParallelismChange, format: (ms: number) => string): string {
  if (change.downtimeBasis === 'pending') return `≥ ${format(change.downtimeMs)}`;
  if (change.downtimeBasis === 'scheduler') return `${format(change.downtimeMs)} (idle)`;
  return format(change.downtimeMs);
}

/** Groups vertices with identical parallelism histories, so a reactive job's usual single line is drawn once. */
export function groupSeries(changes: readonly ParallelismChange[], vertexNames: ReadonlyMap<string, string>): ParallelismSeries[] {
  const vertexIds = new Set<string>(vertexNames.keys());
  for (const change of changes) for (const id of Object.keys(change.parallelism)) vertexIds.add(id);
  const groups = new Map<string, string[]>();
  for (const id of vertexIds) {
    const key = changes.map((change) => change.parallelism[id] ?? '').join(',');
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [id]);
    else group.push(id);
  }
  const all = groups.size === 1;
  return [...groups.values()].map((ids) => ({
    vertexIds: ids,
    label: all ? 'All vertices' : ids.map((id) => vertexNames.get(id) ?? id).join(', '),
    values: changes.map((change) => change.parallelism[ids[0]!]),
  }));
}

/** The largest parallelism any vertex had. */
export function peakParallelism(changes: readonly ParallelismChange[]): number {
  let peak = 0;
  for (const change of changes) for (const value of Object.values(change.parallelism)) peak = Math.max(peak, value);
  return peak;
}

/** A compact description of one change's parallelism: `2` when all vertices agree, else `min–max`. */
export function describeParallelism(parallelism: Readonly<Record<string, number>>): string {
  const values = Object.values(parallelism);
  if (values.length === 0) return '–';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? String(min) : `${min}–${max}`;
}
