import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processExists } from '../../helpers/cluster-probes.js';
import type { TestDist } from '../../helpers/test-dist.js';
import type { FuzzOutcome } from '../fuzz-target.js';
import { preview } from '../mutators.js';
import type { Prng } from '../prng.js';
import { SandboxedTarget } from './sandboxed-target.js';
import { configInput, type ConfigInput } from './config-inputs.js';
import { judgeConfigFailure } from './config-oracle.js';

/** A load of one configuration may take this long before it counts as a hang. */
const LOAD_TIMEOUT_MS = 15_000;

function describeInput(input: ConfigInput): string {
  const file =
    input.configYaml !== undefined
      ? `config.yaml=${preview(input.configYaml, 300)}`
      : `flink-conf.yaml=${preview(input.legacyYaml ?? '', 300)}`;
  return `${file} args=${preview(input.dynamicArgs, 200)}`;
}

/**
 * (e) Configuration: random config.yaml texts (valid and broken YAML, wrong types for known keys,
 * hostile YAML features) and -D values through loadConfiguration in a sandboxed process, and every
 * `scriptEvery`-th input also through the real `bin/jobmanager.sh start`. Each must load (or
 * start) or fail with ONE line naming the key and value (or the file and line).
 */
export class ConfigTarget extends SandboxedTarget {
  readonly name = 'config';

  async runOne(rng: Prng, index: number): Promise<FuzzOutcome> {
    if (this.throughScript(index)) return this.runScript(configInput(rng, true));
    const input = configInput(rng, false);
    const confDir = join(this.workDir, `c${index}`);
    mkdirSync(confDir);
    try {
      if (input.configYaml !== undefined) writeFileSync(join(confDir, 'config.yaml'), input.configYaml);
      if (input.legacyYaml !== undefined) writeFileSync(join(confDir, 'flink-conf.yaml'), input.legacyYaml);
      const result = await this.sandbox.call({ op: 'config', confDir, dynamicArgs: input.dynamicArgs }, LOAD_TIMEOUT_MS);
      const problem = result.ok ? undefined : judgeConfigFailure(input, result, confDir);
      return { input: describeInput(input), ...(problem === undefined ? {} : { problem }) };
    } catch (error) {
      return { input: describeInput(input), problem: (error as Error).message };
    } finally {
      rmSync(confDir, { recursive: true, force: true });
    }
  }

  /** The same input through the real script: starts (and is stopped again) or fails with one line. */
  private async runScript(input: ConfigInput): Promise<FuzzOutcome> {
    const dist = this.dist;
    const fixed = readFixedLines(dist);
    writeFileSync(join(dist.confDir, 'config.yaml'), `${fixed}${input.configYaml ?? ''}`);
    const described = `bin/jobmanager.sh start with ${describeInput(input)}`;
    const result = await dist.run('jobmanager.sh', ['start', ...input.dynamicArgs]);
    if (result.exitCode === 0) {
      const pid = dist.pids('standalonesession').at(-1);
      const stopped = await dist.run('jobmanager.sh', ['stop']);
      if (pid === undefined || stopped.exitCode !== 0)
        return { input: described, problem: `started, but could not be stopped again: ${stopped.stdout} ${stopped.stderr}` };
      return { input: described, ...(processExists(pid) ? { problem: `the JobManager (pid ${pid}) outlived jobmanager.sh stop` } : {}) };
    }
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    if (lines.length !== 1)
      return { input: described, problem: `failed with ${lines.length} lines on stderr instead of one: ${preview(result.stderr, 500)}` };
    const problem = judgeConfigFailure(input, { name: guessName(lines[0]!), message: lines[0]! }, dist.confDir);
    return { input: described, ...(problem === undefined ? {} : { problem: `bin/jobmanager.sh start: ${problem}` }) };
  }
}

/** The TestDist's own settings (port 0, its tmp dir), which every fuzzed config.yaml starts with. */
function readFixedLines(dist: TestDist): string {
  return `rest.port: 0\ntaskmanager.host: localhost\njobmanager.rpc.address: localhost\nio.tmp.dirs: ${JSON.stringify(dist.tmpDir)}\n`;
}

/** The script prints only the message; the oracle checks its shape, so the class is inferred from it. */
function guessName(line: string): string {
  return /^(Invalid value|Invalid YAML|Could not read the configuration|Dynamic property|Option '-D'|Invalid dynamic property|Missing argument for option: D)/.test(
    line,
  )
    ? 'ConfigurationError'
    : 'unexpected output';
}
