import { MetricGroup, type MetricVisitor, type ScopeVariables } from './metric-group.js';

/**
 * The metric tree of one process: its root groups (`jobmanager` on a JobManager, `taskmanager` on
 * a TaskManager) and everything registered below them. Reporters walk it when they are read.
 */
export class MetricRegistry {
  private readonly roots = new Set<MetricGroup>();

  /** Adds a root group, e.g. `addRoot('taskmanager', { host, tm_id })`. */
  addRoot(scope: string, variables: ScopeVariables): MetricGroup {
    const group = new MetricGroup([scope], variables, [], (closed) => this.roots.delete(closed));
    this.roots.add(group);
    return group;
  }

  /** Visits every metric of every open group. */
  forEachMetric(visit: MetricVisitor): void {
    for (const root of this.roots) root.forEachMetric(visit);
  }
}
