/**
 * The shape of a JSON document, for comparing two systems' REST answers: keys, types and nesting,
 * and the values of enum-like fields (states, vertex names). Ids, times and counts are not shape.
 */

/** A path in a document (`vertices[].status`) mapped to what is found there. */
export type Shape = Record<string, string>;

/** Keys whose string values are an enumeration a client switches on, so their values are compared. */
const ENUM_KEYS = new Set([
  'state',
  'status',
  'job-type',
  'type',
  'checkpoint_type',
  'processing-mode',
  'pact',
  'ship_strategy',
  'exchange',
]);

/** A key that is data, not schema: ids and numbers used as map keys. */
function isDataKey(key: string): boolean {
  return /^[0-9a-f]{32}$/i.test(key) || /^\d+$/.test(key) || /^[0-9a-f-]{36}$/i.test(key) || /^[\w.-]+:\d+-[0-9a-f]{6}$/.test(key);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Flattens a document into its shape. Array elements merge into one `[]` entry; an object whose
 * keys are ids merges into `{*}`; enum-like string fields record `string=VALUE` (every value seen,
 * sorted, for arrays).
 */
export function shapeOf(value: unknown, path = '$', into: Shape = {}): Shape {
  const type = typeOf(value);
  const add = (entry: string) => {
    const prior = into[path];
    if (prior === undefined) into[path] = entry;
    else if (!prior.split(' | ').includes(entry)) into[path] = [...prior.split(' | '), entry].sort().join(' | ');
  };
  const key =
    path
      .split(/[.[\]]/)
      .filter((p) => p.length > 0 && p !== '*')
      .at(-1) ?? '';
  if (type === 'string' && ENUM_KEYS.has(key)) add(`string=${String(value)}`);
  else if (type === 'number') add('number');
  else add(type);
  if (type === 'array') for (const element of value as unknown[]) shapeOf(element, `${path}[]`, into);
  if (type === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) shapeOf(v, isDataKey(k) ? `${path}.{*}` : `${path}.${k}`, into);
  }
  return into;
}

/** One difference between Flink's and tsflink's shape of the same answer. */
export interface ShapeDifference {
  readonly path: string;
  readonly flink: string | undefined;
  readonly tsflink: string | undefined;
}

/**
 * True when `path` lies under an array or id-keyed map that `shape` has but found empty: an empty
 * list shows no elements, so their absence is no difference.
 */
function underEmptyContainer(shape: Shape, path: string): boolean {
  const marker = /\[\]|\.\{\*\}/g;
  for (let m = marker.exec(path); m !== null; m = marker.exec(path)) {
    const container = path.slice(0, m.index);
    const below = path.slice(0, m.index + m[0].length);
    if (shape[container] !== undefined && !Object.keys(shape).some((p) => p.startsWith(below))) return true;
  }
  return false;
}

/** True when an ancestor of `path` (or the path itself) is null in `shape`. */
function underNull(shape: Shape, path: string): boolean {
  const parts = path.match(/^\$|\.[^.[]+|\[\]/g) ?? [];
  let prefix = '';
  for (const part of parts) {
    prefix += part;
    if (shape[prefix] === 'null') return true;
  }
  return false;
}

/**
 * Where the shapes differ; paths under a container one side saw empty are skipped. With
 * `nullable`, a field that is null on one side matches any value on the other (for answers
 * recorded at another moment, where an optional part such as the latest failed checkpoint may
 * not exist yet).
 */
export function diffShapes(flink: Shape, tsflink: Shape, options: { nullable?: boolean } = {}): ShapeDifference[] {
  const differences: ShapeDifference[] = [];
  for (const path of [...new Set([...Object.keys(flink), ...Object.keys(tsflink)])].sort()) {
    const f = flink[path];
    const t = tsflink[path];
    if (f === t) continue;
    if (f === undefined && underEmptyContainer(flink, path)) continue;
    if (t === undefined && underEmptyContainer(tsflink, path)) continue;
    if (options.nullable === true && (underNull(flink, path) || underNull(tsflink, path))) continue;
    differences.push({ path, flink: f, tsflink: t });
  }
  return differences;
}

/** One line per difference, for the report. */
export function describe(difference: ShapeDifference): string {
  if (difference.flink === undefined) return `${difference.path}: only tsflink has it (${difference.tsflink})`;
  if (difference.tsflink === undefined) return `${difference.path}: tsflink lacks it (Flink: ${difference.flink})`;
  return `${difference.path}: Flink ${difference.flink}, tsflink ${difference.tsflink}`;
}
