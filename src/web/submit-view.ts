import { card, empty, h, mount } from './dom.js';
import { formatTimestamp } from './format.js';
import { routeHref } from './hash-route.js';
import { getJson, RestClientError, send } from './rest-client.js';
import type { DashboardConfig, JarList } from '../rest/types/responses.js';
import type { View } from './view.js';

type UploadedJar = JarList['files'][number];

/** Program arguments typed in one field, split on whitespace as Flink's dashboard splits them. */
function argumentList(text: string): string[] {
  return text.split(/\s+/).filter((arg) => arg.length > 0);
}

/**
 * Flink's "Submit New Job" page: upload a jar to /jars/upload, list the uploaded jars, run one with
 * an entry class, parallelism, program arguments and a savepoint to start from, or delete it. Runs
 * go through POST /jars/:jarid/run, and the page opens the job once it is submitted. Refreshes
 * rebuild the list only when the jars change, so a form being filled in keeps what was typed.
 */
export class SubmitView implements View {
  readonly root: HTMLElement;
  private readonly list = h('div', { 'data-testid': 'jar-list' });
  private readonly message = h('p', { class: 'form-message', 'data-testid': 'submit-message', role: 'status' });
  private readonly file = h('input', { type: 'file', accept: '.jar', 'data-testid': 'jar-file' });
  private shownIds: string | undefined;
  private enabled: boolean | undefined;

  constructor() {
    const upload = h('button', { type: 'button', 'data-testid': 'jar-upload', onclick: () => this.act(() => this.upload()) }, 'Upload');
    this.root = h(
      'div',
      { class: 'page', 'data-testid': 'submit-page' },
      card('Submit New Job', 'submit-upload-card', h('div', { class: 'form-row' }, this.file, upload), this.message),
      card('Uploaded Jars', 'submit-jars-card', this.list),
    );
  }

  async refresh(): Promise<void> {
    if (this.enabled === undefined) {
      const config = await getJson<DashboardConfig>('/config');
      this.enabled = config.features?.['web-submit'] === true;
    }
    if (!this.enabled) {
      mount(this.list, empty('Job submission is off on this cluster: it is an application cluster, or web.submit.enable is false.'));
      this.file.disabled = true;
      return;
    }
    const jars = await getJson<JarList>('/jars');
    const ids = jars.files.map((jar) => jar.id).join('\n');
    if (ids === this.shownIds) return;
    this.shownIds = ids;
    mount(this.list, jars.files.length === 0 ? empty('No jar uploaded yet.') : jars.files.map((jar) => this.jarRow(jar)));
  }

  /** Runs a button's action; each reports its own refusals, so what escapes is shown the same way. */
  private act(action: () => Promise<void>): void {
    action().catch((error: unknown) => this.say(error instanceof Error ? error.message : String(error), true));
  }

  private say(text: string, isError = false): void {
    this.message.textContent = text;
    this.message.classList.toggle('error', isError);
  }

  private async upload(): Promise<void> {
    const chosen = this.file.files?.[0];
    if (chosen === undefined) {
      this.say('Choose a .jar file first.', true);
      return;
    }
    const form = new FormData();
    form.append('jarfile', chosen, chosen.name);
    this.say(`Uploading ${chosen.name}…`);
    try {
      await send('POST', '/jars/upload', form);
      this.say(`Uploaded ${chosen.name}.`);
      this.file.value = '';
      this.shownIds = undefined;
      await this.refresh();
    } catch (error) {
      this.say(error instanceof RestClientError ? error.message : String(error), true);
    }
  }

  /** One jar: its name and upload time, a form to run it, and a delete button. */
  private jarRow(jar: UploadedJar): HTMLElement {
    const field = (label: string, input: HTMLInputElement) => h('label', { class: 'form-field' }, label, input);
    const entryClass = h('input', { type: 'text', value: jar.entry[0]?.name ?? '', 'data-testid': 'run-entry-class' });
    const parallelism = h('input', { type: 'number', min: 1, placeholder: 'cluster default', 'data-testid': 'run-parallelism' });
    const programArgs = h('input', { type: 'text', placeholder: '--input file:///…', 'data-testid': 'run-args' });
    const savepointPath = h('input', { type: 'text', placeholder: 'file:///…/savepoint-…', 'data-testid': 'run-savepoint' });
    const allowNonRestored = h('input', { type: 'checkbox', 'data-testid': 'run-allow-non-restored' });
    const run = async (): Promise<void> => {
      const body: Record<string, unknown> = { programArgsList: argumentList(programArgs.value) };
      if (entryClass.value.trim() !== '') body['entryClass'] = entryClass.value.trim();
      if (parallelism.value !== '') body['parallelism'] = Number(parallelism.value);
      if (savepointPath.value.trim() !== '') body['savepointPath'] = savepointPath.value.trim();
      if (allowNonRestored.checked) body['allowNonRestoredState'] = true;
      this.say(`Running ${jar.name}…`);
      try {
        const { jobid } = await send<{ jobid: string }>('POST', `/jars/${encodeURIComponent(jar.id)}/run`, body);
        location.hash = routeHref({ page: 'job', jobId: jobid, vertexId: undefined });
      } catch (error) {
        this.say(error instanceof RestClientError ? error.message : String(error), true);
      }
    };
    const remove = async (): Promise<void> => {
      if (!confirm(`Delete ${jar.name}?`)) return;
      try {
        await send('DELETE', `/jars/${encodeURIComponent(jar.id)}`);
        this.shownIds = undefined;
        await this.refresh();
      } catch (error) {
        this.say(error instanceof RestClientError ? error.message : String(error), true);
      }
    };
    return h(
      'div',
      { class: 'jar-row', 'data-testid': 'jar-row', 'data-jar-id': jar.id },
      h('div', { class: 'jar-title' }, h('b', { 'data-testid': 'jar-name' }, jar.name), ` uploaded ${formatTimestamp(jar.uploaded)}`),
      h(
        'div',
        { class: 'form-row' },
        field('Entry class', entryClass),
        field('Parallelism', parallelism),
        field('Program arguments', programArgs),
        field('Savepoint path', savepointPath),
        h('label', { class: 'form-field' }, allowNonRestored, ' Allow non-restored state'),
      ),
      h(
        'div',
        { class: 'form-row' },
        h('button', { type: 'button', 'data-testid': 'jar-run', onclick: () => this.act(run) }, 'Submit'),
        h('button', { type: 'button', class: 'danger', 'data-testid': 'jar-delete', onclick: () => this.act(remove) }, 'Delete'),
      ),
    );
  }
}
