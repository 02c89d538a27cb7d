import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The distribution's root: three levels above dist/src/cli. */
export const FLINK_HOME = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

/** The compiled entry point every daemon process runs. */
export const ENTRYPOINT_SCRIPT = join(FLINK_HOME, 'dist', 'src', 'entrypoint', 'main.js');
