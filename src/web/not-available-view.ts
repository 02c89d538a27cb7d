import { card, h } from './dom.js';
import { routeHref } from './hash-route.js';
import type { View } from './view.js';

/**
 * The page for a dashboard address tsflink does not serve (a bookmark from Flink's dashboard, or a
 * typo): it says so and links to the pages there are, instead of quietly showing the overview.
 */
export class NotAvailableView implements View {
  readonly root: HTMLElement;

  constructor(hash: string) {
    this.root = h(
      'div',
      { class: 'page', 'data-testid': 'not-available-page' },
      card(
        'Not available in tsflink',
        'not-available-card',
        h(
          'p',
          {},
          'The page ',
          h('code', { 'data-testid': 'not-available-hash' }, hash),
          " of Flink's dashboard is not part of tsflink's.",
        ),
        h(
          'p',
          {},
          'Go to the ',
          h('a', { href: routeHref({ page: 'overview' }) }, 'overview'),
          ' or the ',
          h('a', { href: routeHref({ page: 'taskmanagers' }) }, 'TaskManagers'),
          '.',
        ),
      ),
    );
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }
}
