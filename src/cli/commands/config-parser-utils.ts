import { Command } from 'commander';
import { editConfigFile, type ConfigEdit } from '../../config/config-file-editor.js';
import { UsageError } from '../../core/errors.js';
import { parseDynamicProperty } from '../../entrypoint/entrypoint-arguments.js';

const USAGE =
  'Usage: config-parser-utils.sh <CONF_DIR> <BIN_DIR> <LIB_DIR> [-D key=value | -repKV key,old,new | -rmKV key=value | -rmKey key]...';

/** What the program was asked to do: the conf dir (BIN_DIR and LIB_DIR are Flink's, unused) and the edits in order. */
export interface ConfigParserRequest {
  readonly confDir: string;
  readonly edits: readonly ConfigEdit[];
}

/** Parses the arguments of Flink's `bin/config-parser-utils.sh`, which its Docker image runs to edit the config. */
export function parseConfigParserArgs(args: readonly string[]): ConfigParserRequest {
  const [confDir, binDir, libDir, ...rest] = args;
  if (confDir === undefined || binDir === undefined || libDir === undefined) throw new UsageError(USAGE);
  const edits: ConfigEdit[] = [];
  for (let index = 0; index < rest.length; index++) {
    const token = rest[index]!;
    const value = (): string => {
      const next = rest[++index];
      if (next === undefined) throw new UsageError(`Missing argument for ${token}. ${USAGE}`);
      return next;
    };
    if (token === '-D') edits.push({ kind: 'set', ...parseDynamicProperty(value()) });
    else if (token.startsWith('-D') && token.length > 2) edits.push({ kind: 'set', ...parseDynamicProperty(token.slice(2)) });
    else if (token === '-repKV') {
      const [key, from, to, ...extra] = value().split(',');
      if (key === undefined || from === undefined || to === undefined || extra.length > 0 || key === '')
        throw new UsageError(`Invalid -repKV '${rest[index]}': expected key,old,new.`);
      edits.push({ kind: 'replace', key, from, to });
    } else if (token === '-rmKV') {
      const { key, value: expected } = parseDynamicProperty(value());
      edits.push({ kind: 'remove', key, value: expected });
    } else if (token === '-rmKey') edits.push({ kind: 'remove', key: value() });
    else throw new UsageError(`Unknown argument '${token}'. ${USAGE}`);
  }
  return { confDir, edits };
}

/** The program behind `bin/config-parser-utils.sh`: edits the conf dir's config file in place, printing nothing on success. */
export function configParserUtilsCommand(setExitCode: (code: number) => void): Command {
  return new Command('config-parser-utils.sh')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument('[args...]')
    .action((args: string[]) => {
      const request = parseConfigParserArgs(args);
      editConfigFile(request.confDir, request.edits);
      setExitCode(0);
    });
}
