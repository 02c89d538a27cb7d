/**
 * `npm run fuzz [-- --seconds N --seed S --target NAME[,NAME] --only INDEX]`: fuzzes every target (or some)
 * for N seconds each against real processes, prints how many inputs each tried and every failure
 * with the seed and index that replay it. Exits 1 when anything failed.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { formatFailure, groupFailures, type FuzzReport } from './fuzz-runner.js';
import { runFuzzSuite, TARGET_NAMES, type TargetName } from './fuzz-suite.js';
import { KNOWN_FINDINGS, knownFinding } from './known-findings.js';
import { runCleanups } from './cleanup.js';
import { cleanUpOnInterrupt } from '../helpers/interrupt.js';

const USAGE = `Usage: npm run fuzz -- [--seconds N] [--seed S] [--target T[,T...]] [--only INDEX]\n  targets: ${TARGET_NAMES.join(', ')}`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseOptions(): { seconds: number; seed: string; targets: TargetName[]; only: number | undefined } {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: { seconds: { type: 'string' }, seed: { type: 'string' }, target: { type: 'string' }, only: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const seconds = Number(values['seconds'] ?? '30');
  if (!Number.isFinite(seconds) || seconds <= 0) fail(`--seconds must be a positive number, got '${values['seconds']}'.`);
  const targets = values['target'] === undefined ? [...TARGET_NAMES] : values['target'].split(',');
  for (const target of targets) if (!(TARGET_NAMES as readonly string[]).includes(target)) fail(`Unknown target '${target}'.`);
  const only = values['only'] === undefined ? undefined : Number(values['only']);
  if (only !== undefined && (!Number.isInteger(only) || only < 0)) fail(`--only must be an input index, got '${values['only']}'.`);
  if (only !== undefined && targets.length !== 1) fail('--only needs exactly one --target.');
  return { seconds, seed: values['seed'] ?? randomBytes(4).toString('hex'), targets: targets as TargetName[], only };
}

function printReport(report: FuzzReport, seed: string): void {
  const rate = report.elapsedMs > 0 ? ` (${Math.round((report.inputs * 1000) / report.elapsedMs)}/s)` : '';
  const known = report.known.length > 0 ? ` (+${report.known.length} instance(s) of known findings)` : '';
  console.log(
    `${report.target.padEnd(13)} ${String(report.inputs).padStart(7)} inputs in ${(report.elapsedMs / 1000).toFixed(1)} s${rate}, ${report.failures.length} failure(s)${known}`,
  );
  const groups = groupFailures(report.failures);
  for (const { count, example } of groups.slice(0, 15))
    console.log(`${count > 1 ? `  ${count} x, e.g.:\n` : ''}${formatFailure(example, seed)}`);
  if (groups.length > 15) console.log(`  ... and ${groups.length - 15} more kinds of failure`);
  for (const finding of KNOWN_FINDINGS) {
    const instances = report.known.filter((f) => knownFinding(f) === finding);
    if (instances.length > 0)
      console.log(
        `  known, reported (${finding.where}): ${instances.length} x ${finding.summary}\n    e.g. ${formatFailure(instances[0]!, seed).trim()}`,
      );
  }
}

const options = parseOptions();
cleanUpOnInterrupt((signal) => `Interrupted (${signal}): stopping the processes this run started.`, runCleanups);
console.log(
  `Fuzzing ${options.targets.join(', ')} with seed ${options.seed}${options.only === undefined ? `, ${options.seconds} s per target` : `, input ${options.only} only`}.`,
);
const reports = await runFuzzSuite({
  seed: options.seed,
  targets: options.targets,
  msPerTarget: options.only === undefined ? options.seconds * 1000 : undefined,
  only: options.only,
  scriptEvery: 40,
  onReport: (report) => printReport(report, options.seed),
});
const inputs = reports.reduce((sum, r) => sum + r.inputs, 0);
const failures = reports.reduce((sum, r) => sum + r.failures.length, 0);
const known = reports.reduce((sum, r) => sum + r.known.length, 0);
console.log(`Total: ${inputs} inputs, ${failures} new failure(s), ${known} instance(s) of known findings, seed ${options.seed}.`);
process.exit(failures > 0 ? 1 : 0);
