import { card, empty, h, mount, table } from './dom.js';
import { formatBytes, formatTimestamp } from './format.js';
import { getJson } from './rest-client.js';
import type { LogList } from '../rest/types/responses.js';

/** What the panel shows: the process's own log, its stdout, or one file of its log directory. */
export type LogChoice = { readonly kind: 'log' } | { readonly kind: 'stdout' } | { readonly kind: 'file'; readonly name: string };

/** The most of a file the panel loads: its last MiB, as the REST endpoint pages through larger ones. */
const TAIL_BYTES = 1024 * 1024;

async function getText(path: string): Promise<string> {
  const response = await fetch(path, { cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/**
 * The logs of one process (`base` is `/jobmanager` or `/taskmanagers/<id>`), as Flink's Logs, Log
 * and Stdout tabs: the files of its log directory, and the text of the one chosen. Text is loaded
 * when chosen and on Reload, never by the page's periodic refresh, so reading a long log does not
 * keep the JobManager busy.
 */
export class LogPanel {
  readonly root: HTMLElement;
  private readonly files = h('div', { 'data-testid': 'log-files' });
  private readonly text = h('pre', { class: 'log-text', 'data-testid': 'log-text' });
  private readonly title = h('span', { 'data-testid': 'log-title' });
  /** File sizes from the last listing, to load only a file's last MiB. */
  private sizes = new Map<string, number>();
  private loaded = false;

  constructor(
    private readonly base: string,
    private choice: LogChoice,
  ) {
    const button = (label: string, choice: LogChoice, testid: string) =>
      h('button', { type: 'button', 'data-testid': testid, onclick: () => this.show(choice) }, label);
    this.root = card(
      'Logs',
      'logs-card',
      h(
        'div',
        { class: 'form-row' },
        button('Log', { kind: 'log' }, 'show-log'),
        button('Stdout', { kind: 'stdout' }, 'show-stdout'),
        h('button', { type: 'button', 'data-testid': 'reload-log', onclick: () => this.show(this.choice) }, 'Reload'),
      ),
      this.files,
      h('h3', { class: 'log-heading' }, this.title),
      this.text,
    );
  }

  /** Loads the file list and the chosen text once; later calls leave them as they are. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    await Promise.all([this.listFiles(), this.loadText()]);
  }

  private show(choice: LogChoice): void {
    this.choice = choice;
    Promise.all([this.listFiles(), this.loadText()]).catch((error: unknown) => {
      this.text.textContent = error instanceof Error ? error.message : String(error);
    });
  }

  private async listFiles(): Promise<void> {
    const { logs } = await getJson<LogList>(`${this.base}/logs`);
    if (logs.length === 0) {
      mount(this.files, empty('No log files.'));
      return;
    }
    const rows = logs.map((file) =>
      h(
        'tr',
        { 'data-testid': 'log-file' },
        h(
          'td',
          {},
          h('button', { type: 'button', class: 'link-button', onclick: () => this.show({ kind: 'file', name: file.name }) }, file.name),
        ),
        h('td', {}, formatBytes(file.size)),
        h('td', {}, file.mtime === undefined ? '' : formatTimestamp(file.mtime)),
      ),
    );
    mount(this.files, table(['File', 'Size', 'Modified'], rows, 'log-file-table'));
    this.sizes = new Map(logs.map((file) => [file.name, file.size]));
  }

  private async loadText(): Promise<void> {
    const choice = this.choice;
    let path: string;
    if (choice.kind === 'file') {
      const size = this.sizes.get(choice.name) ?? 0;
      const offset = Math.max(0, size - TAIL_BYTES);
      path = `${this.base}/logs/${encodeURIComponent(choice.name)}${offset > 0 ? `?offset=${offset}` : ''}`;
      this.title.textContent = offset > 0 ? `${choice.name} (last ${formatBytes(TAIL_BYTES)})` : choice.name;
    } else {
      path = `${this.base}/${choice.kind}`;
      this.title.textContent = choice.kind === 'log' ? 'Log' : 'Stdout';
    }
    const text = await getText(path);
    this.text.textContent = text.length === 0 ? '(empty)' : text;
  }
}
