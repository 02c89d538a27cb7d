import { card, empty, h, statusBadge, table } from './dom.js';
import { formatBytes, formatDuration, formatTimestamp, NONE } from './format.js';
import type { CheckpointStatistics, CheckpointSubtaskDetails } from '../rest/types/responses.js';

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
  details: CheckpointStatistics | undefined,
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
      h('td', {}, statusBadge(task.status)),
      h('td', {}, `${task.num_acknowledged_subtasks ?? NONE}/${task.num_subtasks ?? NONE}`),
      h('td', {}, formatTimestamp(task.latest_ack_timestamp)),
      h('td', {}, formatDuration(task.end_to_end_duration)),
      h('td', {}, formatBytes(task.checkpointed_size ?? task.state_size)),
    ),
  );
  const subtaskRows = (subtasks?.subtasks ?? []).map((subtask) => {
    // A pending subtask has only its index: every figure of its row is "–".
    const acked = subtask.status === 'completed' ? subtask : undefined;
    return h(
      'tr',
      { 'data-testid': 'checkpoint-subtask-row' },
      h('td', {}, subtask.index),
      h('td', {}, statusBadge(acked === undefined ? 'PENDING' : 'COMPLETED')),
      h('td', {}, formatTimestamp(acked?.ack_timestamp)),
      h('td', {}, formatDuration(acked?.end_to_end_duration)),
      h('td', {}, formatDuration(acked?.checkpoint.sync)),
      h('td', {}, formatDuration(acked?.checkpoint.async)),
      h('td', {}, formatDuration(acked?.alignment.duration)),
      h('td', {}, formatBytes(acked?.checkpointed_size ?? acked?.state_size)),
    );
  });
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
