/** Where an explicitly set value came from: a file line, a `-D` argument, or code. */
export type ConfigOrigin =
  | { readonly kind: 'file'; readonly file: string; readonly line: number }
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'override'; readonly label: string };

/** One explicitly set key with its raw text, as read from a source. */
export interface ConfigEntry {
  readonly key: string;
  readonly value: string;
  readonly origin: ConfigOrigin;
}

/** A key and its (possibly masked) text, as listed by GET /jobmanager/config. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** `file:line`, `-D`, or the override's label. */
export function formatOrigin(origin: ConfigOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `${origin.file}:${origin.line}`;
    case 'dynamic':
      return '-D';
    case 'override':
      return origin.label;
  }
}

/** The origin of every `-D` property. */
export const DYNAMIC_ORIGIN: ConfigOrigin = { kind: 'dynamic' };
