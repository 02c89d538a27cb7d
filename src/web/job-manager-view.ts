import { card, empty, h, mount, table } from './dom.js';
import { LogPanel, type LogChoice } from './log-panel.js';
import { getJson } from './rest-client.js';
import type { ConfigEntries, JobManagerLeadershipInfo } from '../rest/types/responses.js';
import { leadershipLines } from './leadership-summary.js';
import type { View } from './view.js';

/** The tabs of Flink's Job Manager page that tsflink shows: its configuration and its logs. */
export type JobManagerTab = 'config' | 'logs' | 'log' | 'stdout';

/**
 * The JobManager (Flink's Job Manager page): which JobManager leads (GET /jobmanager/leadership),
 * the options it runs with, from GET /jobmanager/config (secrets masked there), and its log files,
 * log and stdout.
 */
export class JobManagerView implements View {
  readonly root: HTMLElement;
  private readonly config = h('div', { 'data-testid': 'jobmanager-config' }, empty('Loading configuration…'));
  private readonly leadership = h('div', { 'data-testid': 'jobmanager-leadership' }, empty('Loading…'));
  private readonly logs: LogPanel;
  private configLoaded = false;

  constructor(tab: JobManagerTab) {
    const choice: LogChoice = tab === 'stdout' ? { kind: 'stdout' } : { kind: 'log' };
    this.logs = new LogPanel('/jobmanager', choice);
    this.root = h(
      'div',
      { class: 'page', 'data-testid': 'jobmanager-page' },
      h('h1', { class: 'page-title' }, 'Job Manager'),
      card('Leadership', 'jobmanager-leadership-card', this.leadership),
      tab === 'config'
        ? [card('Configuration', 'jobmanager-config-card', this.config), this.logs.root]
        : [this.logs.root, card('Configuration', 'jobmanager-config-card', this.config)],
    );
  }

  async refresh(): Promise<void> {
    // Leadership changes by itself (a failover), so it is read on every refresh.
    const info = await getJson<JobManagerLeadershipInfo>('/jobmanager/leadership');
    const rows = leadershipLines(info).map((line) =>
      h('tr', { 'data-testid': line.testid }, h('td', {}, line.label), h('td', {}, line.value)),
    );
    mount(this.leadership, table(['Key', 'Value'], rows, 'leadership-table'));
    // Configuration and logs do not change by themselves: load once, reload on demand.
    if (!this.configLoaded) {
      const entries = await getJson<ConfigEntries>('/jobmanager/config');
      this.configLoaded = true;
      const rows = [...entries]
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((entry) => h('tr', { 'data-testid': 'config-row' }, h('td', {}, entry.key), h('td', {}, entry.value)));
      mount(this.config, table(['Key', 'Value'], rows, 'config-table'));
    }
    await this.logs.load();
  }
}
