import { UsageError } from '../core/errors.js';
import { stripQuotes } from './scalar-parsers.js';

/** One `-D key=value` argument. */
export interface DynamicProperty {
  readonly key: string;
  readonly value: string;
}

/** The properties found and the arguments left after them. */
export interface ParsedDynamicProperties {
  readonly properties: DynamicProperty[];
  readonly rest: string[];
}

/**
 * Reads leading `-D key=value` / `-Dkey=value` arguments (the value may contain '='; one pair of
 * surrounding quotes is removed). Like Flink's parser it stops at the first argument that is not
 * one of them and returns it and everything after as `rest`. Throws UsageError for a -D without '='.
 */
export function parseDynamicProperties(args: readonly string[]): ParsedDynamicProperties {
  const properties: DynamicProperty[] = [];
  let index = 0;
  while (index < args.length) {
    const arg = args[index] ?? '';
    if (arg === '-D') {
      const next = args[index + 1];
      if (next === undefined) throw new UsageError("Option '-D' needs a key=value argument, e.g. -D parallelism.default=2.");
      properties.push(splitProperty(next, `-D ${next}`));
      index += 2;
    } else if (arg.startsWith('-D')) {
      properties.push(splitProperty(arg.slice(2), arg));
      index += 1;
    } else {
      break;
    }
  }
  return { properties, rest: args.slice(index) };
}

// A whole `'key=value'` argument arrives quoted when a wrapper script re-quotes it.
function unquoteWhole(text: string): string {
  const quote = text[0];
  if ((quote === '"' || quote === "'") && text.length >= 2 && text.endsWith(quote) && !text.slice(1, -1).includes(quote)) {
    return text.slice(1, -1);
  }
  return text;
}

function splitProperty(raw: string, shown: string): DynamicProperty {
  const text = unquoteWhole(raw.trim());
  const equals = text.indexOf('=');
  const key = equals < 0 ? '' : stripQuotes(text.slice(0, equals));
  if (key.length === 0) {
    throw new UsageError(`Dynamic property '${shown}' is not of the form key=value, e.g. -D parallelism.default=2.`, {
      context: { argument: shown },
    });
  }
  return { key, value: stripQuotes(text.slice(equals + 1)) };
}
