/** The timers a keyed-state snapshot writes: those of the operator's timer services, and those still restored. */
import type { ChunkTimer } from './key-group-chunk.js';
import type { RestoredTimer } from './restored-groups.js';

/** Something that keeps timers in its backend's snapshot (the timer services of the operator). */
export interface TimerSnapshotSource {
  readonly name: string;
  /** The service's timers grouped by key-group offset. */
  snapshotTimers(): Map<number, ChunkTimer[]>;
  /** Timers of key groups that arrived after the service took the restored ones (a streamed restore). */
  addRestoredTimers(timers: readonly RestoredTimer[]): void;
}

/** Every timer (live and still restored, by service) by group offset, then by service: a copy. */
export function timersByGroup(
  sources: readonly TimerSnapshotSource[],
  restored: ReadonlyMap<string, readonly RestoredTimer[]>,
): Map<number, Array<[string, ChunkTimer[]]>> {
  const byGroup = new Map<number, Array<[string, ChunkTimer[]]>>();
  const add = (g: number, service: string, list: ChunkTimer[]): void => {
    const services = byGroup.get(g);
    if (services === undefined) byGroup.set(g, [[service, list]]);
    else services.push([service, list]);
  };
  for (const source of sources) for (const [g, list] of source.snapshotTimers()) add(g, source.name, list);
  for (const [service, timers] of restored) {
    const perGroup = new Map<number, ChunkTimer[]>();
    for (const timer of timers) {
      const list = perGroup.get(timer.groupIndex);
      if (list === undefined) perGroup.set(timer.groupIndex, [timer]);
      else list.push(timer);
    }
    for (const [g, list] of perGroup) add(g, service, list);
  }
  return byGroup;
}
