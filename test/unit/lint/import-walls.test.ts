import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { FLINK_HOME } from '../../helpers/test-dist.js';

/** The walls exactly as `npm run lint` enforces them, read from eslint.config.js. */
async function wallLinter(): Promise<ESLint> {
  const config = (await import(pathToFileURL(join(FLINK_HOME, 'eslint.config.js')).href)) as { IMPORT_WALLS: Linter.Config[] };
  // Syntax only: the probes below are not files of a TypeScript project, and the walls need no types.
  return new ESLint({
    cwd: FLINK_HOME,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...config.IMPORT_WALLS],
  });
}

/** The wall messages ESLint reports for `source` placed at `file`. */
async function wallErrors(linter: ESLint, file: string, source: string): Promise<string[]> {
  const [result] = await linter.lintText(source, { filePath: join(FLINK_HOME, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('import walls', () => {
  const crossings: Array<[string, string, RegExp]> = [
    ['src/jobmanager/probe.ts', "import { TaskHost } from '../taskmanager/task-host.js';", /jobmanager\/ must not import taskmanager\//],
    [
      'src/jobmanager/scheduler/probe.ts',
      "import type { Task } from '../../taskmanager/task/task.js';",
      /jobmanager\/ must not import taskmanager\//,
    ],
    [
      'src/taskmanager/probe.ts',
      "import { JobMaster } from '../jobmanager/jobmaster/job-master.js';",
      /taskmanager\/ must not import jobmanager\//,
    ],
    ['src/runtime/state/probe.ts', "import { x } from '../../jobmanager/checkpoint/x.js';", /runtime\/ .* must not import jobmanager\//],
    ['src/cli/probe.ts', "import { x } from '../jobmanager/x.js';", /cli\/ must not import jobmanager\/ or taskmanager\//],
    ['src/cli/commands/probe.ts', "export { y } from '../../taskmanager/y.js';", /cli\/ must not import jobmanager\/ or taskmanager\//],
    [
      'src/autoscaler/probe.ts',
      "import { AdaptiveScheduler } from '../jobmanager/scheduler/adaptive/adaptive-scheduler.js';",
      /autoscaler\/ must not import jobmanager\/, taskmanager\/ or runtime\//,
    ],
    ['src/autoscaler/probe.ts', "import type { Task } from '../taskmanager/task/task.js';", /autoscaler\/ must not import/],
    ['src/core/probe.ts', "import { Configuration } from '../config/configuration.js';", /core\/ imports nothing of ours/],
    ['src/core/probe.ts', "import { DataStream } from 'tsflink';", /core\/ imports nothing of ours/],
    ['src/web/probe.ts', "import { describeError } from '../core/errors.js';", /web\/ runs in the browser/],
    [
      'src/web/probe.ts',
      "import type { JobStatus } from '../jobmanager/scheduler/execution-graph/job-status.js';",
      /web\/ runs in the browser/,
    ],
    // Only the one shared module of REST response types, not its neighbours.
    ['src/web/probe.ts', "import type { JobStatus } from '../rest/types/job-status.js';", /may import only the REST response types/],
    // And only its types: the browser has no copy of the module to load.
    [
      'src/web/probe.ts',
      "import { JobDetailsInfo } from '../rest/types/responses.js';",
      /import the REST response types with `import type`/,
    ],
  ];
  for (const [file, source, message] of crossings) {
    it(`refuses in ${file}: ${source}`, async () => {
      const errors = await wallErrors(await wallLinter(), file, source);
      assert.equal(errors.length, 1, `expected one wall error, got ${JSON.stringify(errors)}`);
      assert.match(errors[0] ?? '', message);
    });
  }

  it('lets each layer import what it may', async () => {
    const linter = await wallLinter();
    const allowed: Array<[string, string]> = [
      ['src/jobmanager/probe.ts', "import type { TaskExecutorGateway } from '../rpc/gateways/task-executor-gateway.js';"],
      ['src/taskmanager/probe.ts', "import { getLogger } from '../core/logging.js';"],
      ['src/runtime/probe.ts', "import { x } from './state/x.js';"],
      ['src/cli/probe.ts', "import { loadConfiguration } from '../config/index.js';"],
      ['src/autoscaler/probe.ts', "import type { AutoscalerDecisionRecord } from '../rest/types/responses.js';"],
      ['src/core/probe.ts', "import { writeSync } from 'node:fs';\nimport { x } from './x.js';"],
      ['src/web/probe.ts', "import type { JobDetailsInfo } from '../rest/types/responses.js';\nimport { y } from './dom.js';"],
    ];
    for (const [file, source] of allowed) assert.deepEqual(await wallErrors(linter, file, source), [], `${file}: ${source}`);
  });
});
