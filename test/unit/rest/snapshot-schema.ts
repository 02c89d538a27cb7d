import { readFileSync } from 'node:fs';
import { FLINK_REST_SNAPSHOT } from '../../helpers/fixture-paths.js';

/** A node of Flink's REST snapshot schema (Jackson's JSON-schema dialect). */
export interface SchemaNode {
  readonly type?: string;
  readonly id?: string;
  readonly $ref?: string;
  readonly enum?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode;
  readonly items?: SchemaNode;
}

interface Call {
  readonly url: string;
  readonly method: string;
  readonly 'status-code': string;
  readonly response: SchemaNode;
}

let cached: { calls: readonly Call[]; definitions: Map<string, SchemaNode> } | undefined;

/** Flink's snapshot of every REST call. */
function snapshot(): { calls: readonly Call[]; definitions: Map<string, SchemaNode> } {
  if (cached !== undefined) return cached;
  const calls = (JSON.parse(readFileSync(FLINK_REST_SNAPSHOT, 'utf8')) as { calls: Call[] }).calls;
  const definitions = new Map<string, SchemaNode>();
  for (const call of calls) collectDefinitions(call.response, definitions);
  cached = { calls, definitions };
  return cached;
}

function collectDefinitions(node: SchemaNode, into: Map<string, SchemaNode>): void {
  // A definition is a node with an id of its own; the same id may appear again by $ref.
  if (node.id !== undefined && node.$ref === undefined && !into.has(node.id)) into.set(node.id, node);
  for (const child of Object.values(node.properties ?? {})) collectDefinitions(child, into);
  if (node.additionalProperties !== undefined) collectDefinitions(node.additionalProperties, into);
  if (node.items !== undefined) collectDefinitions(node.items, into);
}

/** The snapshot's response schema and status code of one call, e.g. ('GET', '/jobs/:jobid'). */
export function callSpec(method: string, url: string): { readonly schema: SchemaNode; readonly status: number } {
  const call = snapshot().calls.find((candidate) => candidate.url === url && candidate.method === method);
  if (call === undefined) throw new Error(`Flink's REST snapshot has no call ${method} ${url}`);
  return { schema: call.response, status: Number.parseInt(call['status-code'], 10) };
}

/**
 * What a conformance check tolerates, by schema path (`$` the body, `.name` a property, `[]` an
 * array element, `.*` a map value): properties we leave out on purpose, and values that may be null.
 */
export interface Tolerances {
  readonly omitted: ReadonlySet<string>;
  readonly nullable: ReadonlySet<string>;
}

/**
 * Every way `value` departs from `schema`: a property the schema names that is missing (unless
 * tolerated), a value of the wrong JSON type (integer, number, string, boolean, object, array;
 * `any` takes everything), an enum string outside its values. Properties the schema does not name
 * are allowed.
 */
export function schemaProblems(value: unknown, schema: SchemaNode, tolerances: Tolerances): string[] {
  const problems: string[] = [];
  check(value, schema, '$', tolerances, problems);
  return problems;
}

/** What is wrong with `value` for a scalar schema (integer, number, boolean, string with its enum); undefined if nothing. */
export function scalarProblem(value: unknown, schema: SchemaNode, path: string): string | undefined {
  switch (schema.type) {
    case 'integer':
      return Number.isInteger(value) ? undefined : `${path}: ${JSON.stringify(value)} is not an integer`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${path}: ${JSON.stringify(value)} is not a number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path}: ${JSON.stringify(value)} is not a boolean`;
    case 'string':
      if (typeof value !== 'string') return `${path}: ${JSON.stringify(value)} is not a string`;
      return schema.enum === undefined || schema.enum.includes(value)
        ? undefined
        : `${path}: '${value}' is not one of ${schema.enum.join(', ')}`;
    default:
      return `${path}: schema type ${String(schema.type)} is not a scalar`;
  }
}

function resolve(node: SchemaNode): SchemaNode | undefined {
  return node.$ref === undefined ? node : snapshot().definitions.get(node.$ref);
}

function check(value: unknown, node: SchemaNode, path: string, tolerances: Tolerances, problems: string[]): void {
  const schema = resolve(node);
  if (schema === undefined) return void problems.push(`${path}: the schema's $ref ${node.$ref} is not defined in the snapshot`);
  if (schema.type === 'any') return;
  if (value === null) {
    if (!tolerances.nullable.has(path)) problems.push(`${path}: null where the schema expects ${schema.type}`);
    return;
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
    case 'boolean':
    case 'string': {
      const problem = scalarProblem(value, schema, path);
      if (problem !== undefined) problems.push(problem);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${path}: ${JSON.stringify(value)} is not an array`);
      for (const item of value) check(item, schema.items ?? { type: 'any' }, `${path}[]`, tolerances, problems);
      return;
    case 'object':
      checkObject(value, schema, path, tolerances, problems);
      return;
    default:
      problems.push(`${path}: schema type ${String(schema.type)} is not understood`);
  }
}

function checkObject(value: unknown, schema: SchemaNode, path: string, tolerances: Tolerances, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return void problems.push(`${path}: ${JSON.stringify(value)} is not an object`);
  const record = value as Record<string, unknown>;
  if (schema.additionalProperties !== undefined) {
    for (const item of Object.values(record)) check(item, schema.additionalProperties, `${path}.*`, tolerances, problems);
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const childPath = `${path}.${key}`;
    if (!(key in record)) {
      if (!tolerances.omitted.has(childPath)) problems.push(`${childPath}: missing`);
    } else {
      check(record[key], child, childPath, tolerances, problems);
    }
  }
}
