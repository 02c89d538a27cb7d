/**
 * Runs in-process fuzz inputs (configuration loads, job archive operations) in a child process,
 * so a hang or runaway memory is caught by the parent instead of freezing the fuzzer.
 */
import { TsFlinkError } from '../../src/core/errors.js';
import { configureLogging } from '../../src/core/logging.js';
import { loadConfiguration } from '../../src/config/load-configuration.js';
import { parseDynamicProperties } from '../../src/config/dynamic-properties.js';
import { extractArchive } from '../../src/packaging/archive-extractor.js';
import { findJobArchive } from '../../src/packaging/job-archive-finder.js';
import { prepareJobModule } from '../../src/packaging/job-module-preparer.js';
import type { SandboxReply, SandboxRequest, SandboxResult } from './sandbox.js';

// Warnings about unreadable archives would flood the fuzzer's output; results carry what matters.
configureLogging({ write: () => undefined }, 'OFF');

async function run(request: SandboxRequest): Promise<SandboxResult> {
  switch (request.op) {
    case 'config': {
      const { properties, rest } = parseDynamicProperties(request.dynamicArgs);
      const loaded = await loadConfiguration({ confDir: request.confDir, dynamicProperties: properties });
      return { ok: true, detail: `${loaded.warnings.length} warning(s), ${rest.length} argument(s) left` };
    }
    case 'extract': {
      const result = await extractArchive(request.archivePath, request.destDir);
      return { ok: true, detail: `${result.files.length} file(s), ${result.totalBytes} bytes` };
    }
    case 'find': {
      const found = await findJobArchive({ libDirs: request.libDirs, jobClassName: request.className });
      if (request.workDir === undefined) return { ok: true, detail: `${found.archivePath} ${found.mainClass}` };
      const prepared = await prepareJobModule({ archivePath: found.archivePath, mainClass: found.mainClass, workDir: request.workDir });
      return { ok: true, detail: prepared.moduleUrl };
    }
  }
}

function describe(error: unknown): SandboxResult {
  if (error instanceof TsFlinkError) return { ok: false, name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { ok: false, name: error.name, code: undefined, message: error.message };
  return { ok: false, name: typeof error, code: undefined, message: String(error) };
}

process.on('message', (request: SandboxRequest & { id: number }) => {
  run(request).then(
    (result) => process.send?.({ id: request.id, result } satisfies SandboxReply),
    (error: unknown) => process.send?.({ id: request.id, result: describe(error) } satisfies SandboxReply),
  );
});
// The parent going away must end this process too.
process.on('disconnect', () => process.exit(0));
