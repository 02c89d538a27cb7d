import { runChaos } from './chaos-run.js';

/** `npm run chaos [-- --events N --seed S]`: the long chaos run; exits non-zero on any output difference. */
function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(process.argv[index + 1]);
  return value === undefined || !Number.isFinite(value) ? fallback : value;
}

const events = argument('events', 300);
const seed = argument('seed', Date.now() % 100_000);
const records = argument('records', 2_000_000);
// About 0.6 s per event at ~3 subtasks: the job must outlive the faults.
const rate = argument('rate', Math.max(1000, Math.floor(records / (events * 0.6 * 3 * 1.3))));
process.stderr.write(`Chaos run: ${events} events, seed ${seed}, ${records} records at ${rate}/s per source subtask.\n`);
runChaos({ events, seed, records, keys: argument('keys', 10_000), rate, log: (line) => process.stderr.write(`${line}\n`) }).then((report) => {
  process.stdout.write(`${JSON.stringify({ ...report, missing: report.missing.slice(0, 20), unexpected: report.unexpected.slice(0, 20) }, null, 2)}\n`);
  const ok = report.missing.length === 0 && report.unexpected.length === 0 && report.eventsSurvived >= events;
  process.stdout.write(ok
    ? `OK: ${report.eventsSurvived} events survived (${report.restarts} restarts, ${report.rescales} scale-ups, ${report.recordsReplayed} records replayed); committed output equals the reference, ${report.outputLines} lines.\n`
    : `FAILED: ${report.missing.length} line(s) missing, ${report.unexpected.length} unexpected, ${report.eventsSurvived}/${events} events.\n`);
  process.exit(ok ? 0 : 1);
}, (error: unknown) => {
  process.stderr.write(`Chaos run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
