/** Namespaces scope keyed state below the key: none for plain keyed state, a window for window state. */
import { GlobalWindow, TimeWindow } from '../windowing/windows.js';

/** Anything state can be scoped by; `nsKey` tells namespaces of one key apart. */
export interface Namespace {
  readonly nsKey: string;
}

/** The namespace of state that is not scoped below the key. */
export const VOID_NAMESPACE: Namespace = Object.freeze({ nsKey: '' });

/** The plain form of a namespace in snapshots. */
export function namespaceToPlain(ns: Namespace): unknown {
  if (ns === VOID_NAMESPACE) return null;
  if (ns instanceof TimeWindow) return [ns.start, ns.end];
  if (ns instanceof GlobalWindow) return 'G';
  throw new TypeError(`Cannot snapshot state in namespace ${String(ns)}`);
}

/** The namespace a plain snapshot form stands for. */
export function namespaceFromPlain(plain: unknown): Namespace {
  if (plain === null || plain === undefined) return VOID_NAMESPACE;
  if (plain === 'G') return GlobalWindow.INSTANCE;
  if (Array.isArray(plain) && plain.length === 2) return new TimeWindow(Number(plain[0]), Number(plain[1]));
  throw new TypeError(`Unknown state namespace in snapshot: ${JSON.stringify(plain)}`);
}
