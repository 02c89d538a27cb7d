import { isSensitiveKey, HIDDEN_CONTENT } from '../../../src/config/sensitive-keys.js';
import { isOneLine } from '../fuzz-target.js';
import type { ConfigInput } from './config-inputs.js';

const INVALID_VALUE = /^Invalid value '(.*)' for '([^']+)' \(from (.+?)\): \S.*$/s;
const INVALID_YAML = /^Invalid YAML in configuration file (\S+):(\d+): \S.*$/s;
const UNREADABLE = /^Could not read the configuration in (\S+): \S/;
const BAD_DYNAMIC =
  /^(Dynamic property '.*' is not of the form key=value|Option '-D' needs a key=value argument|Invalid dynamic property '.*': expected -D key=value|Missing argument for option: D)/s;

/** Where the error came from, as the oracle needs to know it. */
export interface ConfigFailure {
  readonly name: string;
  readonly message: string;
}

/**
 * Whether `shown` can be `key`'s value from the input. YAML quoting and message escaping both
 * rewrite punctuation, so it compares runs of letters and digits: at least one run of three or
 * more from the message must appear in the input as written.
 */
function valueFromInput(input: ConfigInput, key: string, shown: string): boolean {
  if (isSensitiveKey(key)) return shown === HIDDEN_CONTENT;
  const haystack = [input.configYaml ?? '', input.legacyYaml ?? '', ...input.dynamicArgs].join('\n');
  const runs = shown
    .replace(/\.\.\. \(\d+ characters\)$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((run) => run.length >= 3);
  return runs.length === 0 || runs.some((run) => haystack.includes(run));
}

/**
 * What is wrong with how loading a configuration failed: it must be one ConfigurationError (or
 * UsageError for -D syntax) line that names the key and the value, or the file and line for YAML.
 */
export function judgeConfigFailure(input: ConfigInput, failure: ConfigFailure, confDir: string): string | undefined {
  const { name, message } = failure;
  if (name !== 'ConfigurationError' && name !== 'UsageError')
    return `failed with ${name} instead of a ConfigurationError: ${message.slice(0, 300)}`;
  if (!isOneLine(message)) return `the error is not one line: ${JSON.stringify(message.slice(0, 300))}`;
  const value = INVALID_VALUE.exec(message);
  if (value !== null) {
    const [, shown, key, origin] = value as unknown as [string, string, string, string];
    const keyInInput =
      input.keys.has(key) ||
      [input.configYaml, input.legacyYaml, ...input.dynamicArgs].some((t) => t?.includes(key.split('.').pop()!) === true);
    if (!keyInInput) return `the error names key '${key}', which the input did not set: ${message.slice(0, 300)}`;
    if (origin !== '-D' && !origin.startsWith(confDir))
      return `the error's origin '${origin}' is neither -D nor the config file: ${message.slice(0, 300)}`;
    if (!valueFromInput(input, key, shown))
      return `the error shows value '${shown.slice(0, 100)}', which the input did not give '${key}': ${message.slice(0, 300)}`;
    return undefined;
  }
  const yaml = INVALID_YAML.exec(message) ?? UNREADABLE.exec(message);
  if (yaml !== null)
    return yaml[1]!.startsWith(confDir) ? undefined : `the error names '${yaml[1]}', not the config file: ${message.slice(0, 300)}`;
  if (BAD_DYNAMIC.test(message)) return undefined;
  return `the error does not name a key and value (or file and line): ${message.slice(0, 300)}`;
}
