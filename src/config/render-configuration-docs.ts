import type { AnyOption, OptionGroup, OptionType } from './config-option.js';
import { ALL_OPTION_GROUPS } from './all-options.js';

const TYPE_NAMES: Readonly<Record<OptionType, string>> = {
  string: 'String',
  int: 'Integer',
  long: 'Long',
  double: 'Double',
  boolean: 'Boolean',
  duration: 'Duration',
  memory: 'MemorySize',
  enum: 'Enum',
  list: 'List<String>',
  map: 'Map',
};

const INTRO = [
  '# Configuration',
  '',
  '<!-- Generated from src/config/options/ by `npm run docs` (scripts/generate-config-docs.ts). Do not edit by hand. -->',
  '',
  'tsflink reads its settings, lowest precedence first, from the defaults below, then',
  '`<conf dir>/config.yaml` (standard YAML; nested mappings are joined with dots, so',
  '`heartbeat: {interval: 5 s}` equals `heartbeat.interval: 5 s`), or, only when that file is',
  'missing, the legacy line-based `flink-conf.yaml`, and finally `-D key=value` arguments.',
  'The conf dir is `$FLINK_CONF_DIR`, else `<install dir>/conf`.',
  '',
  'Values are written as in Flink: durations `10 s`, `500 ms`, `1 min`, `2 h`, `1 d` or ISO-8601',
  '`PT10S` (a bare number is milliseconds, no decimals); memory sizes `64m`, `1 gb` (1024-based, a',
  'bare number is bytes); booleans `true`/`false`; enums in any case; lists `a;b` or a YAML list;',
  'maps `k1:v1,k2:v2`. Every value that is set is checked when a process starts, and a bad one',
  'stops it with a one-line message naming the key, the value and where it was set. Unknown keys',
  'are accepted with a warning. Old key names still work and log a deprecation warning.',
  '',
  'Values of keys whose name contains words such as `password`, `secret` or `token` are shown',
  'as `******` in logs and in the REST API.',
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function keyOf(option: AnyOption): string {
  return option.kind === 'option' ? option.key : option.pattern;
}

function describe(option: AnyOption): string {
  const parts = [option.description];
  if (option.enumValues !== undefined) parts.push(`Possible values: ${option.enumValues.map((v) => `\`${v}\``).join(', ')}.`);
  if (option.kind === 'option' && option.fallbackKeys.length > 0) {
    parts.push(`Falls back to: ${option.fallbackKeys.map((k) => `\`${k}\``).join(', ')}.`);
  }
  if (option.kind === 'option' && option.deprecatedKeys.length > 0) {
    parts.push(`Deprecated keys: ${option.deprecatedKeys.map((k) => `\`${k}\``).join(', ')}.`);
  }
  if (option.sentToTaskManagers) parts.push('Forwarded to TaskManagers.');
  if (option.note !== undefined) parts.push(`**tsflink:** ${option.note}`);
  return parts.join('<br>');
}

function renderGroup(group: OptionGroup): string[] {
  const rows = group.options.map(
    (option) =>
      `| \`${cell(keyOf(option))}\` | ${cell(option.defaultText)} | ${cell(TYPE_NAMES[option.type])} | ${cell(describe(option))} |`,
  );
  return [`## ${group.title}`, '', '| Key | Default | Type | Description |', '| --- | --- | --- | --- |', ...rows, ''];
}

/** docs/configuration.md, rendered from the option table; a test keeps the checked-in file equal to it. */
export function renderConfigurationDocs(): string {
  return [...INTRO, '', ...ALL_OPTION_GROUPS.flatMap(renderGroup)].join('\n');
}
