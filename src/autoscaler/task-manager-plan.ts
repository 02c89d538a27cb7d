/** Reactive Mode's bounds on the number of TaskManagers: the configured range and the machine. */
export interface TaskManagerBounds {
  readonly min: number;
  /** job.autoscaler.taskmanagers.max, when set. */
  readonly max: number | undefined;
  readonly cores: number;
  readonly coresFactor: number;
}

/** How many TaskManagers to run, and why that number. */
export interface TaskManagerPlan {
  readonly target: number;
  readonly reason: string;
}

/** The most TaskManagers the bounds allow: the configured max and cores × factor, whichever is lower (at least min, at least 1). */
export function maxTaskManagers(bounds: TaskManagerBounds): number {
  const machine = Math.max(1, Math.floor(bounds.cores * bounds.coresFactor));
  return Math.max(bounds.min, 1, Math.min(bounds.max ?? machine, machine));
}

/** Required slots → TaskManagers of `slotsPerTaskManager` slots each, within the bounds. */
export function planTaskManagers(requiredSlots: number, slotsPerTaskManager: number, bounds: TaskManagerBounds): TaskManagerPlan {
  const wanted = Math.ceil(requiredSlots / Math.max(1, slotsPerTaskManager));
  const upper = maxTaskManagers(bounds);
  if (wanted > upper) {
    return {
      target: upper,
      reason: `${wanted} TaskManagers needed for ${requiredSlots} slots, capped at ${upper} (taskmanagers.max, ${bounds.cores} cores × ${bounds.coresFactor})`,
    };
  }
  if (wanted < bounds.min) return { target: bounds.min, reason: `${wanted} TaskManagers needed, kept at taskmanagers.min ${bounds.min}` };
  return { target: wanted, reason: `${requiredSlots} slots at ${slotsPerTaskManager} per TaskManager` };
}
