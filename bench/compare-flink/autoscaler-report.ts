/**
 * `npm run compare-flink -- autoscaler`: Flink's own autoscaler drives a tsflink adaptive-scheduler
 * job through a load step, and the report says what it decided (which vertices, old → new
 * parallelism, when, on which evaluated metrics) and every error it met reading tsflink's REST.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLINK_HOME } from '../../test/helpers/test-dist.js';
import { STANDALONE_NOTE, type DriverEvent } from '../vs-flink/flink-autoscaler-driver.js';
import { flinkAutoscalerController, FAST_FLINK_OPTIONS, runScheduledTrial, type AutoscalerTrial } from '../autoscaler-trial.js';

/** Where the report goes, beside the other comparison. */
const REPORT = join(FLINK_HOME, 'bench', 'results', 'compare-flink-autoscaler.md');
/** The driver's own log, for what the report does not say. */
const DRIVER_LOG = join(tmpdir(), 'compare-flink-autoscaler-driver.log');

/** 1500/s, then 6000/s (more than one counter subtask's 4000/s), then 1500/s again. */
export const STEP_PROFILE = [
  { rate: 1500, seconds: 40 },
  { rate: 6000, seconds: 90 },
  { rate: 1500, seconds: 90 },
] as const;

const fmt = (n: number | null | undefined, digits = 0): string => (n === null || n === undefined ? '-' : n.toFixed(digits));

/** Seconds from the start of the load, signed. */
function at(trial: AutoscalerTrial, timeMs: number): string {
  return `${((timeMs - trial.loadStartMs) / 1000).toFixed(1)} s`;
}

/** The report's lines; also the figures compare-flink checks (decisions applied, errors). */
export function autoscalerReport(trial: AutoscalerTrial): { lines: string[]; applied: number; errors: number; failuresUnderLoad: number } {
  const name = (id: string): string => trial.vertexNames[id] ?? id;
  const lines = [
    "## Flink's autoscaler driving tsflink",
    '',
    STANDALONE_NOTE,
    '',
    `Load: ${trial.phases.map((p) => `${p.rate}/s for ${p.seconds} s`).join(', then ')}; a counter subtask takes 4000/s.`,
    `Options: ${Object.entries(FAST_FLINK_OPTIONS)
      .map(([k, v]) => `\`${k}: ${v}\``)
      .join(', ')}.`,
    '',
    '### Decisions',
    '',
  ];
  const decisions = trial.events.filter((e): e is Extract<DriverEvent, { event: 'decision' }> => e.event === 'decision');
  for (const d of decisions) {
    for (const v of d.vertices) {
      // LAG and the thresholds have only a current value; the rates and LOAD an average over the window.
      const m = (key: string): number | null => v.metrics[key]?.average ?? v.metrics[key]?.current ?? null;
      lines.push(
        `- ${at(trial, d.timeMs)}: ${name(v.id)} ${v.from} → ${v.to} (load ${fmt((m('LOAD') ?? 0) * 100)} %, true processing rate ` +
          `${fmt(m('TRUE_PROCESSING_RATE'))}/s, target data rate ${fmt(m('TARGET_DATA_RATE'))}/s, lag ${fmt(m('LAG'))})`,
      );
    }
  }
  if (decisions.length === 0) lines.push('- none');
  lines.push('', '### Applied (PUT /jobs/:id/resource-requirements)', '');
  const applied = trial.events.filter((e): e is Extract<DriverEvent, { event: 'applied' }> => e.event === 'applied');
  for (const a of applied) {
    const changes = Object.entries(a.vertices).map(([id, c]) => `${name(id)} ${c.from} → ${c.to}`);
    lines.push(`- ${at(trial, a.timeMs)}: ${changes.join(', ')}`);
  }
  if (applied.length === 0) lines.push('- none');
  lines.push('', '### Errors and warnings', '');
  // The library catches its own failures and reports them as Warning events (AutoscalerError, ...).
  const errors = new Map<string, { count: number; first: number }>();
  for (const e of trial.events) {
    const text =
      e.event === 'error' ? e.message : e.event === 'event' && e.type !== 'Normal' ? `${e.reason}: ${e.message.split('\n')[0]}` : undefined;
    if (text === undefined) continue;
    const seen = errors.get(text);
    errors.set(text, { count: (seen?.count ?? 0) + 1, first: seen?.first ?? e.timeMs });
  }
  for (const [message, { count, first }] of errors) lines.push(`- ${count}× from ${at(trial, first)}: ${message}`);
  if (errors.size === 0) lines.push('- none');
  // Before the TaskManagers' first heartbeat carries their process metrics, the TaskManager metrics
  // the library requires are missing, on Flink too (its metric fetcher has not run yet): only
  // failed rounds once the load runs count against tsflink.
  const failuresUnderLoad = trial.events.filter(
    (e) => e.timeMs >= trial.loadStartMs && (e.event === 'error' || (e.event === 'event' && e.reason === 'AutoscalerError')),
  ).length;
  lines.push('', '### Parallelism and backlog over time (every 10 s)', '', '| t | parallelism | backlog |', '|---|---|---|');
  let lastMark = -Infinity;
  for (const s of trial.samples) {
    if (s.timeMs - lastMark < 10_000) continue;
    lastMark = s.timeMs;
    const p = Object.entries(s.parallelism).map(([n, v]) => `${n.slice(0, 20)}=${v}`);
    lines.push(`| ${at(trial, s.timeMs)} | ${p.join(', ')} | ${s.backlog} |`);
  }
  return {
    lines: [...lines, ''],
    applied: applied.length,
    errors: [...errors.values()].reduce((s, e) => s + e.count, 0),
    failuresUnderLoad,
  };
}

/** Runs the trial, writes bench/results/compare-flink-autoscaler.md, and prints it. Exit 1 when Flink's autoscaler failed a round under load or never acted. */
export async function compareAutoscaler(): Promise<number> {
  process.stderr.write("Flink's autoscaler against a tsflink adaptive-scheduler job (about 4 minutes)...\n");
  const trial = await runScheduledTrial(STEP_PROFILE, {}, 3, flinkAutoscalerController(FAST_FLINK_OPTIONS, DRIVER_LOG));
  const report = autoscalerReport(trial);
  const text = ['# compare-flink: autoscaler', '', ...report.lines].join('\n');
  writeFileSync(REPORT, text);
  process.stdout.write(text + '\n');
  process.stderr.write(`Written to ${REPORT}; the driver's log to ${DRIVER_LOG}.\n`);
  return report.failuresUnderLoad === 0 && report.applied > 0 ? 0 : 1;
}
