import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';

/** One line of conf/masters (`host[:webuiport]`) or conf/workers (`host`). */
export interface HostEntry {
  readonly host: string;
  readonly port: number | undefined;
}

/**
 * Reads conf/masters or conf/workers as Flink's config.sh does: `#` starts a comment, blank lines
 * are skipped, and a network-topology prefix such as `/rack1/host` is cut to its last part.
 */
export function readHostList(path: string, kind: 'masters' | 'workers'): HostEntry[] {
  if (!existsSync(path)) throw new UsageError(`No ${kind} file. Please specify ${kind} in 'conf/${kind}'.`);
  const entries: HostEntry[] = [];
  for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const last =
      line
        .split('/')
        .filter((part) => part !== '')
        .pop() ?? '';
    const match = /^([0-9a-zA-Z.-]+)(?::(\d+))?$/.exec(last);
    if (match === null)
      throw new UsageError(`Invalid host '${line}' in conf/${kind}: expected host${kind === 'masters' ? '[:webuiport]' : ''}.`);
    entries.push({ host: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) });
  }
  return entries;
}

/** Whether every entry is this machine, so the scripts run locally instead of over ssh. */
export function allLocal(entries: readonly HostEntry[]): boolean {
  return entries.every((entry) => entry.host === 'localhost' || entry.host === '127.0.0.1');
}
