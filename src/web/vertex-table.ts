import { empty, h, statusBadge, table } from './dom.js';
import { formatDuration, formatRate, formatTimestamp } from './format.js';
import type { JobVertexSummary } from '../rest/types/responses.js';
import { taskBadges } from './task-badges.js';
import type { VertexThroughput } from './throughput.js';

const HEADERS = ['Name', 'Status', 'Parallelism', 'Max Parallelism', 'Records In', 'Records Out', 'Start Time', 'Duration', 'Tasks'];

/** The job's vertices in graph order with their parallelism, task states and live record rates; a click selects one. */
export function renderVertexTable(
  vertices: readonly JobVertexSummary[],
  throughput: ReadonlyMap<string, VertexThroughput>,
  selectedVertexId: string | undefined,
  onSelect: (vertexId: string) => void,
): HTMLElement {
  if (vertices.length === 0) return empty('This job has no vertices.');
  const rows = vertices.map((vertex) => {
    const rates = throughput.get(vertex.id);
    return h(
      'tr',
      {
        class: `clickable${vertex.id === selectedVertexId ? ' selected' : ''}`,
        'data-testid': 'vertex-row',
        'data-vertex-id': vertex.id,
        onclick: () => onSelect(vertex.id),
      },
      h('td', { class: 'name-cell', title: vertex.name }, vertex.name),
      h('td', {}, statusBadge(vertex.status, 'vertex-status')),
      h('td', { class: 'num', 'data-testid': 'vertex-parallelism' }, vertex.parallelism),
      h('td', { class: 'num', 'data-testid': 'vertex-max-parallelism' }, vertex.maxParallelism),
      h('td', { class: 'num', 'data-testid': 'vertex-records-in' }, formatRate(rates?.inPerSecond)),
      h('td', { class: 'num', 'data-testid': 'vertex-records-out' }, formatRate(rates?.outPerSecond)),
      h('td', {}, formatTimestamp(vertex['start-time'])),
      h('td', {}, formatDuration(vertex.duration)),
      h('td', {}, taskBadges(vertex.tasks)),
    );
  });
  return table(HEADERS, rows, 'vertex-table');
}
