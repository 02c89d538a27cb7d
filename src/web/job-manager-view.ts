import { card, empty, h, mount, table } from './dom.js';
import { LogPanel, type LogChoice } from './log-panel.js';
import { getJson } from './rest-client.js';
import type { ConfigEntries } from '../rest/types/responses.js';
import type { View } from './view.js';

/** The tabs of Flink's Job Manager page that tsflink shows: its configuration and its logs. */
export type JobManagerTab = 'config' | 'logs' | 'log' | 'stdout';

/**
 * The JobManager (Flink's Job Manager page): the options it runs with, from GET /jobmanager/config
 * (secrets masked there), and its log files, log and stdout.
 */
export class JobManagerView implements View {
  readonly root: HTMLElement;
  private readonly config = h('div', { 'data-testid': 'jobmanager-config' }, empty('Loading configuration…'));
  private readonly logs: LogPanel;
  private configLoaded = false;

  constructor(tab: JobManagerTab) {
    const choice: LogChoice = tab === 'stdout' ? { kind: 'stdout' } : { kind: 'log' };
    this.logs = new LogPanel('/jobmanager', choice);
    this.root = h(
      'div',
      { class: 'page', 'data-testid': 'jobmanager-page' },
      h('h1', { class: 'page-title' }, 'Job Manager'),
      tab === 'config'
        ? [card('Configuration', 'jobmanager-config-card', this.config), this.logs.root]
        : [this.logs.root, card('Configuration', 'jobmanager-config-card', this.config)],
    );
  }

  async refresh(): Promise<void> {
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
