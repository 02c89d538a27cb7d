/** The keyed states the backend tests use, one of each kind, over INT keys and 128 key groups. */
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../../../src/runtime/state/state-descriptors.js';

export const MAX_P = 128;
export const INT = { kind: 'INT' } as const;

export const valueDesc = new ValueStateDescriptor<number>('value', INT);
export const listDesc = new ListStateDescriptor<string>('list', { kind: 'STRING' });
export const mapDesc = new MapStateDescriptor<string, number>('map', { kind: 'STRING' }, INT);
export const sumDesc = new ReducingStateDescriptor<number>('sum', (a: number, b: number) => a + b, INT);
export const avgDesc = new AggregatingStateDescriptor<number, [number, number], number>('avg', {
  createAccumulator: () => [0, 0],
  add: (v, [s, n]) => [s + v, n + 1],
  getResult: ([s, n]) => s / n,
  merge: ([a, b], [c, d]) => [a + c, b + d],
});
