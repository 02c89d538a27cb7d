/**
 * `npm run compare-flink [-- --record-fixture]`: runs the same scenario on real Apache Flink and on
 * tsflink and reports every difference a user or a tool would see: REST answers by shape, `bin/flink`
 * output, the job's status transitions, and TopSpeedWindowing's output for one input file. A tool
 * for people, not part of `npm test`; `--record-fixture` stores Flink's answer shapes as the golden
 * file test/fixtures/flink-rest-shapes.json. `npm run compare-flink -- autoscaler` instead runs Flink's
 * own autoscaler against tsflink (autoscaler-report.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLINK_REST_SNAPSHOT, TOPSPEED_CONFORMANCE } from '../../test/helpers/fixture-paths.js';
import { cleanUpOnInterrupt } from '../../test/helpers/interrupt.js';
import { FLINK_HOME } from '../../test/helpers/test-dist.js';
import { cleanupAll } from '../process-cleanup.js';
import { ensureFlink, FlinkUnavailableError } from '../vs-flink/flink-distribution.js';
import { flinkCluster, tsflinkCluster, type ClusterUnderTest } from '../vs-flink/systems.js';
import { compareAutoscaler } from './autoscaler-report.js';
import { describe, diffShapes, shapeOf, type Shape } from './json-shape.js';
import { knownDifference } from './known-differences.js';
import { fillableTemplates, observe, runTopSpeedOnFile, SCENARIO_CONFIG, type FlinkGolden, type Observations } from './observe.js';

/** Where the golden shapes go. */
const FIXTURE = join(FLINK_HOME, 'test', 'fixtures', 'flink-rest-shapes.json');
/** Where the report goes, beside the benchmark results. */
const REPORT = join(FLINK_HOME, 'bench', 'results', 'compare-flink.md');

async function withCluster<T>(make: () => Promise<ClusterUnderTest>, body: (c: ClusterUnderTest) => Promise<T>): Promise<T> {
  const cluster = await make();
  try {
    return await body(cluster);
  } finally {
    await cluster.destroy();
  }
}

/** A finding's suffix: the known difference it is, if any. */
function known(endpoint: string, path?: string): string {
  const difference = knownDifference(endpoint, path);
  return difference === undefined ? '' : ` — ${difference.kind}: ${difference.reason}`;
}

/**
 * The REST section: per moment and endpoint, whether both serve it and how the shapes differ.
 * Counts only the differences no entry of known-differences.ts explains.
 */
function restReport(flink: Observations, tsflink: Observations): { lines: string[]; differences: number } {
  const lines: string[] = [];
  let differences = 0;
  for (const [moment, answers] of Object.entries(flink.rest)) {
    lines.push(`### REST, ${moment}`, '');
    for (const [template, answer] of Object.entries(answers)) {
      const ours = tsflink.rest[moment]?.[template];
      if (ours === undefined) continue;
      if (answer.status !== ours.status) {
        if (knownDifference(template) === undefined) differences++;
        lines.push(`- \`GET ${template}\`: Flink answers ${answer.status}, tsflink ${ours.status}${known(template)}`);
        continue;
      }
      if (answer.status !== 200 || typeof answer.body !== 'object' || typeof ours.body !== 'object') continue;
      const found = diffShapes(shapeOf(answer.body), shapeOf(ours.body));
      differences += found.filter((d) => knownDifference(template, d.path) === undefined).length;
      if (found.length > 0) lines.push(`- \`GET ${template}\`:`, ...found.map((d) => `  - ${describe(d)}${known(template, d.path)}`));
    }
    lines.push('');
  }
  return { lines, differences };
}

function cliReport(flink: Observations, tsflink: Observations): { lines: string[]; differences: number } {
  const lines = ['### bin/flink output', ''];
  let differences = 0;
  for (const [command, theirs] of Object.entries(flink.cli)) {
    const ours = tsflink.cli[command];
    if (ours !== undefined && ours.output === theirs.output && ours.exitCode === theirs.exitCode) {
      lines.push(`- \`${command}\`: same`);
      continue;
    }
    differences++;
    lines.push(
      `- \`${command}\`: differs`,
      '',
      `  Flink (exit ${theirs.exitCode}):`,
      '',
      ...theirs.output.split('\n').map((l) => `      ${l}`),
      '',
      `  tsflink (exit ${ours?.exitCode ?? '-'}):`,
      '',
      ...(ours?.output ?? '').split('\n').map((l) => `      ${l}`),
      '',
    );
  }
  return { lines: [...lines, ''], differences };
}

