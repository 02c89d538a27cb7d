import { readFileSync } from 'node:fs';

function packageVersion(): string {
  try {
    const url = new URL('../../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What REST reports as `flink-version`: tsflink's own version, marked as such. */
export const FLINK_VERSION = `tsflink-${packageVersion()}`;
/** What REST reports as `flink-commit`. */
export const FLINK_COMMIT = 'tsflink';
