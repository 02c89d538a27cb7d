import { card, empty, h, mount, stat, statusBadge, table } from './dom.js';
import { formatDuration, formatTimestamp } from './format.js';
import { routeHref } from './hash-route.js';
import { getJson, getOptionalJson } from './rest-client.js';
import type { ClusterOverviewWithVersion, JobsOverview, JobSummary } from '../rest/types/responses.js';
import { taskBadges } from './task-badges.js';
import type { View } from './view.js';

/** The landing page: cluster counts (GET /overview) and every job (GET /jobs/overview). */
export class OverviewView implements View {
  readonly root = h('div', { class: 'page', 'data-testid': 'overview-page' });

  async refresh(): Promise<void> {
    const [overview, jobs] = await Promise.all([
      getJson<ClusterOverviewWithVersion>('/overview'),
      getOptionalJson<JobsOverview>('/jobs/overview'),
    ]);
    mount(
      this.root,
      h('h1', { class: 'page-title' }, 'Overview'),
      h(
        'div',
        { class: 'stats' },
        stat('Available Task Slots', overview['slots-available'], 'overview-slots-available'),
        stat('Total Task Slots', overview['slots-total'], 'overview-slots-total'),
        stat('Task Managers', overview.taskmanagers, 'overview-taskmanagers'),
        stat('Running Jobs', overview['jobs-running'], 'overview-jobs-running'),
        stat('Finished', overview['jobs-finished'], 'overview-jobs-finished'),
        stat('Failed', overview['jobs-failed'], 'overview-jobs-failed'),
        stat('Canceled', overview['jobs-cancelled'], 'overview-jobs-cancelled'),
      ),
      card('Jobs', 'overview-jobs', jobs === undefined ? empty('No data: this JobManager does not list jobs yet.') : jobTable(jobs.jobs)),
    );
  }
}

function jobTable(jobs: readonly JobSummary[]): HTMLElement {
  if (jobs.length === 0) return empty('No jobs.');
  const sorted = [...jobs].sort((a, b) => b['start-time'] - a['start-time']);
  return table(['Job Name', 'Start Time', 'Duration', 'End Time', 'Tasks', 'Status'], sorted.map(jobRow), 'job-table');
}

function jobRow(job: JobSummary): HTMLTableRowElement {
  const href = routeHref({ page: 'job', jobId: job.jid, vertexId: undefined });
  return h(
    'tr',
    {
      class: 'clickable',
      'data-testid': 'job-row',
      'data-job-id': job.jid,
      onclick: () => {
        location.hash = href;
      },
    },
    h('td', {}, h('a', { href, 'data-testid': 'job-link' }, job.name)),
    h('td', {}, formatTimestamp(job['start-time'])),
    h('td', {}, formatDuration(job.duration)),
    h('td', {}, formatTimestamp(job['end-time'])),
    h('td', {}, taskBadges(job.tasks)),
    h('td', {}, statusBadge(job.state)),
  );
}
