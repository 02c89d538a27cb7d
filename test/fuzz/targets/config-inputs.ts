import { ALL_OPTIONS } from '../../../src/config/all-options.js';
import type { ConfigOption } from '../../../src/config/config-option.js';
import { deepNestingText, mutateBytesRounds, randomString } from '../mutators.js';
import type { Prng } from '../prng.js';

/** A configuration to load: config.yaml (or only the legacy file) and `-D` arguments. */
export interface ConfigInput {
  readonly configYaml: string | undefined;
  readonly legacyYaml: string | undefined;
  readonly dynamicArgs: string[];
  /** Keys the input sets on purpose (before any mutation of the text). */
  readonly keys: ReadonlySet<string>;
}

/**
 * Keys a real JobManager may be started with: none moves its files, sockets or ports. Not
 * scheduler-mode: reactive mode in a session cluster is refused by the started daemon (a startup
 * failure with its log tail), not by the configuration loader, so it is no configuration input.
 */
const SAFE_PREFIXES = [
  'heartbeat.',
  'parallelism.default',
  'pipeline.',
  'execution.checkpointing.interval',
  'execution.checkpointing.mode',
  'restart-strategy.',
  'jobmanager.adaptive-scheduler.',
  'jobmanager.scheduler',
  'web.refresh-interval',
  'web.checkpoints.history',
  'taskmanager.numberOfTaskSlots',
  'jobmanager.memory.',
  'taskmanager.memory.',
  'state.backend.type',
  'cluster.registration.',
  'slot.',
  'execution.runtime-mode',
  'execution.buffer-timeout.interval',
];

/** The options a fuzzed configuration may set when a real JobManager is started with it. */
export const SAFE_OPTIONS: readonly ConfigOption<unknown>[] = ALL_OPTIONS.filter((o) => SAFE_PREFIXES.some((p) => o.key.startsWith(p)));

const BAD_VALUES = [
  '',
  ' ',
  'abc',
  '-1',
  '0',
  '1.5',
  '1e999',
  '99999999999999999999',
  '-99999999999999999999',
  'true',
  '10 parsecs',
  '-5 s',
  'NaN',
  'Infinity',
  '1,5',
  '0x10',
  '10s10s',
  '1 kb',
  '9999999 tb',
  'null',
  '~',
  '[]',
  '{}',
  'a;;b',
  ':',
  'a:b:c',
  '\\',
  '%',
  '${HOME}',
];

function validValue(rng: Prng, option: ConfigOption<unknown>): string {
  switch (option.type) {
    case 'int':
    case 'long':
      return String(rng.int(1, 8));
    case 'double':
      return rng.pick(['0.5', '1.0', '2']);
    case 'boolean':
      return rng.pick(['true', 'false', 'TRUE', 'False']);
    case 'duration':
      return rng.pick(['10 s', '500 ms', '1 min', '100', '2h', '30 s']);
    case 'memory':
      return rng.pick(['64m', '1g', '128 mb', '1024', '2 gb']);
    case 'enum':
      return rng.pick(option.enumValues ?? ['x']);
    case 'list':
      return rng.pick(['a;b', 'a', 'x;y;z']);
    case 'map':
      return rng.pick(['a:1,b:2', 'k:v']);
    default:
      return option.defaultText !== '(none)' ? option.defaultText : `value-${rng.string(4)}`;
  }
}

function anyValue(rng: Prng, option: ConfigOption<unknown>): string {
  return rng.weighted<() => string>([
    [4, () => validValue(rng, option)],
    [4, () => rng.pick(BAD_VALUES)],
    [2, () => randomString(rng, 512)],
  ])();
}

/** A YAML scalar for `value`: plain, quoted, or a block scalar. */
function yamlScalar(rng: Prng, value: string): string {
  const plainSafe = /^[A-Za-z0-9 ._;,/+-]*$/.test(value) && value.trim() === value && value !== '';
  return rng.weighted<() => string>([
    [plainSafe ? 5 : 0, () => value],
    [3, () => JSON.stringify(value)],
    [2, () => `'${value.replace(/'/g, "''")}'`],
    [1, () => (value.includes('\n') ? JSON.stringify(value) : `|\n  ${value}`)],
  ])();
}

