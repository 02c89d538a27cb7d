import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult, MetricResult, Target } from './benchmark.js';

/** bench/results/latest.json: the newest result of every benchmark that ever ran, by name. */
export interface ResultsFile {
  readonly updatedAt: string;
  readonly benchmarks: Readonly<Record<string, BenchResult>>;
}

/** Reads the results file; a missing or unreadable one counts as empty. */
export function readResults(path: string): ResultsFile {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ResultsFile>;
    if (parsed.benchmarks !== undefined && typeof parsed.benchmarks === 'object') {
      return { updatedAt: String(parsed.updatedAt ?? ''), benchmarks: parsed.benchmarks };
    }
  } catch {
    // First run, or a file someone broke by hand: start over.
  }
  return { updatedAt: '', benchmarks: {} };
}

/** Replaces the entries of the benchmarks that just ran and keeps every other entry as it was. */
export function mergeResults(previous: ResultsFile, fresh: readonly BenchResult[], now = new Date()): ResultsFile {
  const benchmarks: Record<string, BenchResult> = { ...previous.benchmarks };
  for (const result of fresh) benchmarks[result.name] = result;
  return { updatedAt: now.toISOString(), benchmarks };
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  // Ratios such as 0.04 would print as 0.0 with one decimal; keep two significant digits below 1.
  return Math.abs(value) < 1 ? String(Number(value.toPrecision(2))) : value.toFixed(1);
}

function targetText(target: Target): string {
  return `${target.comparison} ${formatNumber(target.value)}`;
}

function targetCell(row: MetricResult): string {
  if (row.target === undefined) return '';
  return `${targetText(row.target)} ${row.met === true ? '✓' : '✗'}`;
}

function baselineCell(row: MetricResult): string {
  return row.baselines.map((b) => `${formatNumber(b.median)} (${b.label})`).join('; ');
}

/** One line per metric with a target, PASS or FAIL first, for the benchmarks that just ran. */
export function targetLines(results: readonly BenchResult[]): string[] {
  return results.flatMap((result) =>
    result.metrics.flatMap((row) =>
      row.target === undefined
        ? []
        : [
            `${row.met === true ? 'PASS' : 'FAIL'} ${result.name}: ${row.metric}: ${formatNumber(row.median)} ${row.unit}, target ${targetText(row.target)}`,
          ],
    ),
  );
}

/** The markdown table of every benchmark's metrics, plus where and when each ran. */
export function renderMarkdown(results: ResultsFile): string {
  const names = Object.keys(results.benchmarks).sort();
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (${results.updatedAt}). Medians; every baseline was measured in the same run as its metric.`,
    '',
    '| benchmark | metric | measured with it | median | baseline median | target | unit | runs |',
    '|---|---|---|---:|---|---|---|---:|',
  ];
  for (const name of names) {
    for (const row of results.benchmarks[name]!.metrics) {
      const cells = [
        name,
        row.metric,
        row.measured ?? '',
        formatNumber(row.median),
        baselineCell(row),
        targetCell(row),
        row.unit,
        String(row.runs.length),
      ];
      lines.push(`| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
    }
  }
  lines.push('');
  for (const name of names) {
    const result = results.benchmarks[name]!;
    const env = result.environment;
    lines.push(`- **${name}**: ran ${result.ranAt} on Node ${env.node}, ${env.platform}, ${env.cpus} CPU(s) (${env.cpuModel}).`);
    for (const note of result.notes ?? []) lines.push(`  - ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes latest.json and latest.md into `dir` (each atomically) and returns the markdown. */
export function writeResults(dir: string, results: ResultsFile): string {
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdown(results);
  for (const [name, content] of [
    ['latest.json', `${JSON.stringify(results, null, 2)}\n`],
    ['latest.md', markdown],
  ] as const) {
    const temp = join(dir, `${name}.${process.pid}.tmp`);
    writeFileSync(temp, content);
    renameSync(temp, join(dir, name));
  }
  return markdown;
}
