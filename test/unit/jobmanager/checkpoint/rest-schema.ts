import { callSpec, scalarProblem, type SchemaNode } from '../../rest/snapshot-schema.js';

/** The response schema of a GET call in Flink's REST snapshot. */
export function responseSchema(url: string): SchemaNode {
  return callSpec('GET', url).schema;
}

/** Options of a conformance walk. */
export interface WalkOptions {
  /** Paths whose value may be null (Flink serialises absent optional objects and strings as null). */
  readonly nullable: (path: string) => boolean;
  /** Properties Flink emits that the schema does not list (the `className` type discriminator). */
  readonly extraProperties?: readonly string[];
  /** Polymorphic types: base schema id → `className` value → id of the subtype schema Jackson then writes. */
  readonly subtypes?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * Compares `value` with `schema` recursively and returns every mismatch: each schema property must
 * be present with the schema's type (integers integral, enums within their values), maps and
 * arrays are checked element by element, unknown properties are reported.
 */
export function schemaMismatches(value: unknown, schema: SchemaNode, options: WalkOptions): string[] {
  const definitions = new Map<string, SchemaNode>();
  collectDefinitions(schema, definitions);
  const problems: string[] = [];
  walk(value, schema, '$', definitions, options, problems);
  return problems;
}

function collectDefinitions(node: SchemaNode, into: Map<string, SchemaNode>): void {
  if (node.id !== undefined && node.properties !== undefined) into.set(node.id, node);
  for (const child of Object.values(node.properties ?? {})) collectDefinitions(child, into);
  if (node.additionalProperties !== undefined) collectDefinitions(node.additionalProperties, into);
  if (node.items !== undefined) collectDefinitions(node.items, into);
}

function walk(
  value: unknown,
  node: SchemaNode,
  path: string,
  defs: Map<string, SchemaNode>,
  options: WalkOptions,
  problems: string[],
): void {
  const schema = node.$ref === undefined ? node : defs.get(node.$ref);
  if (schema === undefined) {
    problems.push(`${path}: unresolved $ref ${node.$ref}`);
    return;
  }
  if (value === null) {
    if (!options.nullable(path)) problems.push(`${path}: null where ${schema.type} is expected`);
    return;
  }
  switch (schema.type) {
    case 'any':
      return;
    case 'integer':
    case 'number':
    case 'boolean':
    case 'string': {
      const problem = scalarProblem(value, schema, path);
      if (problem !== undefined) problems.push(problem);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        problems.push(`${path}: not an array`);
        return;
      }
      value.forEach((item, index) => walk(item, schema.items ?? {}, `${path}[${index}]`, defs, options, problems));
      return;
    case 'object':
      walkObject(value, schema, path, defs, options, problems);
      return;
    default:
      problems.push(`${path}: schema type ${String(schema.type)} not understood`);
  }
}

function walkObject(
  value: unknown,
  schema: SchemaNode,
  path: string,
  defs: Map<string, SchemaNode>,
  options: WalkOptions,
  problems: string[],
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: not an object`);
    return;
  }
  const record = value as Record<string, unknown>;
  const subtypeId = schema.id === undefined ? undefined : options.subtypes?.[schema.id]?.[String(record.className)];
  const subtype = subtypeId === undefined ? undefined : defs.get(subtypeId);
  if (subtypeId !== undefined && subtype === undefined) problems.push(`${path}: subtype ${subtypeId} not in the schema`);
  if (subtype !== undefined && subtype !== schema) {
    walkObject(value, subtype, path, defs, options, problems);
    return;
  }
  if (schema.additionalProperties !== undefined) {
    for (const item of Object.values(record)) walk(item, schema.additionalProperties, `${path}.*`, defs, options, problems);
    return;
  }
  const properties = schema.properties ?? {};
  for (const [key, child] of Object.entries(properties)) {
    if (!(key in record)) problems.push(`${path}.${key}: missing`);
    else walk(record[key], child, `${path}.${key}`, defs, options, problems);
  }
  for (const key of Object.keys(record)) {
    if (!(key in properties) && !(options.extraProperties ?? []).includes(key)) problems.push(`${path}.${key}: not in the schema`);
  }
}
