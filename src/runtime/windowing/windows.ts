/** Windows: the groups of elements a window operator evaluates; also the namespaces of window state. */
import { MAX_WATERMARK } from '../task-contract.js';

/** A window; `nsKey` identifies it among the windows of one key. */
export abstract class Window {
  abstract readonly nsKey: string;
  /** The largest timestamp that still belongs to this window. */
  abstract maxTimestamp(): number;
}

/** A window of time [start, end): end exclusive, as Flink's TimeWindow. */
export class TimeWindow extends Window {
  readonly nsKey: string;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super();
    this.nsKey = `${start}:${end}`;
  }

  maxTimestamp(): number {
    return this.end - 1;
  }

  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  equals(other: unknown): boolean {
    return other instanceof TimeWindow && other.start === this.start && other.end === this.end;
  }

  override toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /** Start of the window of `size` (shifted by `offset`) that holds `timestamp`; Java's remainder rule. */
  static getWindowStartWithOffset(timestamp: number, offset: number, size: number): number {
    const remainder = (timestamp - offset) % size;
    return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
  }
}

/** The single window of GlobalWindows, spanning all time. */
export class GlobalWindow extends Window {
  static readonly INSTANCE = new GlobalWindow();
  readonly nsKey = 'G';

  private constructor() {
    super();
  }

  maxTimestamp(): number {
    return MAX_WATERMARK;
  }

  override toString(): string {
    return 'GlobalWindow';
  }
}
