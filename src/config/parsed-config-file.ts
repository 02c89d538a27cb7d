import type { ConfigEntry } from './config-entry.js';

/** The two file formats: standard YAML (`config.yaml`) and Flink's legacy line format (`flink-conf.yaml`). */
export type ConfigFileFormat = 'standard' | 'legacy';

/** What reading one configuration file produced. */
export interface ParsedConfigFile {
  readonly file: string;
  readonly format: ConfigFileFormat;
  /** Flattened keys in file order, each with its line. */
  readonly entries: readonly ConfigEntry[];
  /** Lines skipped or other things the user should know about. */
  readonly warnings: readonly string[];
}
