import { card, empty, h } from './dom.js';
import { formatTimestamp } from './format.js';
import { routeHref } from './hash-route.js';
import type { ExceptionEntry, JobExceptionsInfo } from '../rest/types/responses.js';

/**
 * The job's root causes, newest first, each with its stack trace folded away (GET /jobs/:jobid/exceptions).
 * `openTraces` remembers which traces the user unfolded, so a refresh does not fold them again.
 */
export function renderExceptionsPanel(exceptions: JobExceptionsInfo | undefined, openTraces: Set<string>): HTMLElement {
  const history = exceptions?.exceptionHistory;
  if (history === undefined) return card('Exceptions', 'exceptions', empty('No data: the exception history is not available.'));
  if (history.entries.length === 0) return card('Exceptions', 'exceptions', empty('No exceptions.'));
  const entries = [...history.entries].sort((a, b) => b.timestamp - a.timestamp).map((entry) => renderEntry(entry, openTraces));
  return card(
    'Exceptions',
    'exceptions',
    h('ul', { class: 'exception-list' }, entries),
    history.truncated === true && h('p', { class: 'empty' }, 'Older exceptions were dropped (web.exception-history-size).'),
  );
}

function renderEntry(entry: ExceptionEntry, openTraces: Set<string>): HTMLElement {
  const key = `${entry.timestamp}:${entry.exceptionName}`;
  const where = [entry.taskName, entry.endpoint].filter((part): part is string => typeof part === 'string' && part !== '').join(' @ ');
  const taskManagerId = entry.taskManagerId ?? undefined;
  return h(
    'li',
    { class: 'exception', 'data-testid': 'exception-entry' },
    h(
      'div',
      { class: 'exception-head' },
      h('span', { class: 'exception-time' }, formatTimestamp(entry.timestamp)),
      h('strong', { class: 'exception-name' }, entry.exceptionName),
      where !== '' && h('span', { class: 'exception-where' }, where),
      taskManagerId !== undefined && h('a', { href: routeHref({ page: 'taskmanager', taskManagerId }) }, taskManagerId),
    ),
    entry.stacktrace !== undefined &&
      entry.stacktrace !== '' &&
      h(
        'details',
        {
          open: openTraces.has(key),
          ontoggle: (event) => {
            if ((event.target as HTMLDetailsElement).open) openTraces.add(key);
            else openTraces.delete(key);
          },
        },
        h('summary', {}, 'Stack trace'),
        h('pre', { class: 'stacktrace' }, entry.stacktrace),
      ),
  );
}
