import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { cosmiconfig, type Loader } from 'cosmiconfig';
import { ConfigurationError, TsFlinkError } from '../core/errors.js';
import { parseLegacyConfig } from './legacy-config-parser.js';
import type { ConfigFileFormat, ParsedConfigFile } from './parsed-config-file.js';
import { parseStandardConfig } from './standard-config-parser.js';

/** The standard file; read whenever it exists. */
export const STANDARD_CONFIG_FILE = 'config.yaml';
/** The legacy file; read only when config.yaml is absent. */
export const LEGACY_CONFIG_FILE = 'flink-conf.yaml';

const PARSERS: Readonly<Record<string, { format: ConfigFileFormat; parse: (text: string, file: string) => ParsedConfigFile }>> = {
  [STANDARD_CONFIG_FILE]: { format: 'standard', parse: parseStandardConfig },
  [LEGACY_CONFIG_FILE]: { format: 'legacy', parse: parseLegacyConfig },
};

// cosmiconfig picks loaders by extension and both files end in .yaml, so this one loader hands
// each file to the parser for its name. It returns a ParsedConfigFile, never the raw mapping, so
// cosmiconfig's own `$import` handling cannot be triggered by a user's key.
const loadByFileName: Loader = (filepath, content) => {
  const parser = PARSERS[basename(filepath)];
  if (parser === undefined) throw new Error(`No parser for configuration file ${filepath}`);
  return parser.parse(content, filepath);
};

/**
 * Finds and parses the configuration file in `confDir` (config.yaml, else flink-conf.yaml); no
 * other directory is searched. Returns undefined when neither exists.
 */
export async function readConfigFile(confDir: string): Promise<ParsedConfigFile | undefined> {
  await requireReadableConfigFile(confDir);
  try {
    return await searchConfDir(confDir);
  } catch (error) {
    if (error instanceof TsFlinkError) throw error;
    // cosmiconfig also reads its own meta configuration (package.json, .config/) from the conf
    // dir; a broken one there must still end in a one-line configuration error.
    const reason = (error instanceof Error ? (error.message.trim().split('\n')[0] ?? '') : String(error)).replace(/:\s*$/, '');
    throw new ConfigurationError(`Could not read the configuration in ${confDir}: ${reason}`, { cause: error, context: { confDir } });
  }
}

/**
 * cosmiconfig passes over a search place it cannot read as if it were absent, so a config.yaml that
 * is a directory or not readable by the user started everything on defaults. The first file that
 * exists must be readable; otherwise nothing starts.
 */
async function requireReadableConfigFile(confDir: string): Promise<void> {
  for (const name of [STANDARD_CONFIG_FILE, LEGACY_CONFIG_FILE]) {
    const file = join(confDir, name);
    const stats = await stat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error));
    if (stats === undefined) continue;
    let reason: string | undefined;
    if (stats instanceof Error) reason = stats.code ?? stats.message;
    else if (!stats.isFile()) reason = stats.isDirectory() ? 'it is a directory' : 'it is not a regular file';
    else
      reason = await access(file, constants.R_OK).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => `it is not readable (${error.code ?? error.message})`,
      );
    if (reason === undefined) return;
    throw new ConfigurationError(`Cannot read the configuration file ${file}: ${reason}; make it a readable YAML file or remove it.`, {
      context: { file },
    });
  }
}

/**
 * cosmiconfig reads its own "meta" configuration (package.json, `.config/config.*`, possibly
 * executing a `.config/config.js`) from the working directory while the explorer is built. That
 * step is synchronous, so building it with the conf dir as working directory confines it to the
 * user's own configuration directory instead of wherever the script happened to be run from.
 */
function createExplorer(confDir: string): ReturnType<typeof cosmiconfig> {
  const cwd = process.cwd();
  process.chdir(confDir);
  try {
    return buildExplorer();
  } finally {
    process.chdir(cwd);
  }
}

function buildExplorer(): ReturnType<typeof cosmiconfig> {
  return cosmiconfig('tsflink', {
    searchPlaces: [STANDARD_CONFIG_FILE, LEGACY_CONFIG_FILE],
    searchStrategy: 'none',
    loaders: { '.yaml': loadByFileName },
    cache: false,
    // An empty config.yaml still counts as present; it must not fall through to flink-conf.yaml.
    ignoreEmptySearchPlaces: false,
  });
}

async function searchConfDir(confDir: string): Promise<ParsedConfigFile | undefined> {
  const explorer = createExplorer(confDir);
  const result = await explorer.search(confDir);
  if (result === null) return undefined;
  if (result.isEmpty === true || result.config === undefined) {
    const format = PARSERS[basename(result.filepath)]?.format ?? 'standard';
    return { file: result.filepath, format, entries: [], warnings: [] };
  }
  return result.config as ParsedConfigFile;
}