async function main(args: readonly string[]): Promise<number> {
  if (args.length === 1 && args[0] === 'autoscaler') return compareAutoscaler();
  const unknown = args.filter((a) => a !== '--record-fixture');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument(s) ${unknown.join(' ')}: compare-flink accepts --record-fixture, or autoscaler alone.\n`);
    return 2;
  }
  const flinkDist = await ensureFlink();
  const snapshot = JSON.parse(readFileSync(FLINK_REST_SNAPSHOT, 'utf8')) as { calls: Array<{ url: string; method: string }> };
  const templates = fillableTemplates(snapshot.calls.filter((call) => call.method === 'GET').map((call) => call.url));
  const work = mkdtempSync(join(tmpdir(), 'compare-flink-'));
  try {
    process.stderr.write(`Scenario on Apache Flink ${flinkDist.version}...\n`);
    const flink = await withCluster(
      () => flinkCluster(flinkDist, SCENARIO_CONFIG),
      (c) => observe(c, templates, join(work, 'flink')),
    );
    process.stderr.write('Scenario on tsflink...\n');
    const tsflink = await withCluster(
      async () => tsflinkCluster(SCENARIO_CONFIG),
      (c) => observe(c, templates, join(work, 'tsflink')),
    );
    const input = join(TOPSPEED_CONFORMANCE, 'input.txt');
    const fileConfig = { 'execution.checkpointing.interval': '1 s' };
    process.stderr.write('TopSpeedWindowing over the conformance input on both...\n');
    const flinkLines = await withCluster(
      () => flinkCluster(flinkDist, fileConfig),
      (c) => runTopSpeedOnFile(c, input, join(work, 'flink-out')),
    );
    const tsflinkLines = await withCluster(
      async () => tsflinkCluster(fileConfig),
      (c) => runTopSpeedOnFile(c, input, join(work, 'tsflink-out')),
    );
    const expected = readFileSync(join(TOPSPEED_CONFORMANCE, 'expected.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .sort();

    const rest = restReport(flink, tsflink);
    const cli = cliReport(flink, tsflink);
    const sameTransitions = flink.transitions.join(',') === tsflink.transitions.join(',');
    const sameOutput = flinkLines.join('\n') === tsflinkLines.join('\n');
    const lines = [
      '# tsflink compared with Apache Flink',
      '',
      `Written by \`npm run compare-flink\` (${new Date().toISOString()}) against Apache Flink ${flinkDist.version}. Scenario: an application cluster with TopSpeedWindowing in Reactive Mode, 1 → 2 → 1 TaskManagers, a savepoint, a cancel. REST answers are compared by shape (keys, types, nesting, enum values); ids, times and counts are not compared. Deliberate differences are listed in docs/differences-from-flink.md.`,
      '',
      ...rest.lines,
      ...cli.lines,
      '### Job status transitions',
      '',
      `- Flink: ${flink.transitions.join(' → ')}`,
      `- tsflink: ${tsflink.transitions.join(' → ')}${sameTransitions ? ' (same)' : ' (differs)'}`,
      '',
      '### TopSpeedWindowing output for the conformance input',
      '',
      `- Flink: ${flinkLines.length} lines, ${flinkLines.join('\n') === expected.join('\n') ? 'equal to' : 'different from'} Flink's expected.txt`,
      `- tsflink: ${tsflinkLines.length} lines, ${sameOutput ? 'identical to Flink' : 'different from Flink'}`,
      '',
      `Differences not explained by bench/compare-flink/known-differences.ts: ${rest.differences} in REST shapes, ${cli.differences} in CLI output, ${sameTransitions ? 0 : 1} in transitions, ${sameOutput ? 0 : 1} in output.`,
      '',
    ];
    writeFileSync(REPORT, lines.join('\n'));
    const raw = join(tmpdir(), `compare-flink-${process.pid}.json`);
    writeFileSync(raw, JSON.stringify({ flink, tsflink }, null, 2));
    process.stderr.write(`Raw answers of both systems in ${raw}.\n`);
    process.stdout.write(lines.join('\n'));
    process.stderr.write(`Report written to ${REPORT}.\n`);
    if (args.includes('--record-fixture')) {
      const shapes: Record<string, Record<string, Shape>> = {};
      for (const [moment, answers] of Object.entries(flink.rest)) {
        shapes[moment] = Object.fromEntries(
          Object.entries(answers)
            .filter(([, a]) => a.status === 200 && typeof a.body === 'object')
            .map(([template, a]) => [template, shapeOf(a.body)]),
        );
      }
      const fixture: FlinkGolden = { flinkVersion: flinkDist.version, moments: shapes, cli: flink.cli, transitions: flink.transitions };
      writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);
      process.stderr.write(`Flink's answer shapes written to ${FIXTURE}.\n`);
    }
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

cleanUpOnInterrupt((signal) => `Interrupted (${signal}); stopping every process the comparison started.`, cleanupAll);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    process.stderr.write(
      error instanceof FlinkUnavailableError
        ? `${error.message}\n`
        : `compare-flink failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    await cleanupAll();
    process.exit(1);
  },
);
