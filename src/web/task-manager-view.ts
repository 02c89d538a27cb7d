import { card, empty, facts, h, mount, table } from './dom.js';
import { formatAgo, formatBytes, formatTimestamp, NONE } from './format.js';
import { routeHref } from './hash-route.js';
import { getJson, RestClientError } from './rest-client.js';
import type { TaskExecutorMemoryConfiguration, TaskManagerDetailsInfo } from '../rest/types/responses.js';
import { LogPanel } from './log-panel.js';
import type { View } from './view.js';

/** Flink's memory components, in the order its TaskManager page lists them. */
const MEMORY_ROWS: ReadonlyArray<readonly [key: keyof TaskExecutorMemoryConfiguration, label: string]> = [
  ['frameworkHeap', 'Framework Heap'],
  ['taskHeap', 'Task Heap'],
  ['frameworkOffHeap', 'Framework Off-Heap'],
  ['taskOffHeap', 'Task Off-Heap'],
  ['networkMemory', 'Network'],
  ['managedMemory', 'Managed Memory'],
  ['jvmMetaspace', 'JVM Metaspace'],
  ['jvmOverhead', 'JVM Overhead'],
  ['totalFlinkMemory', 'Total Flink Memory'],
  ['totalProcessMemory', 'Total Process Memory'],
];

/** One TaskManager (GET /taskmanagers/:id): identity, slots, hardware, memory and the jobs in its slots. */
export class TaskManagerView implements View {
  readonly root = h('div', { class: 'page', 'data-testid': 'taskmanager-page' }, h('p', { class: 'empty' }, 'Loading TaskManager…'));

  private readonly logs: LogPanel;

  constructor(
    private readonly taskManagerId: string,
    tab?: 'logs' | 'log' | 'stdout',
  ) {
    this.logs = new LogPanel(`/taskmanagers/${encodeURIComponent(taskManagerId)}`, tab === 'stdout' ? { kind: 'stdout' } : { kind: 'log' });
  }

  async refresh(): Promise<void> {
    let tm: TaskManagerDetailsInfo;
    try {
      tm = await getJson<TaskManagerDetailsInfo>(`/taskmanagers/${encodeURIComponent(this.taskManagerId)}`);
    } catch (error) {
      if (!(error instanceof RestClientError && error.isNotFound)) throw error;
      mount(
        this.root,
        h('h1', { class: 'page-title' }, 'TaskManager not found'),
        empty(`${this.taskManagerId} is not registered (any more).`),
        h('a', { href: routeHref({ page: 'taskmanagers' }) }, '← All TaskManagers'),
      );
      return;
    }
    mount(
      this.root,
      h('a', { class: 'back', href: routeHref({ page: 'taskmanagers' }) }, '← All TaskManagers'),
      h('h1', { class: 'page-title', 'data-testid': 'taskmanager-id' }, tm.id),
      h('div', { class: 'two-columns' }, overviewCard(tm), memoryCard(tm)),
      slotsCard(tm),
      this.logs.root,
    );
    await this.logs.load();
  }
}

function overviewCard(tm: TaskManagerDetailsInfo): HTMLElement {
  const metrics = tm.metrics;
  return card(
    'Overview',
    'taskmanager-overview',
    facts([
      ['Path', tm.path ?? NONE],
      ['Data Port', tm.dataPort === undefined || tm.dataPort < 0 ? NONE : tm.dataPort],
      [
        'Last Heartbeat',
        `${formatTimestamp(tm.timeSinceLastHeartbeat)} (${formatAgo(tm.timeSinceLastHeartbeat)})`,
        'taskmanager-heartbeat',
      ],
      ['Slots', `${tm.slotsNumber} total, ${tm.freeSlots} free`, 'taskmanager-slot-summary'],
      ['CPU Cores', tm.hardware?.cpuCores ?? NONE],
      ['Physical Memory', formatBytes(tm.hardware?.physicalMemory)],
      ['Free Memory', formatBytes(tm.hardware?.freeMemory)],
      [
        'Heap Used / Committed / Max',
        `${formatBytes(metrics?.heapUsed)} / ${formatBytes(metrics?.heapCommitted)} / ${formatBytes(metrics?.heapMax)}`,
      ],
    ]),
  );
}

function memoryCard(tm: TaskManagerDetailsInfo): HTMLElement {
  const memory = tm.memoryConfiguration;
  if (memory === undefined) return card('Memory Configuration', 'taskmanager-memory', empty('No data.'));
  return card(
    'Memory Configuration',
    'taskmanager-memory',
    facts(MEMORY_ROWS.map(([key, label]) => [label, formatBytes(memory[key])] as const)),
  );
}

function slotsCard(tm: TaskManagerDetailsInfo): HTMLElement {
  const slots = tm.allocatedSlots ?? [];
  if (slots.length === 0) return card('Allocated Slots', 'taskmanager-slots', empty('No slot is allocated to a job.'));
  const rows = slots.map((slot, i) =>
    h(
      'tr',
      { 'data-testid': 'allocated-slot-row' },
      h('td', { class: 'num' }, i),
      h('td', {}, h('a', { href: routeHref({ page: 'job', jobId: slot.jobId, vertexId: undefined }) }, slot.jobId)),
      h('td', { class: 'num' }, slot.assignedTasks ?? NONE),
    ),
  );
  return card('Allocated Slots', 'taskmanager-slots', table(['#', 'Job', 'Assigned Tasks'], rows));
}
