import { card, empty, h, table } from './dom.js';
import { formatDuration, formatTimestamp, NONE } from './format.js';
import { renderParallelismChart, SERIES_CLASSES } from './parallelism-chart.js';
import { causeLabel, describeDowntime, describeParallelism, groupSeries } from './parallelism-series.js';
import type { ParallelismChange, ParallelismHistory } from '../rest/types/responses.js';

/**
 * The job's parallelism over time (GET /jobs/:jobid/parallelism-history, a tsflink endpoint): a step
 * chart with every rescale marked by its cause and downtime (the gap in the job's output: the last
 * sink record before to the first after), then the same runs as a table.
 */
export function renderParallelismTimeline(
  history: ParallelismHistory | undefined,
  vertexNames: ReadonlyMap<string, string>,
  endTime: number,
  width: number,
): HTMLElement {
  const title = 'Parallelism Timeline';
  if (history === undefined || !Array.isArray(history.changes))
    return card(title, 'parallelism-timeline', empty('No data: the parallelism history is not available.'));
  if (history.changes.length === 0) return card(title, 'parallelism-timeline', empty('No data yet: the job has not started running.'));
  const changes = [...history.changes].sort((a, b) => a.timestamp - b.timestamp);
  const series = groupSeries(changes, vertexNames);
  const totalDowntime = changes.reduce((sum, change) => sum + change.downtimeMs, 0);
  return card(
    title,
    'parallelism-timeline',
    h(
      'div',
      { class: 'mini-stats' },
      summary('Rescales', history.numRescales ?? NONE, 'timeline-rescales'),
      summary('Restarts', history.numRestarts ?? NONE, 'timeline-restarts'),
      summary('Total downtime', formatDuration(totalDowntime), 'timeline-downtime'),
      summary('Current parallelism', describeParallelism(changes.at(-1)!.parallelism), 'timeline-current'),
    ),
    h('div', { class: 'chart-wrap' }, renderParallelismChart({ changes, series, endTime, width })),
    h(
      'ul',
      { class: 'legend' },
      series.map((entry, i) => h('li', {}, h('span', { class: `swatch ${SERIES_CLASSES[i % SERIES_CLASSES.length]}` }), entry.label)),
      h('li', {}, h('span', { class: 'swatch downtime' }), 'Job down'),
    ),
    table(
      ['#', 'Time', 'Cause', 'Parallelism', 'Downtime', 'Restart Back-off', 'Restored Checkpoint', 'Records Replayed'],
      changes.map((change, i) => changeRow(change, i)).reverse(),
      'rescale-table',
    ),
  );
}

function summary(label: string, value: string | number, testid: string): HTMLElement {
  return h(
    'div',
    { class: 'mini-stat' },
    h('span', { class: 'mini-value', 'data-testid': testid }, value),
    h('span', { class: 'mini-label' }, label),
  );
}

function changeRow(change: ParallelismChange, index: number): HTMLTableRowElement {
  const restored = change.restoredCheckpointId;
  return h(
    'tr',
    { 'data-testid': 'rescale-row', 'data-cause': change.cause },
    h('td', { class: 'num' }, index + 1),
    h('td', {}, formatTimestamp(change.timestamp)),
    h('td', {}, h('span', { class: `cause cause-${change.cause}` }, causeLabel(change.cause))),
    h('td', { class: 'num', 'data-testid': 'rescale-parallelism' }, describeParallelism(change.parallelism)),
    h(
      'td',
      { 'data-testid': 'rescale-downtime' },
      index === 0 && change.downtimeMs === 0 ? NONE : describeDowntime(change, formatDuration),
    ),
    // Older JobManagers send neither figure.
    h(
      'td',
      { 'data-testid': 'rescale-backoff' },
      index === 0 || change.restartBackoffMs === undefined ? NONE : formatDuration(change.restartBackoffMs),
    ),
    h('td', {}, restored === undefined || restored === null ? NONE : `#${restored}`),
    h('td', { class: 'num', 'data-testid': 'rescale-replayed' }, change.recordsReplayed ?? NONE),
  );
}
