// Small render helpers: the dashboard builds its DOM with these instead of a framework.
import type { CheckpointStatsStatus, ExecutionState, JobStatus } from '../rest/types/responses.js';

/** Anything a helper accepts as a child; falsy values are skipped so conditionals read naturally. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Attributes by name; `on<event>` keys attach listeners, false/null/undefined leave an attribute out. */
export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>>;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an HTML element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyAttrs(element, attrs);
  append(element, children);
  return element;
}

/** Creates an SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  applyAttrs(element, attrs);
  append(element, children);
  return element;
}

/** Replaces everything inside `parent` with `children`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

function applyAttrs(element: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** A titled panel; `testid` names it for tests. */
export function card(title: string, testid: string, ...body: Child[]): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': testid },
    h('h2', { class: 'card-title' }, title),
    h('div', { class: 'card-body' }, body),
  );
}

/** The quiet placeholder of a panel without data. */
export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

/** A table with a header row; rows are built by the caller so they can carry their own test ids. */
export function table(headers: readonly string[], rows: readonly HTMLTableRowElement[], testid?: string): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': testid },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((header) => h('th', {}, header)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** What a status badge shows: a job's, a subtask's or a checkpoint's status, or PENDING for an unacknowledged subtask. */
export type BadgeStatus = JobStatus | ExecutionState | CheckpointStatsStatus | 'PENDING';

/** A coloured status label (RUNNING, FAILED, ...). */
export function statusBadge(status: BadgeStatus, testid?: string): HTMLElement {
  return h('span', { class: `badge status-${status.toLowerCase()}`, 'data-testid': testid }, status);
}

/** A big number with a caption, as on Flink's overview page. */
export function stat(label: string, value: Child, testid: string): HTMLElement {
  return h(
    'div',
    { class: 'stat' },
    h('div', { class: 'stat-value', 'data-testid': testid }, value),
    h('div', { class: 'stat-label' }, label),
  );
}

/** Label/value pairs laid out as a compact grid. */
export function facts(entries: ReadonlyArray<readonly [label: string, value: Child, testid?: string]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    entries.map(([label, value, testid]) => [h('dt', {}, label), h('dd', { 'data-testid': testid }, value)]),
  );
}
