import { card, empty, h, statusBadge, table } from './dom.js';
import { formatBytes, formatDuration, formatTimestamp, NONE } from './format.js';
import type { CheckpointDetails, CheckpointSubtaskDetails } from './rest-types.js';

/** Which checkpoint (and which of its vertices) the job page shows in detail. */
export interface CheckpointSelection {
  readonly checkpointId: number;
  readonly vertexId: string | undefined;
}

/**
 * One checkpoint in detail (GET /jobs/:jobid/checkpoints/details/:checkpointid): each vertex's
 * acknowledgements, size and duration; with a vertex chosen, each of its subtasks (…/subtasks/:vertexid)
 * with its sync and async parts and alignment, as Flink's checkpoint details view.
 */
export function renderCheckpointDetails(
  selection: CheckpointSelection,
  details: CheckpointDetails | undefined,
  subtasks: CheckpointSubtaskDetails | undefined,
  names: ReadonlyMap<string, string>,
  onSelectVertex: (vertexId: string) => void,
): HTMLElement {
  const title = `Checkpoint #${selection.checkpointId}`;
  if (details === undefined) return card(title, 'checkpoint-details', empty('This checkpoint is no longer in the statistics history.'));
  // The map is keyed by vertex id; each entry's own `id` is the checkpoint's, as in Flink.
  const vertexRows = Object.entries(details.tasks ?? {}).map(([vertexId, task]) =>
    h(
      'tr',
      { 'data-testid': 'checkpoint-vertex-row', class: vertexId === selection.vertexId ? 'selected' : undefined },
      h(
        'td',
        {},
        h('button', { type: 'button', class: 'link-button', onclick: () => onSelectVertex(vertexId) }, names.get(vertexId) ?? vertexId),
      ),
      h('td', {}, statusBadge(task.status ?? details.status ?? 'UNKNOWN')),
      h('td', {}, `${task.num_acknowledged_subtasks ?? NONE}/${task.num_subtasks ?? NONE}`),
      h('td', {}, formatTimestamp(task.latest_ack_timestamp)),
      h('td', {}, formatDuration(task.end_to_end_duration)),
      h('td', {}, formatBytes(task.checkpointed_size ?? task.state_size)),
    ),
  );
  const subtaskRows = (subtasks?.subtasks ?? []).map((subtask) =>
    h(
      'tr',
      { 'data-testid': 'checkpoint-subtask-row' },
      h('td', {}, subtask.index),
      h('td', {}, statusBadge(subtask.status === 'completed' ? 'COMPLETED' : 'PENDING')),
      h('td', {}, formatTimestamp(subtask.ack_timestamp)),
      h('td', {}, formatDuration(subtask.end_to_end_duration)),
      h('td', {}, formatDuration(subtask.checkpoint?.sync)),
      h('td', {}, formatDuration(subtask.checkpoint?.async)),
      h('td', {}, formatDuration(subtask.alignment?.duration)),
      h('td', {}, formatBytes(subtask.checkpointed_size ?? subtask.state_size)),
    ),
  );
  return card(
    `${title}${details.is_savepoint === true ? ' (savepoint)' : ''}`,
    'checkpoint-details',
    table(['Vertex', 'Status', 'Acknowledged', 'Latest ack', 'End to end', 'Size'], vertexRows, 'checkpoint-vertex-table'),
    selection.vertexId === undefined
      ? empty("Choose a vertex to see its subtasks' acknowledgements.")
      : table(
          ['Subtask', 'Status', 'Acknowledged', 'End to end', 'Sync', 'Async', 'Alignment', 'Size'],
          subtaskRows,
          'checkpoint-subtask-table',
        ),
  );
}
