import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.js';
import { parseDynamicProperty, parseEntrypointArguments, stripQuotes } from '../../../src/entrypoint/entrypoint-arguments.js';

const JOB_ID = '0123456789abcdef0123456789abcdef';

const usage =
  (pattern: RegExp) =>
  (error: unknown): boolean =>
    error instanceof UsageError && pattern.test(error.message);

describe('parseEntrypointArguments', () => {
  it('reads every option of the application entry point, short forms', () => {
    const parsed = parseEntrypointArguments(
      ['-c', '/conf', '-j', 'org.example.Main', '-jid', JOB_ID, '-s', '/savepoints/sp-1', '-n', '-Da=1', '-D', 'b=2'],
      'application',
    );
    assert.deepEqual(parsed, {
      configDir: '/conf',
      dynamicProperties: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
      jobClassName: 'org.example.Main',
      jobId: JOB_ID,
      fromSavepoint: '/savepoints/sp-1',
      allowNonRestoredState: true,
      programArgs: [],
    });
  });

  it('reads long forms, with a separate value or with =', () => {
    const parsed = parseEntrypointArguments(
      [
        '--configDir=/conf',
        '--job-classname',
        'Main',
        `--job-id=${JOB_ID.toUpperCase()}`,
        '--fromSavepoint',
        '/sp',
        '--allowNonRestoredState',
      ],
      'application',
    );
    assert.equal(parsed.configDir, '/conf');
    assert.equal(parsed.jobClassName, 'Main');
    assert.equal(parsed.jobId, JOB_ID, 'job ids are normalised to lower case');
    assert.equal(parsed.fromSavepoint, '/sp');
    assert.equal(parsed.allowNonRestoredState, true);
  });

  it('takes -Dk=v and -D k=v alike, keeps = inside values and strips one pair of quotes', () => {
    const parsed = parseEntrypointArguments(
      [
        '-Dscheduler-mode=reactive',
        '-D',
        'execution.checkpointing.interval="10s"',
        "-Denv.java.opts='-Da=b -Dc=d'",
        '-Dk=a=b=c',
        '-D',
        ' spaced.key = v ',
      ],
      'session',
    );
    assert.deepEqual(parsed.dynamicProperties, [
      { key: 'scheduler-mode', value: 'reactive' },
      { key: 'execution.checkpointing.interval', value: '10s' },
      { key: 'env.java.opts', value: '-Da=b -Dc=d' },
      { key: 'k', value: 'a=b=c' },
      { key: 'spaced.key', value: 'v' },
    ]);
  });

  it('stops at the first non-option: the rest, later -D included, are program arguments', () => {
    const parsed = parseEntrypointArguments(
      ['-Dparallelism.default=2', '-j', 'Main', '--input', 'in.txt', '-Dnot.mine=x', '-n'],
      'application',
    );
    assert.deepEqual(parsed.dynamicProperties, [{ key: 'parallelism.default', value: '2' }]);
    assert.deepEqual(parsed.programArgs, ['--input', 'in.txt', '-Dnot.mine=x', '-n']);
    assert.equal(parsed.allowNonRestoredState, false);
  });

  it('ends options at -- and passes everything after it on', () => {
    const parsed = parseEntrypointArguments(['-Da=1', '--', '-Db=2', '-j', 'X'], 'application');
    assert.deepEqual(parsed.dynamicProperties, [{ key: 'a', value: '1' }]);
    assert.deepEqual(parsed.programArgs, ['-Db=2', '-j', 'X']);
    assert.equal(parsed.jobClassName, undefined);
  });

  it('refuses a job id that is not 32 hexadecimal characters, naming it', () => {
    for (const bad of ['1234', `${JOB_ID}0`, 'g'.repeat(32)]) {
      assert.throws(() => parseEntrypointArguments(['--job-id', bad], 'application'), usage(new RegExp(`'${bad}' is not a job id`)));
    }
  });

  it('refuses options without their values', () => {
    assert.throws(() => parseEntrypointArguments(['-j'], 'application'), usage(/Missing argument for option: -j/));
    assert.throws(() => parseEntrypointArguments(['-Da=1', '--configDir'], 'session'), usage(/Missing argument for option: --configDir/));
    assert.throws(() => parseEntrypointArguments(['-D'], 'taskmanager'), usage(/Missing argument for option: D/));
  });

  it('refuses a -D without key=value', () => {
    assert.throws(() => parseEntrypointArguments(['-Dfoo'], 'session'), usage(/Invalid dynamic property '-Dfoo'/));
    assert.throws(() => parseEntrypointArguments(['-D', '=value'], 'session'), usage(/Invalid dynamic property/));
  });

  it('makes the TaskManager and session entry points refuse anything but --configDir and -D', () => {
    assert.throws(
      () => parseEntrypointArguments(['--configDir', '/c', 'extra'], 'taskmanager'),
      usage(/Unexpected argument 'extra': this entry point accepts only --configDir and -D key=value/),
    );
    assert.throws(() => parseEntrypointArguments(['-j', 'Main'], 'taskmanager'), usage(/Unexpected argument '-j'/));
    assert.throws(() => parseEntrypointArguments(['-n'], 'session'), usage(/Unexpected argument '-n'/));
    assert.deepEqual(parseEntrypointArguments(['-c', '/c', '-Dx=y'], 'taskmanager').dynamicProperties, [{ key: 'x', value: 'y' }]);
  });

  it("gives the autoscaler the TaskManager's arguments: --configDir and -D only", () => {
    const parsed = parseEntrypointArguments(['--configDir', '/c', '-Djob.autoscaler.scaling.enabled=false'], 'autoscaler');
    assert.equal(parsed.configDir, '/c');
    assert.deepEqual(parsed.dynamicProperties, [{ key: 'job.autoscaler.scaling.enabled', value: 'false' }]);
    assert.throws(
      () => parseEntrypointArguments(['--host', 'x'], 'autoscaler'),
      usage(/Unexpected argument '--host': this entry point accepts only --configDir and -D key=value/),
    );
  });

  it("takes Flink's --host and --webui-port on the JobManager entry points, as jobmanager.rpc.address and rest.port", () => {
    const parsed = parseEntrypointArguments(['--host', '10.1.2.3', '-r', '8082', '--job-classname', 'Main', '--arg'], 'application');
    assert.deepEqual(parsed.dynamicProperties, [
      { key: 'jobmanager.rpc.address', value: '10.1.2.3' },
      { key: 'rest.port', value: '8082' },
    ]);
    assert.equal(parsed.jobClassName, 'Main');
    assert.deepEqual(parsed.programArgs, ['--arg']);
    assert.deepEqual(parseEntrypointArguments(['-h', 'jm-0'], 'session').dynamicProperties, [
      { key: 'jobmanager.rpc.address', value: 'jm-0' },
    ]);
    assert.throws(() => parseEntrypointArguments(['--host', 'x'], 'taskmanager'), usage(/Unexpected argument '--host'/));
  });

  it('accepts no arguments at all', () => {
    const parsed = parseEntrypointArguments([], 'application');
    assert.deepEqual(parsed.programArgs, []);
    assert.equal(parsed.configDir, undefined);
  });
});

describe('parseDynamicProperty and stripQuotes', () => {
  it('allows an empty value and strips only matching outer quotes', () => {
    assert.deepEqual(parseDynamicProperty('pipeline.name='), { key: 'pipeline.name', value: '' });
    assert.equal(stripQuotes('"x"'), 'x');
    assert.equal(stripQuotes("'x'"), 'x');
    assert.equal(stripQuotes('"x\''), '"x\'');
    assert.equal(stripQuotes('"'), '"');
    assert.equal(stripQuotes('""'), '');
  });
});
