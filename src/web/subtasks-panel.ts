import { card, empty, h, statusBadge, table } from './dom.js';
import { formatDuration, formatTimestamp, NONE } from './format.js';
import { routeHref } from './hash-route.js';
import type { SubtaskInfo, VertexDetails } from '../rest/types/responses.js';

/** The selected vertex's subtasks and the TaskManager each runs on (GET /jobs/:jobid/vertices/:vertexid). */
export function renderSubtasksPanel(details: VertexDetails | undefined, selectedName: string): HTMLElement {
  const title = `Subtasks of ${selectedName}`;
  if (details === undefined) return card(title, 'subtasks', empty('No data for this vertex yet.'));
  const rows = [...details.subtasks].sort((a, b) => a.subtask - b.subtask).map(subtaskRow);
  return card(
    title,
    'subtasks',
    rows.length === 0
      ? empty('No subtasks are deployed.')
      : table(['Subtask', 'Status', 'Attempt', 'TaskManager', 'Endpoint', 'Start Time', 'Duration'], rows, 'subtask-table'),
  );
}

function subtaskRow(subtask: SubtaskInfo): HTMLTableRowElement {
  const taskManagerId = subtask['taskmanager-id'];
  const taskManager =
    taskManagerId === undefined || taskManagerId === '' || taskManagerId === '(unassigned)'
      ? NONE
      : h('a', { href: routeHref({ page: 'taskmanager', taskManagerId }), 'data-testid': 'subtask-taskmanager' }, taskManagerId);
  return h(
    'tr',
    { 'data-testid': 'subtask-row', 'data-subtask': subtask.subtask },
    h('td', { class: 'num' }, subtask.subtask),
    h('td', {}, statusBadge(subtask.status)),
    h('td', { class: 'num' }, subtask.attempt),
    h('td', {}, taskManager),
    h('td', {}, subtask.endpoint ?? NONE),
    h('td', {}, formatTimestamp(subtask['start-time'])),
    h('td', {}, formatDuration(subtask.duration)),
  );
}
