import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { ConfigurationError } from '../core/errors.js';
import { LEGACY_CONFIG_FILE, STANDARD_CONFIG_FILE } from './config-file-reader.js';
import type { ConfigFileFormat } from './parsed-config-file.js';

/**
 * One change to a configuration file, as Flink's `config-parser-utils.sh` takes them:
 * `-Dkey=value` sets, `-repKV key,old,new` replaces a value only where it is `old`,
 * `-rmKV key=value` removes a key only where it has that value, `-rmKey key` removes it.
 */
export type ConfigEdit =
  | { readonly kind: 'set'; readonly key: string; readonly value: string }
  | { readonly kind: 'replace'; readonly key: string; readonly from: string; readonly to: string }
  | { readonly kind: 'remove'; readonly key: string; readonly value?: string };

/** Applies `edits`, in order, to the text of a config file of `format` and returns the new text. */
export function editConfigText(text: string, format: ConfigFileFormat, edits: readonly ConfigEdit[], file: string): string {
  return format === 'standard' ? editStandard(text, edits, file) : editLegacy(text, edits);
}

/** Where a flattened key sits in the YAML tree: its pair and the mapping chain down to it. */
interface Located {
  readonly pair: Pair<Node, Node | null>;
  /** The mappings from the root to the one holding `pair`, root first. */
  readonly maps: readonly YAMLMap<Node, Node | null>[];
}

/**
 * Edits `config.yaml` in its YAML tree rather than by appending, because a key set twice (also
 * once nested and once with dots) is an error there; comments and the layout of untouched keys
 * stay as they were. A key that is not there yet is added at the top level in its dotted form.
 */
function editStandard(text: string, edits: readonly ConfigEdit[], file: string): string {
  const document = parseDocument(text, { version: '1.2', uniqueKeys: true });
  const [error] = document.errors;
  if (error !== undefined) throw new ConfigurationError(`Cannot edit ${file}: ${error.message.split('\n')[0] ?? 'invalid YAML'}`);
  const root = rootMap(document, file);
  for (const edit of edits) {
    const found = locate(root, edit.key, []);
    const current = found === undefined ? undefined : valueText(found.pair.value);
    switch (edit.kind) {
      case 'set':
        if (found === undefined) root.items.push(document.createPair(edit.key, edit.value));
        else found.pair.value = new Scalar(edit.value);
        break;
      case 'replace':
        if (found !== undefined && current === edit.from) found.pair.value = new Scalar(edit.to);
        break;
      case 'remove':
        if (found !== undefined && (edit.value === undefined || current === edit.value)) removePair(found);
        break;
    }
  }
  return document.toString();
}

function rootMap(document: Document, file: string): YAMLMap<Node, Node | null> {
  const contents = document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    const created = document.createNode({}) as YAMLMap<Node, Node | null>;
    document.contents = created;
    return created;
  }
  if (!isMap(contents)) throw new ConfigurationError(`Cannot edit ${file}: the top level must be a mapping of keys to values.`);
  return contents as YAMLMap<Node, Node | null>;
}

/** Finds `key` (dotted) among nested mappings the way the standard parser flattens them. */
function locate(
  map: YAMLMap<Node, Node | null>,
  key: string,
  parents: readonly YAMLMap<Node, Node | null>[],
  prefix = '',
): Located | undefined {
  const maps = [...parents, map];
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const full = `${prefix}${String(pair.key.value)}`;
    if (isMap(pair.value)) {
      if (key.startsWith(`${full}.`)) {
        const found = locate(pair.value as YAMLMap<Node, Node | null>, key, maps, `${full}.`);
        if (found !== undefined) return found;
      }
    } else if (full === key) {
      return { pair, maps };
    }
  }
  return undefined;
}

function valueText(node: Node | null): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return typeof node.source === 'string' ? node.source : String(node.value);
}

/** Removes the pair, then every mapping that this leaves empty, so no `key: {}` stays behind. */
function removePair(found: Located): void {
  let child: unknown = found.pair;
  for (let level = found.maps.length - 1; level >= 0; level--) {
    const map = found.maps[level]!;
    map.items = map.items.filter((pair) => pair !== child && pair.value !== child);
    if (map.items.length > 0 || level === 0) return;
    child = map;
  }
}

const LEGACY_LINE = /^\s*([^#:\s][^:#]*?)\s*:\s(.*)$/;

/**
 * Edits a legacy `flink-conf.yaml` line by line: its parser lets the last line of a key win, so
 * a set drops the key's earlier lines and appends one, as Flink's own image scripts did.
 */
function editLegacy(text: string, edits: readonly ConfigEdit[]): string {
  let lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const valueOf = (line: string, key: string): string | undefined => {
    const match = LEGACY_LINE.exec(line);
    if (match === null || match[1] !== key) return undefined;
    return (match[2] ?? '').replace(/\s+#.*$/, '').trim();
  };
  for (const edit of edits) {
    switch (edit.kind) {
      case 'set':
        lines = lines.filter((line) => valueOf(line, edit.key) === undefined);
        lines.push(`${edit.key}: ${edit.value}`);
        break;
      case 'replace':
        lines = lines.map((line) => (valueOf(line, edit.key) === edit.from ? `${edit.key}: ${edit.to}` : line));
        break;
      case 'remove':
        lines = lines.filter((line) => {
          const value = valueOf(line, edit.key);
          return value === undefined || (edit.value !== undefined && value !== edit.value);
        });
        break;
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Applies `edits` to the configuration file of `confDir` (config.yaml, else flink-conf.yaml, else
 * a new config.yaml) and writes it back through a rename, so a reader never sees half a file.
 * Returns the file written.
 */
export function editConfigFile(confDir: string, edits: readonly ConfigEdit[]): string {
  if (!existsSync(confDir) || !statSync(confDir).isDirectory()) {
    throw new ConfigurationError(`The configuration directory '${confDir}' does not exist or is not a directory.`);
  }
  const standard = join(confDir, STANDARD_CONFIG_FILE);
  const legacy = join(confDir, LEGACY_CONFIG_FILE);
  const file = existsSync(standard) || !existsSync(legacy) ? standard : legacy;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const edited = editConfigText(text, file === standard ? 'standard' : 'legacy', edits, file);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, edited, { mode: 0o644 });
  renameSync(temp, file);
  return file;
}
