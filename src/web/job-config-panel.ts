import { card, empty, facts, h, table } from './dom.js';
import { NONE } from './format.js';
import type { JobConfig } from '../rest/types/responses.js';

/** The job's execution configuration (Flink's Configuration tab): parallelism, restart strategy, object reuse, user options. */
export function renderJobConfigPanel(config: JobConfig | undefined): HTMLElement {
  const execution = config?.['execution-config'];
  if (execution === undefined) return card('Configuration', 'job-config', empty('No data: the job configuration is not available.'));
  const user = Object.entries(execution['user-config'] ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return card(
    'Configuration',
    'job-config',
    facts([
      ['Parallelism', execution['job-parallelism'] ?? NONE, 'job-config-parallelism'],
      ['Restart strategy', execution['restart-strategy'] ?? NONE, 'job-config-restart-strategy'],
      ['Object reuse', execution['object-reuse-mode'] === true ? 'enabled' : 'disabled'],
    ]),
    user.length === 0
      ? empty('No user configuration.')
      : table(
          ['User option', 'Value'],
          user.map(([key, value]) => h('tr', { 'data-testid': 'job-user-config-row' }, h('td', {}, key), h('td', {}, value))),
        ),
  );
}
