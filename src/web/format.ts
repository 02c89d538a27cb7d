// Value formatting shared by the views. Flink writes "not yet/not applicable" as -1 or leaves a
// field out; every formatter turns those into a dash.

/** What a view shows for a value that does not exist (yet). */
export const NONE = '–';

function known(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Epoch milliseconds as local `YYYY-MM-DD HH:MM:SS`. */
export function formatTimestamp(epochMs: number | null | undefined): string {
  if (!known(epochMs) || epochMs === 0) return NONE;
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Epoch milliseconds as local `HH:MM:SS`, for chart axes. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A duration in milliseconds, coarsest units first: `350 ms`, `4.2 s`, `3m 05s`, `2h 01m`, `1d 3h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (!known(ms)) return NONE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 60) return `${(ms / 1000).toFixed(1)} s`;
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(seconds)}s`;
}

/** A byte count in binary units. */
export function formatBytes(bytes: number | null | undefined): string {
  if (!known(bytes)) return NONE;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A per-second rate with thousands separators and at most one decimal. */
export function formatRate(perSecond: number | undefined): string {
  if (!known(perSecond)) return NONE;
  return `${perSecond.toLocaleString('en-US', { maximumFractionDigits: perSecond < 10 ? 1 : 0 })}/s`;
}

/** How long ago an epoch-ms instant was, relative to `now`. */
export function formatAgo(epochMs: number | null | undefined, now = Date.now()): string {
  if (!known(epochMs) || epochMs === 0) return NONE;
  const delta = Math.max(0, now - epochMs);
  return delta < 1000 ? 'just now' : `${formatDuration(delta)} ago`;
}

/** Shortens long ids for tables while the full text stays in a tooltip. */
export function shortId(id: string, keep = 12): string {
  return id.length <= keep ? id : `${id.slice(0, keep)}…`;
}
