import { UsageError } from '../core/errors.js';
import { parseJobId, type JobId } from '../core/ids.js';

/** Which entry point the arguments are for; each accepts a different set of options. */
export type EntrypointKind = 'application' | 'session' | 'taskmanager' | 'autoscaler';

/** A `-D key=value` pair as given on the command line. */
export interface DynamicProperty {
  readonly key: string;
  readonly value: string;
}

/** The arguments of Flink's entry points, parsed the way commons-cli does it: stop at the first non-option. */
export interface EntrypointArguments {
  readonly configDir: string | undefined;
  readonly dynamicProperties: readonly DynamicProperty[];
  readonly jobClassName: string | undefined;
  readonly jobId: JobId | undefined;
  readonly fromSavepoint: string | undefined;
  readonly allowNonRestoredState: boolean;
  readonly programArgs: readonly string[];
}

type ValueName = 'configDir' | 'jobClassName' | 'jobId' | 'fromSavepoint' | 'host' | 'webuiPort';

const VALUE_OPTIONS: Record<string, { name: ValueName; kinds: readonly EntrypointKind[] }> = {
  // Flink's JobManager entry points take the address and REST port as options too (Kubernetes
  // manifests pass --host $(POD_IP)); they set jobmanager.rpc.address and rest.port.
  '-h': { name: 'host', kinds: ['application', 'session'] },
  '--host': { name: 'host', kinds: ['application', 'session'] },
  '-r': { name: 'webuiPort', kinds: ['application', 'session'] },
  '--webui-port': { name: 'webuiPort', kinds: ['application', 'session'] },
  '-c': { name: 'configDir', kinds: ['application', 'session', 'taskmanager', 'autoscaler'] },
  '--configDir': { name: 'configDir', kinds: ['application', 'session', 'taskmanager', 'autoscaler'] },
  '-j': { name: 'jobClassName', kinds: ['application'] },
  '--job-classname': { name: 'jobClassName', kinds: ['application'] },
  '-jid': { name: 'jobId', kinds: ['application'] },
  '--job-id': { name: 'jobId', kinds: ['application'] },
  '-s': { name: 'fromSavepoint', kinds: ['application'] },
  '--fromSavepoint': { name: 'fromSavepoint', kinds: ['application'] },
};

const FLAG_OPTIONS = new Set(['-n', '--allowNonRestoredState']);

/** Strips one pair of surrounding quotes, as a shell that passed them through would leave them. */
export function stripQuotes(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** Parses `key=value` of a -D option; the value may itself contain '='. */
export function parseDynamicProperty(text: string): DynamicProperty {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`Invalid dynamic property '-D${text}': expected -D key=value or -Dkey=value.`);
  return { key: text.slice(0, eq).trim(), value: stripQuotes(text.slice(eq + 1).trim()) };
}

export function parseEntrypointArguments(args: readonly string[], kind: EntrypointKind): EntrypointArguments {
  const values: Partial<Record<ValueName, string>> = {};
  const dynamicProperties: DynamicProperty[] = [];
  let allowNonRestoredState = false;
  let index = 0;
  for (; index < args.length; index++) {
    const token = args[index]!;
    if (token === '--') {
      index++;
      break;
    }
    if (token === '-D') {
      const next = args[++index];
      if (next === undefined) throw new UsageError('Missing argument for option: D (expected -D key=value).');
      dynamicProperties.push(parseDynamicProperty(next));
    } else if (token.startsWith('-D') && token.length > 2) {
      dynamicProperties.push(parseDynamicProperty(token.slice(2)));
    } else if (kind === 'application' && FLAG_OPTIONS.has(token)) {
      allowNonRestoredState = true;
    } else if (!readValueOption(token, args[index + 1], kind, values)) {
      break; // the first argument that is not an option ends option parsing (commons-cli stopAtNonOption)
    } else if (!token.includes('=')) {
      index++;
    }
  }
  const programArgs = args.slice(index);
  if (values.host !== undefined) dynamicProperties.push({ key: 'jobmanager.rpc.address', value: values.host });
  if (values.webuiPort !== undefined) dynamicProperties.push({ key: 'rest.port', value: values.webuiPort });
  if (kind !== 'application' && programArgs.length > 0) {
    throw new UsageError(
      `Unexpected argument '${programArgs[0]}': this entry point accepts only ${kind === 'taskmanager' || kind === 'autoscaler' ? '--configDir and -D key=value' : '--configDir, --host, --webui-port and -D key=value'}.`,
    );
  }
  return {
    configDir: values.configDir,
    dynamicProperties,
    jobClassName: values.jobClassName,
    jobId: values.jobId === undefined ? undefined : checkJobId(values.jobId),
    fromSavepoint: values.fromSavepoint,
    allowNonRestoredState,
    programArgs,
  };
}

function readValueOption(token: string, next: string | undefined, kind: EntrypointKind, out: Partial<Record<string, string>>): boolean {
  const eq = token.startsWith('--') ? token.indexOf('=') : -1;
  const flag = eq > 0 ? token.slice(0, eq) : token;
  const spec = VALUE_OPTIONS[flag];
  if (spec === undefined || !spec.kinds.includes(kind)) return false;
  const value = eq > 0 ? token.slice(eq + 1) : next;
  if (value === undefined) throw new UsageError(`Missing argument for option: ${flag}`);
  out[spec.name] = value;
  return true;
}

function checkJobId(text: string): JobId {
  const jobId = parseJobId(text);
  if (jobId === undefined)
    throw new UsageError(`Failed to parse '--job-id' option: '${text}' is not a job id (32 hexadecimal characters).`);
  return jobId;
}
