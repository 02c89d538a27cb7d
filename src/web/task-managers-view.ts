import { card, empty, h, mount, table } from './dom.js';
import { formatAgo, formatBytes, formatTimestamp, NONE } from './format.js';
import { routeHref } from './hash-route.js';
import { getJson } from './rest-client.js';
import type { TaskManagerInfo, TaskManagersList } from '../rest/types/responses.js';
import type { View } from './view.js';

const HEADERS = [
  'ID',
  'Data Port',
  'Last Heartbeat',
  'All Slots',
  'Free Slots',
  'Assigned Tasks',
  'CPU Cores',
  'Physical Memory',
  'JVM Heap',
  'Managed Memory',
];

/** Every registered TaskManager (GET /taskmanagers), each row linking to its details. */
export class TaskManagersView implements View {
  readonly root = h('div', { class: 'page', 'data-testid': 'taskmanagers-page' });

  async refresh(): Promise<void> {
    const { taskmanagers } = await getJson<TaskManagersList>('/taskmanagers');
    const sorted = [...taskmanagers].sort((a, b) => a.id.localeCompare(b.id));
    mount(
      this.root,
      h(
        'h1',
        { class: 'page-title' },
        'Task Managers ',
        h('span', { class: 'count', 'data-testid': 'taskmanagers-count' }, taskmanagers.length),
      ),
      card(
        'Registered TaskManagers',
        'taskmanagers',
        sorted.length === 0
          ? empty('No TaskManager is registered. Start one with ./bin/taskmanager.sh start.')
          : table(HEADERS, sorted.map(taskManagerRow), 'taskmanager-table'),
      ),
    );
  }
}

function taskManagerRow(tm: TaskManagerInfo): HTMLTableRowElement {
  const href = routeHref({ page: 'taskmanager', taskManagerId: tm.id });
  const memory = tm.memoryConfiguration;
  const heap = memory === undefined ? undefined : (memory['frameworkHeap'] ?? 0) + (memory['taskHeap'] ?? 0);
  return h(
    'tr',
    {
      class: 'clickable',
      'data-testid': 'taskmanager-row',
      'data-taskmanager-id': tm.id,
      onclick: () => {
        location.hash = href;
      },
    },
    h('td', {}, h('a', { href, title: tm.path ?? tm.id }, tm.id)),
    h('td', { class: 'num' }, tm.dataPort === undefined || tm.dataPort < 0 ? NONE : tm.dataPort),
    h('td', { title: formatTimestamp(tm.timeSinceLastHeartbeat) }, formatAgo(tm.timeSinceLastHeartbeat)),
    h('td', { class: 'num', 'data-testid': 'taskmanager-slots' }, tm.slotsNumber),
    h('td', { class: 'num', 'data-testid': 'taskmanager-free-slots' }, tm.freeSlots),
    h('td', { class: 'num' }, tm.assignedTasks ?? NONE),
    h('td', { class: 'num' }, tm.hardware?.cpuCores ?? NONE),
    h('td', { class: 'num' }, formatBytes(tm.hardware?.physicalMemory)),
    h('td', { class: 'num' }, formatBytes(heap)),
    h('td', { class: 'num' }, formatBytes(memory?.['managedMemory'])),
  );
}
