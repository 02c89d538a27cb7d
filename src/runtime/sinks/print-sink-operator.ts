/** print(): one line per record on the TaskManager's stdout, prefixed as Flink's PrintSinkOutputWriter does. */
import { formatValue } from '../format/index.js';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js';

/** The prefix of print() lines: `id:N> `, `N> ` (N = subtask + 1, only when parallel) or `id> `. */
export function printPrefix(sinkIdentifier: string | undefined, subtaskIndex: number, parallelism: number): string {
  let prefix = sinkIdentifier ?? '';
  if (parallelism > 1) prefix += `${prefix === '' ? '' : ':'}${subtaskIndex + 1}`;
  return prefix === '' ? '' : `${prefix}> `;
}

/** Writes every record to stdout as Java's toString would render it. */
export class PrintSinkOperator extends AbstractStreamOperator {
  private prefix = '';

  constructor(private readonly sinkIdentifier: string | undefined) {
    super();
  }

  override open(): void {
    this.prefix = printPrefix(this.sinkIdentifier, this.services.subtaskIndex, this.services.parallelism);
  }

  processElement(value: unknown): void {
    this.services.stdout(this.prefix + formatValue(value, this.setupInfo.inputType));
  }

  override processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
  }
}

/** Drops every record (Flink's DiscardingSink), for benchmarks. */
export class DiscardingSinkOperator extends AbstractStreamOperator {
  processElement(): void {}
  override processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
  }
}
