import { card, empty, facts, h, statusBadge, table } from './dom.js';
import { formatBytes, formatDuration, formatTimestamp, NONE } from './format.js';
import type { CheckpointingStatistics } from '../rest/types/responses.js';

/** Checkpoint counts, the latest completed checkpoint and what the current run restored (GET /jobs/:jobid/checkpoints). */
export function renderCheckpointsPanel(stats: CheckpointingStatistics | undefined): HTMLElement {
  if (stats === undefined || stats.counts === undefined)
    return card('Checkpoints', 'checkpoints', empty('No data: checkpoint statistics are not available.'));
  const { counts } = stats;
  const completed = stats.latest?.completed ?? undefined;
  const restored = stats.latest?.restored ?? undefined;
  const failed = stats.latest?.failed ?? undefined;
  return card(
    'Checkpoints',
    'checkpoints',
    h(
      'div',
      { class: 'mini-stats' },
      miniStat('Triggered', counts.total, 'checkpoints-total'),
      miniStat('In Progress', counts.in_progress, 'checkpoints-in-progress'),
      miniStat('Completed', counts.completed, 'checkpoints-completed'),
      miniStat('Failed', counts.failed, 'checkpoints-failed'),
      miniStat('Restored', counts.restored, 'checkpoints-restored'),
    ),
    facts([
      ['Latest completed', completed === undefined ? NONE : `#${completed.id}`, 'checkpoints-latest-id'],
      ['Completed at', formatTimestamp(completed?.latest_ack_timestamp)],
      ['End-to-end duration', formatDuration(completed?.end_to_end_duration), 'checkpoints-latest-duration'],
      ['Checkpointed size', formatBytes(completed?.checkpointed_size ?? completed?.state_size), 'checkpoints-latest-size'],
      [
        'Restored from',
        restored === undefined
          ? 'Nothing restored yet'
          : `${restored.is_savepoint === true ? 'Savepoint' : 'Checkpoint'} #${restored.id} at ${formatTimestamp(restored.restore_timestamp)}`,
        'checkpoints-restored-from',
      ],
      restored?.external_path ? ['Restore path', h('code', {}, restored.external_path)] : ['Restore path', NONE],
      failed === undefined ? ['Latest failure', NONE] : ['Latest failure', `#${failed.id}: ${failed.failure_message ?? 'no message'}`],
    ]),
  );
}

function miniStat(label: string, value: number, testid: string): HTMLElement {
  return h(
    'div',
    { class: 'mini-stat' },
    h('span', { class: 'mini-value', 'data-testid': testid }, value),
    h('span', { class: 'mini-label' }, label),
  );
}

/** How many of the history's checkpoints the table lists, newest first. */
const HISTORY_ROWS = 10;

/** The latest checkpoints one by one (Flink's Checkpoints › History tab): status, type, times, size, acknowledgements; an id opens its details. */
export function renderCheckpointHistory(
  stats: CheckpointingStatistics | undefined,
  selectedId: number | undefined,
  onSelect: (checkpointId: number) => void,
): HTMLElement {
  const history = [...(stats?.history ?? [])].sort((a, b) => b.id - a.id).slice(0, HISTORY_ROWS);
  if (history.length === 0) return card('Checkpoint History', 'checkpoint-history', empty('No checkpoint yet.'));
  const rows = history.map((checkpoint) =>
    h(
      'tr',
      { 'data-testid': 'checkpoint-history-row', class: checkpoint.id === selectedId ? 'selected' : undefined },
      h(
        'td',
        {},
        h(
          'button',
          { type: 'button', class: 'link-button', 'data-testid': 'checkpoint-link', onclick: () => onSelect(checkpoint.id) },
          `#${checkpoint.id}`,
        ),
      ),
      h('td', {}, statusBadge(checkpoint.status)),
      h('td', {}, checkpoint.is_savepoint === true ? 'Savepoint' : 'Checkpoint'),
      h('td', {}, formatTimestamp(checkpoint.trigger_timestamp)),
      h('td', {}, formatDuration(checkpoint.end_to_end_duration)),
      h('td', {}, formatBytes(checkpoint.checkpointed_size ?? checkpoint.state_size)),
      h('td', {}, `${checkpoint.num_acknowledged_subtasks ?? NONE}/${checkpoint.num_subtasks ?? NONE}`),
    ),
  );
  return card(
    'Checkpoint History',
    'checkpoint-history',
    table(['ID', 'Status', 'Type', 'Triggered', 'End to end', 'Size', 'Acknowledged'], rows, 'checkpoint-history-table'),
  );
}
