import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Scalar,
  type YAMLError,
  type YAMLMap,
} from 'yaml';
import { ConfigurationError } from '../core/errors.js';
import type { ConfigEntry } from './config-entry.js';
import type { ParsedConfigFile } from './parsed-config-file.js';

const EXPECTED_YAML = "expected standard YAML 1.2 such as 'key: value' lines or nested mappings";

/** State of one flattening pass: where lines are, what was already set. */
interface FlattenContext {
  readonly file: string;
  readonly document: Document;
  readonly lines: LineCounter;
  readonly entries: Map<string, ConfigEntry>;
  readonly warnings: string[];
}

/**
 * Reads `config.yaml` as standard YAML 1.2: nested mappings are flattened with dots, scalars keep
 * their text as written, lists become Flink's `a;b` form, and duplicate keys (also after
 * flattening) are an error.
 */
export function parseStandardConfig(text: string, file: string): ParsedConfigFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, version: '1.2', uniqueKeys: true });
  const [firstError] = document.errors;
  if (firstError !== undefined) throw yamlError(firstError, file, text);
  const context: FlattenContext = {
    file,
    document,
    lines,
    entries: new Map(),
    warnings: document.warnings.map((w) => `${file}: ${firstLine(w.message)}`),
  };
  const root = document.contents;
  if (root !== null && !(isScalar(root) && root.value === null)) {
    if (!isMap(root)) throw structureError(file, lineOf(lines, root.range?.[0]), 'the top level must be a mapping of keys to values');
    flatten(root, '', context);
  }
  return { file, format: 'standard', entries: [...context.entries.values()], warnings: context.warnings };
}

function flatten(map: YAMLMap, prefix: string, context: FlattenContext): void {
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    const line = lineOf(context.lines, keyNode?.range?.[0]);
    if (!isScalar(keyNode) || keyNode.value === null) throw structureError(context.file, line, 'keys must be plain scalars');
    const key = `${prefix}${scalarText(keyNode)}`;
    const value = resolveAlias(pair.value as Node | null, context.document);
    if (isMap(value)) {
      flatten(value, `${key}.`, context);
      continue;
    }
    const text = isSeq(value)
      ? value.items.map((item) => itemText(resolveAlias(item as Node, context.document), context.document)).join(';')
      : isScalar(value) && value.value !== null
        ? scalarText(value)
        : undefined;
    if (text === undefined) {
      context.warnings.push(`Skipping key '${key}' at ${context.file}:${line}: it has no value`);
      continue;
    }
    const earlier = context.entries.get(key);
    if (earlier !== undefined && earlier.origin.kind === 'file') {
      throw structureError(context.file, line, `duplicate key '${key}' (first set at line ${earlier.origin.line})`);
    }
    context.entries.set(key, { key, value: text, origin: { kind: 'file', file: context.file, line } });
  }
}

function resolveAlias(node: Node | null, document: Document): Node | null {
  if (node !== null && isAlias(node)) return (node.resolve(document) as Node | undefined) ?? null;
  return node;
}

/** The scalar as written (plain) or unquoted (quoted and block scalars). */
function scalarText(node: Scalar): string {
  return typeof node.source === 'string' ? node.source : String(node.value);
}

function itemText(node: Node | null, document: Document): string {
  if (isScalar(node)) return node.value === null ? '' : scalarText(node);
  if (isMap(node)) {
    return node.items
      .map((pair) => `${itemText(pair.key as Node, document)}:${itemText(resolveAlias(pair.value as Node | null, document), document)}`)
      .join(',');
  }
  if (isSeq(node)) return node.items.map((item) => itemText(resolveAlias(item as Node, document), document)).join(',');
  return '';
}

function lineOf(lines: LineCounter, offset: number | undefined): number {
  return offset === undefined ? 1 : lines.linePos(offset).line;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

function structureError(file: string, line: number, problem: string): ConfigurationError {
  return new ConfigurationError(`Invalid YAML in configuration file ${file}:${line}: ${problem}; ${EXPECTED_YAML}.`, {
    context: { file, line },
  });
}

// The parser points at the start of the repeated key; read the key from there.
function keyAt(text: string, offset: number): string {
  const match = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]*)/.exec(text.slice(offset));
  return (match?.[1] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
}

function yamlError(error: YAMLError, file: string, text: string): ConfigurationError {
  const line = error.linePos?.[0]?.line ?? 1;
  const problem =
    error.code === 'DUPLICATE_KEY'
      ? `duplicate key '${keyAt(text, error.pos[0])}'`
      : firstLine(error.message).replace(/^./, (c) => c.toLowerCase());
  return structureError(file, line, problem);
}
