/** A span of time in milliseconds, with Flink/Java-style builders (Duration.ofSeconds, Time.seconds). */

/** An immutable duration; everything in tsflink that takes a time span takes a Duration or milliseconds. */
export class Duration {
  private constructor(private readonly millis: number) {
    if (!Number.isFinite(millis)) throw new RangeError(`A duration must be finite, got ${millis}`);
  }

  static ofMillis(ms: number): Duration {
    return new Duration(ms);
  }
  static ofSeconds(s: number): Duration {
    return new Duration(s * 1000);
  }
  static ofMinutes(m: number): Duration {
    return new Duration(m * 60_000);
  }
  static ofHours(h: number): Duration {
    return new Duration(h * 3_600_000);
  }
  static ofDays(d: number): Duration {
    return new Duration(d * 86_400_000);
  }

  toMillis(): number {
    return this.millis;
  }

  toString(): string {
    return `${this.millis} ms`;
  }
}

/** Flink's old `Time` helper; each builder returns a Duration. */
export const Time = {
  milliseconds: (ms: number): Duration => Duration.ofMillis(ms),
  seconds: (s: number): Duration => Duration.ofSeconds(s),
  minutes: (m: number): Duration => Duration.ofMinutes(m),
  hours: (h: number): Duration => Duration.ofHours(h),
  days: (d: number): Duration => Duration.ofDays(d),
} as const;

/** A time span as given by users: a Duration or milliseconds. */
export type TimeSpan = Duration | number;

/** Milliseconds of a time span. */
export function toMillis(span: TimeSpan): number {
  if (typeof span === 'number') {
    if (!Number.isFinite(span)) throw new RangeError(`A time span must be finite milliseconds, got ${span}`);
    return span;
  }
  return span.toMillis();
}
