import { h, mount } from './dom.js';
import { formatClock } from './format.js';
import { parseRoute, type Route } from './hash-route.js';
import { JobManagerView } from './job-manager-view.js';
import { JobView } from './job-view.js';
import { NotAvailableView } from './not-available-view.js';
import { OverviewView } from './overview-view.js';
import { getJson } from './rest-client.js';
import type { ClusterOverviewWithVersion } from '../rest/types/responses.js';
import { SubmitView } from './submit-view.js';
import { TaskManagerView } from './task-manager-view.js';
import { TaskManagersView } from './task-managers-view.js';
import type { View } from './view.js';

/** The elements of index.html the shell fills in. */
export interface ShellElements {
  readonly main: HTMLElement;
  readonly banner: HTMLElement;
  readonly clusterStatus: HTMLElement;
  readonly refreshStatus: HTMLElement;
  readonly nav: HTMLElement;
}

/**
 * Routes the hash to a view and polls: every `intervalMs` the current view and the header's
 * cluster status re-read the REST API, one refresh at a time, so the page follows the cluster
 * without reloads. A failed refresh shows a banner and the next tick tries again.
 */
export class AppShell {
  private view: View | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every navigation, so a refresh started for an old view does not schedule ticks. */
  private generation = 0;

  constructor(
    private readonly elements: ShellElements,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    window.addEventListener('hashchange', () => this.navigate());
    this.navigate();
  }

  private navigate(): void {
    const route = parseRoute(location.hash);
    this.view = createView(route);
    mount(this.elements.main, this.view.root);
    for (const link of this.elements.nav.querySelectorAll('a')) {
      link.classList.toggle('active', link.dataset['page'] === navSection(route));
    }
    this.startTick();
  }

  /** tick() shows its own failures in the banner; anything escaping it goes to the console. */
  private startTick(): void {
    this.tick().catch((error: unknown) => console.error('tsflink dashboard: refresh failed', error));
  }

  private async tick(): Promise<void> {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    const view = this.view;
    try {
      // A hidden tab skips the work but keeps its schedule, and catches up as soon as it is shown.
      if (view !== undefined && !document.hidden) {
        await Promise.all([view.refresh(), this.refreshClusterStatus()]);
        this.elements.banner.hidden = true;
        this.elements.refreshStatus.textContent = `Updated ${formatClock(Date.now())} · every ${this.intervalMs / 1000} s`;
      }
    } catch (error) {
      this.elements.banner.hidden = false;
      this.elements.banner.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.generation) this.timer = setTimeout(() => this.startTick(), this.intervalMs);
    }
  }

  private async refreshClusterStatus(): Promise<void> {
    const overview = await getJson<ClusterOverviewWithVersion>('/overview');
    mount(
      this.elements.clusterStatus,
      h('span', { class: 'pill' }, h('b', { 'data-testid': 'header-taskmanagers' }, overview.taskmanagers), ' TaskManagers'),
      h(
        'span',
        { class: 'pill' },
        h('b', { 'data-testid': 'header-slots-total' }, overview['slots-total']),
        ' slots, ',
        h('b', { 'data-testid': 'header-slots-available' }, overview['slots-available']),
        ' free',
      ),
      h('span', { class: 'pill' }, h('b', {}, overview['jobs-running']), ' running'),
    );
  }
}

function createView(route: Route): View {
  switch (route.page) {
    case 'overview':
      return new OverviewView();
    case 'job':
      return new JobView(route.jobId, route.vertexId);
    case 'taskmanagers':
      return new TaskManagersView();
    case 'taskmanager':
      return new TaskManagerView(route.taskManagerId, route.tab);
    case 'jobmanager':
      return new JobManagerView(route.tab);
    case 'submit':
      return new SubmitView();
    case 'not-available':
      return new NotAvailableView(route.hash);
  }
}

/** Which nav entry a route belongs to (a job page is reached from the overview). */
function navSection(route: Route): string {
  if (route.page === 'submit') return 'submit';
  if (route.page === 'jobmanager') return 'jobmanager';
  return route.page === 'taskmanager' || route.page === 'taskmanagers' ? 'taskmanagers' : 'overview';
}
