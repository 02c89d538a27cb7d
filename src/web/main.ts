// The dashboard's entry module, loaded by index.html: reads the refresh interval from GET /config
// and starts the shell.
import { AppShell } from './app-shell.js';
import { getJson } from './rest-client.js';
import type { DashboardConfig } from '../rest/types/responses.js';

/** Flink's default `web.refresh-interval`, used when /config does not answer. */
const DEFAULT_REFRESH_MS = 3000;
/** Below this the dashboard would mostly measure itself. */
const MIN_REFRESH_MS = 100;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html lacks #${id}`);
  return found;
}

async function loadConfig(): Promise<Partial<DashboardConfig>> {
  try {
    return await getJson<DashboardConfig>('/config');
  } catch {
    return {};
  }
}

async function start(): Promise<void> {
  const config = await loadConfig();
  const interval = config['refresh-interval'];
  const refreshMs = typeof interval === 'number' && interval > 0 ? Math.max(MIN_REFRESH_MS, interval) : DEFAULT_REFRESH_MS;
  const version = config['flink-version'];
  if (version !== undefined) element('version').textContent = `Version ${version}`;
  // Offered only where the cluster accepts jars (a session with web.submit.enable), as in Flink.
  if (config.features?.['web-submit'] === true)
    element('nav').querySelector<HTMLElement>('[data-page="submit"]')?.removeAttribute('hidden');
  new AppShell(
    {
      main: element('main'),
      banner: element('banner'),
      clusterStatus: element('cluster-status'),
      refreshStatus: element('refresh-status'),
      nav: element('nav'),
    },
    refreshMs,
  ).start();
}

start().catch((error: unknown) => {
  // Nothing is on the page yet to show it in: say so in the page itself.
  document.body.textContent = `The tsflink dashboard could not start: ${error instanceof Error ? error.message : String(error)}`;
});
