/** Where Debian's chromium package puts the browser the web UI tests drive. */
export const CHROMIUM = '/usr/bin/chromium';

/** The machine has no network: keep Chromium from reaching out (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
