/** A metric's current value: a number, or text for informational gauges (REST shows them, Prometheus skips them). */
export type MetricValue = number | string;

/** Reads a metric's current value when asked; undefined when it has none right now. */
export type MetricReader = () => MetricValue | undefined;

/** A group's scope variables (Flink's `<host>`, `<job_id>`, ...), keyed without the angle brackets. */
export type ScopeVariables = Readonly<Record<string, string>>;

/** Called for every metric of a group tree. */
export type MetricVisitor = (group: MetricGroup, name: string, read: MetricReader) => void;

/**
 * A node of Flink's metric tree. Metrics are pull-based readers: nothing is computed until a
 * reporter or REST asks, so registering a metric costs nothing on the hot path.
 *
 * A scoped child (`addScopedGroup`: job, task, operator) extends the logical scope and adds
 * variables, as Flink's TaskManagerJobMetricGroup or TaskMetricGroup do. A generic child
 * (`addGroup`: `Status`, `JVM`, ...) only extends the metric names below it.
 */
export class MetricGroup {
  private readonly metrics = new Map<string, MetricReader>();
  private readonly genericChildren = new Map<string, MetricGroup>();
  private readonly scopedChildren = new Set<MetricGroup>();
  private closed = false;

  /**
   * @param logicalScope Flink's logical scope, e.g. `['taskmanager', 'job', 'task']`.
   * @param path generic group names between the scoped group and its metrics, e.g. `['Status', 'JVM']`.
   * @param detach removes this group from whatever holds it.
   */
  constructor(
    readonly logicalScope: readonly string[],
    readonly variables: ScopeVariables,
    readonly path: readonly string[] = [],
    private readonly detach: (group: MetricGroup) => void = () => undefined,
  ) {}

  /** Registers (or replaces) a metric read on demand. */
  gauge(name: string, read: MetricReader): this {
    if (!this.closed) this.metrics.set(name, read);
    return this;
  }

  /** Registers a metric under generic sub-groups named by the dotted prefix: `Status.JVM.CPU.Load`. */
  gaugeAt(dottedName: string, read: MetricReader): this {
    const parts = dottedName.split('.');
    let group: MetricGroup = this;
    for (const part of parts.slice(0, -1)) group = group.addGroup(part);
    group.gauge(parts[parts.length - 1]!, read);
    return this;
  }

  /** A named sub-group sharing this group's scope and variables (created once, then reused). */
  addGroup(name: string): MetricGroup {
    const existing = this.genericChildren.get(name);
    if (existing !== undefined) return existing;
    const child = new MetricGroup(this.logicalScope, this.variables, [...this.path, name], () => {
      this.genericChildren.delete(name);
    });
    if (!this.closed) this.genericChildren.set(name, child);
    return child;
  }

  /**
   * Flink's key-value group (`addGroup(key, value)`), created once then reused: REST names its
   * metrics `key.value.<name>`, reporters by `key` alone with a `key` variable (a Prometheus label)
   * holding the value, so one family covers every value.
   */
  addKeyedGroup(key: string, value: string): MetricGroup {
    const name = `${key}.${value}`;
    const existing = this.genericChildren.get(name);
    if (existing !== undefined) return existing;
    const child = new MetricGroup(this.logicalScope, { ...this.variables, [key]: value }, [...this.path, key], () => {
      this.genericChildren.delete(name);
    });
    if (!this.closed) this.genericChildren.set(name, child);
    return child;
  }

  /** A child scope (`job`, `task`, `operator`) with further variables; closing it removes it and its metrics. */
  addScopedGroup(scope: string, variables: ScopeVariables): MetricGroup {
    const child = new MetricGroup([...this.logicalScope, scope], { ...this.variables, ...variables }, [], (group) =>
      this.scopedChildren.delete(group),
    );
    if (!this.closed) this.scopedChildren.add(child);
    return child;
  }

  /** Removes this group and everything below it from the tree; its values stay readable for a last REST answer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const child of [...this.scopedChildren]) child.close();
    this.detach(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Visits every metric of this group, its generic sub-groups and its scoped children. */
  forEachMetric(visit: MetricVisitor): void {
    for (const [name, read] of this.metrics) visit(this, name, read);
    for (const child of this.genericChildren.values()) child.forEachMetric(visit);
    for (const child of this.scopedChildren) child.forEachMetric(visit);
  }

  /**
   * The current values of this group and its generic sub-groups, named as Flink's REST API names
   * them (`Status.JVM.CPU.Load`); scoped children are not included. Readers that fail or have no
   * value are left out.
   */
  values(): Array<[string, MetricValue]> {
    const out: Array<[string, MetricValue]> = [];
    this.collect('', out);
    return out;
  }

  private collect(prefix: string, out: Array<[string, MetricValue]>): void {
    for (const [name, read] of this.metrics) {
      const value = readSafely(read);
      if (value !== undefined) out.push([prefix + name, value]);
    }
    for (const [name, child] of this.genericChildren) child.collect(`${prefix}${name}.`, out);
  }
}

/** A reader's value; a reader that throws counts as having none (one broken gauge must not break a scrape). */
export function readSafely(read: MetricReader): MetricValue | undefined {
  try {
    const value = read();
    return typeof value === 'number' && Number.isNaN(value) ? undefined : value;
  } catch {
    return undefined;
  }
}
