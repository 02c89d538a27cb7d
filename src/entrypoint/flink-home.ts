import { fileURLToPath } from 'node:url';

/** The distribution's root: three levels above dist/src/entrypoint. */
export const FLINK_HOME = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
