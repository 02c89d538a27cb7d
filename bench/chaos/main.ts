import { Command, InvalidArgumentError } from 'commander';
import { TestDist } from '../../test/helpers/test-dist.js';
import { chaosRate, runChaos } from './chaos-run.js';
import { cleanUpOnInterrupt } from '../../test/helpers/interrupt.js';
import { ZooKeeperServer } from '../../test/helpers/zookeeper-server.js';

/** A whole number of at least `min`, or one line saying what the option accepts. */
function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < min) throw new InvalidArgumentError(`expected a whole number >= ${min}, got '${value}'.`);
    return parsed;
  };
}

const program = new Command('npm run chaos --')
  .description(
    'Runs a bounded keyed job in Reactive Mode while TaskManagers (and, with --jobmanagers 2, JobManagers under ZooKeeper HA) ' +
      'are started, stopped, killed and frozen at random, then compares its committed output line for line with a fault-free run at parallelism 1. Exits 1 on any difference.',
  )
  .option('--events <n>', 'faults to survive', wholeNumber(1), 300)
  .option('--seed <n>', 'seed of the fault schedule (default: from the clock)', wholeNumber(0))
  .option('--records <n>', 'records the source emits', wholeNumber(1), 2_000_000)
  .option('--keys <n>', 'distinct keys', wholeNumber(1), 10_000)
  .option(
    '--jobmanagers <n>',
    "JobManagers: 1 runs one in the foreground; 2 or more run that many under ZooKeeper HA (Debian's zookeeper package), " +
      'killed, stopped, frozen and restarted beside the TaskManagers',
    wholeNumber(1),
    1,
  )
  .option('--rate <n>', 'records per second per source subtask (default: so the job outlives the faults)', wholeNumber(1))
  .showHelpAfterError('(npm run chaos -- --help lists the options)')
  .parse();

const options = program.opts<{ events: number; seed?: number; records: number; keys: number; rate?: number; jobmanagers: number }>();
const seed = options.seed ?? Date.now() % 100_000;
const rate = options.rate ?? chaosRate(options.records, options.events, options.jobmanagers);

cleanUpOnInterrupt(
  (signal) => `Interrupted (${signal}): stopping the processes this run started.`,
  async () => {
    await TestDist.destroyAll();
    await ZooKeeperServer.stopAll();
  },
);

process.stderr.write(
  `Chaos run: ${options.events} events, seed ${seed}, ${options.records} records at ${rate}/s per source subtask, ` +
    `${options.jobmanagers} JobManager(s).\n`,
);
runChaos({
  ...options,
  jobManagers: options.jobmanagers,
  seed,
  rate,
  log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
}).then(
  (report) => {
    process.stdout.write(
      `${JSON.stringify({ ...report, missing: report.missing.slice(0, 20), unexpected: report.unexpected.slice(0, 20) }, null, 2)}\n`,
    );
    const ok = report.missing.length === 0 && report.unexpected.length === 0 && report.eventsSurvived >= options.events;
    process.stdout.write(
      ok
        ? `OK: ${report.eventsSurvived} events survived (${report.failovers} JobManager failovers, ${report.restarts} restarts, ${report.rescales} scale-ups, ${report.recordsReplayed} records replayed); committed output equals the reference, ${report.outputLines} lines.\n`
        : `FAILED: ${report.missing.length} line(s) missing, ${report.unexpected.length} unexpected, ${report.eventsSurvived}/${options.events} events.\n`,
    );
    process.exit(ok ? 0 : 1);
  },
  (error: unknown) => {
    process.stderr.write(`Chaos run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
