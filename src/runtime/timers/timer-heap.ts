/** A min-heap of timers by time (ties in registration order) with de-duplication and removal by identity. */
import type { Namespace } from '../state/namespace.js';

/** One registered timer of one key and namespace. */
export interface InternalTimer {
  readonly timestamp: number;
  readonly key: unknown;
  readonly canonicalKey: unknown;
  readonly groupIndex: number;
  readonly namespace: Namespace;
}

interface HeapTimer extends InternalTimer {
  readonly id: string;
  readonly seq: number;
  heapIndex: number;
}

/** The identity of a timer: one per key, namespace and time, as in Flink. */
export function timerId(canonicalKey: unknown, nsKey: string, timestamp: number): string {
  return `${String(canonicalKey)}\u0000${nsKey}\u0000${timestamp}`;
}

/** Timers ordered by time; adding an existing timer again is a no-op. */
export class TimerHeap {
  private readonly heap: HeapTimer[] = [];
  private readonly byId = new Map<string, HeapTimer>();
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Adds a timer; returns false when it already existed (checked before anything is allocated but the id). */
  add(timestamp: number, key: unknown, canonicalKey: unknown, groupIndex: number, namespace: Namespace): boolean {
    const id = timerId(canonicalKey, namespace.nsKey, timestamp);
    if (this.byId.has(id)) return false;
    const t: HeapTimer = { timestamp, key, canonicalKey, groupIndex, namespace, id, seq: this.seq++, heapIndex: this.heap.length };
    this.heap.push(t);
    this.byId.set(id, t);
    this.up(t.heapIndex);
    return true;
  }

  remove(canonicalKey: unknown, nsKey: string, timestamp: number): boolean {
    const t = this.byId.get(timerId(canonicalKey, nsKey, timestamp));
    if (t === undefined) return false;
    this.byId.delete(t.id);
    const last = this.heap.pop()!;
    if (last !== t) {
      this.heap[t.heapIndex] = last;
      last.heapIndex = t.heapIndex;
      this.down(last.heapIndex);
      this.up(last.heapIndex);
    }
    return true;
  }

  peek(): InternalTimer | undefined {
    return this.heap[0];
  }

  poll(): InternalTimer | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.remove(top.canonicalKey, top.namespace.nsKey, top.timestamp);
    return top;
  }

  values(): Iterable<InternalTimer> {
    return this.heap;
  }

  private less(a: HeapTimer, b: HeapTimer): boolean {
    return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    a.heapIndex = j;
    b.heapIndex = i;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i]!, this.heap[parent]!)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < n && this.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