/** YAML that no loader can take: wrong structure, broken syntax, hostile features. */
function brokenYaml(rng: Prng, key: string): string {
  return rng.pick([
    `${key}: [\n`,
    `${key}: "unterminated\n`,
    `${key}:\n\t- tab`,
    `- ${key}\n- b\n`,
    `${key}: 1\n${key}: 2\n`,
    `? [a, b]\n: c\n`,
    `${key}: !!binary aGVsbG8=\n`,
    `${key}: !custom x\n`,
    `---\n${key}: 1\n---\n${key}: 2\n`,
    `\ufeff${key}: 1\n`,
    `${key}: a\u0000b\n`,
    `${key}: &a x\nother: *a\n`,
    `<<: {${key}: 1}\n`,
    `${key}: &a [x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n`,
    `${key}: ${deepNestingText(rng.pick([100, 1000, 5000]))}\n`,
    `${Array.from({ length: rng.pick([50, 500]) }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} 1\n`,
    `${key}: ${'x'.repeat(rng.pick([10_000, 1_000_000]))}\n`,
    `*undefined\n`,
    `${key}: *nope\n`,
    `[${key}]: 1\n`,
    `{${key}: 1}: 2\n`,
    `${key}: 1\n  bad indent: 2\n`,
  ]);
}

function nested(key: string, scalar: string): string {
  const parts = key.split('.');
  return parts
    .map((part, i) => `${'  '.repeat(i)}${part}:${i === parts.length - 1 ? ` ${scalar.replace(/\n/g, `\n${'  '.repeat(i + 1)}`)}` : ''}`)
    .join('\n');
}

/** A config.yaml text setting a few options (flat or nested), sometimes broken or byte-mutated. */
function configText(rng: Prng, options: readonly ConfigOption<unknown>[], keys: Set<string>): string {
  const lines: string[] = [];
  for (let i = rng.int(0, 6); i > 0; i--) {
    const option = rng.pick(options);
    if (keys.has(option.key)) continue;
    keys.add(option.key);
    const scalar = yamlScalar(rng, anyValue(rng, option));
    lines.push(rng.chance(0.3) ? nested(option.key, scalar) : `${option.key}: ${scalar}`);
  }
  if (rng.chance(0.1)) lines.push(`${rng.string(8)}.unknown.key: 1`);
  let text = lines.join('\n') + '\n';
  if (rng.chance(0.2)) text += brokenYaml(rng, rng.pick(options).key);
  if (rng.chance(0.1)) text = mutateBytesRounds(rng, Buffer.from(text, 'utf8')).toString('utf8');
  return text;
}

/** `-D` arguments: well-formed ones for known keys and malformed ones. */
function dynamicArgs(rng: Prng, options: readonly ConfigOption<unknown>[], keys: Set<string>): string[] {
  const args: string[] = [];
  for (let i = rng.int(0, 3); i > 0; i--) {
    const option = rng.pick(options);
    keys.add(option.key);
    const value = rng.chance(0.15)
      ? rng.pick(['a\rb', 'a\nb', 'a\u2028b', 'x'.repeat(100_000), '"quoted"', "'x", '='])
      : anyValue(rng, option);
    const form = rng.weighted<() => string[]>([
      [5, () => [`-D${option.key}=${value}`]],
      [3, () => ['-D', `${option.key}=${value}`]],
      [1, () => [`-D"${option.key}=${value}"`]],
    ])();
    args.push(...form);
  }
  if (rng.chance(0.1)) args.push(...rng.pick([['-D'], ['-Dnoequals'], ['-D=value'], ['-D', ''], ['-D', '  =x']]));
  return args;
}

/** One configuration input; with `safeOnly`, only keys a real JobManager may be started with. */
export function configInput(rng: Prng, safeOnly: boolean): ConfigInput {
  const options = safeOnly ? SAFE_OPTIONS : ALL_OPTIONS;
  const keys = new Set<string>();
  const text = configText(rng, options, keys);
  const legacy = !safeOnly && rng.chance(0.1);
  // A process argument cannot hold NUL; only the in-process loader sees such -D values.
  const args = dynamicArgs(rng, options, keys).map((arg) => (safeOnly ? arg.replace(/\0/g, '') : arg));
  return { configYaml: legacy ? undefined : text, legacyYaml: legacy ? text : undefined, dynamicArgs: args, keys };
}
