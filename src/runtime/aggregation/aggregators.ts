/** Flink's built-in aggregations (sum, min, max, minBy, maxBy) as reduce functions over one field. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { UnsupportedOperationError } from '../runtime-errors.js';
import { fieldAccessor, type FieldAccessor, type FieldSpec } from './field-accessor.js';

/** Which aggregation to run. */
export type AggregationType = 'SUM' | 'MIN' | 'MAX' | 'MIN_BY' | 'MAX_BY';

/** A reduce function for one aggregation; `name` is Flink's class name, for operator names. */
export interface Aggregator {
  readonly name: string;
  reduce(value1: unknown, value2: unknown): unknown;
}

function adder(type: TypeDescriptor | undefined): (a: unknown, b: unknown) => unknown {
  if (type?.kind === 'INT') return (a, b) => ((a as number) + (b as number)) | 0;
  if (type?.kind === 'FLOAT') return (a, b) => Math.fround((a as number) + (b as number));
  return (a, b) => {
    if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as bigint) + BigInt(b as bigint);
    if (typeof a !== 'number' || typeof b !== 'number') {
      throw new UnsupportedOperationError(`sum() needs a numeric field, got ${typeof a} and ${typeof b}`);
    }
    return a + b;
  };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === typeof b && (typeof a === 'string' || typeof a === 'bigint' || typeof a === 'boolean')) {
    return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  }
  throw new UnsupportedOperationError(`min/max need comparable fields of one type, got ${typeof a} and ${typeof b}`);
}

/** Sums one field; the other fields come from the first value, as Flink's SumAggregator. */
export class SumAggregator implements Aggregator {
  readonly name = 'SumAggregator';
  private readonly access: FieldAccessor;
  private readonly add: (a: unknown, b: unknown) => unknown;
  constructor(field: FieldSpec, type: TypeDescriptor | undefined) {
    this.access = fieldAccessor(field, type);
    this.add = adder(this.access.fieldType);
  }
  reduce(value1: unknown, value2: unknown): unknown {
    return this.access.set(value1, this.add(this.access.get(value1), this.access.get(value2)));
  }
}

/**
 * Min/max of one field (other fields from the first value) or minBy/maxBy (the whole record holding
 * the extreme; on ties `first` keeps the earlier record), as Flink's ComparableAggregator.
 */
export class ComparableAggregator implements Aggregator {
  readonly name = 'ComparableAggregator';
  private readonly access: FieldAccessor;
  private readonly byAggregate: boolean;
  private readonly isMax: boolean;

  constructor(
    field: FieldSpec,
    type: TypeDescriptor | undefined,
    aggregation: Exclude<AggregationType, 'SUM'>,
    private readonly first = true,
  ) {
    this.access = fieldAccessor(field, type);
    this.byAggregate = aggregation === 'MIN_BY' || aggregation === 'MAX_BY';
    this.isMax = aggregation === 'MAX' || aggregation === 'MAX_BY';
  }

  reduce(value1: unknown, value2: unknown): unknown {
    const o1 = this.access.get(value1);
    const o2 = this.access.get(value2);
    const c = compare(o1, o2);
    // Flink's isExtremal: 1 when o1 is the extreme, 2 on a tie, 0 when o2 is.
    const extremal = c === 0 ? 2 : (this.isMax ? c > 0 : c < 0) ? 1 : 0;
    if (this.byAggregate) {
      if (extremal === 2) return this.first ? value1 : value2;
      return extremal === 1 ? value1 : value2;
    }
    return extremal === 0 ? this.access.set(value1, o2) : value1;
  }
}

/** The aggregator for `aggregation` over `field` of records of `type`. */
export function createAggregator(
  aggregation: AggregationType,
  field: FieldSpec,
  type: TypeDescriptor | undefined,
  first = true,
): Aggregator {
  return aggregation === 'SUM' ? new SumAggregator(field, type) : new ComparableAggregator(field, type, aggregation, first);
}
