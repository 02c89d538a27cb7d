import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CHECKPOINTING_INTERVAL,
  HEARTBEAT_INTERVAL,
  HEARTBEAT_TIMEOUT,
  METRICS_REPORTERS,
  PARALLELISM_DEFAULT,
  REST_PORT,
  RESTART_STRATEGY_TYPE,
  TASK_MANAGER_NUM_TASK_SLOTS,
  loadConfiguration,
  resolveConfDir,
} from '../../../src/config/index.js';
import { configError, withConfDir } from './config-test-utils.js';

describe('loadConfiguration: sources and precedence', () => {
  it('applies defaults < config.yaml < -D', async () => {
    await withConfDir({ 'config.yaml': 'rest.port: 9000\nparallelism.default: 2\n' }, async (dir) => {
      const { configuration, sourceFile } = await loadConfiguration({
        confDir: dir,
        dynamicProperties: [{ key: 'parallelism.default', value: '4' }],
      });
      assert.equal(sourceFile, join(dir, 'config.yaml'));
      assert.equal(configuration.get(HEARTBEAT_INTERVAL), 10_000);
      assert.equal(configuration.get(REST_PORT), 9000);
      assert.equal(configuration.get(PARALLELISM_DEFAULT), 4);
      assert.equal(configuration.origin('parallelism.default'), '-D');
    });
  });

  it('reads config.yaml and ignores flink-conf.yaml when both exist', async () => {
    await withConfDir(
      { 'config.yaml': 'rest.port: 9001\n', 'flink-conf.yaml': 'rest.port: 9002\nparallelism.default: 7\n' },
      async (dir) => {
        const { configuration, sourceFile } = await loadConfiguration({ confDir: dir });
        assert.equal(sourceFile, join(dir, 'config.yaml'));
        assert.equal(configuration.get(REST_PORT), 9001);
        assert.equal(configuration.get(PARALLELISM_DEFAULT), 1);
      },
    );
  });

  it('refuses a config.yaml (or flink-conf.yaml) that exists but cannot be read, in one line', async () => {
    await withConfDir({ 'flink-conf.yaml': 'rest.port: 9002\n' }, async (dir) => {
      mkdirSync(join(dir, 'config.yaml'));
      const error = await configError(() => loadConfiguration({ confDir: dir }));
      assert.equal(
        error.message,
        `Cannot read the configuration file ${join(dir, 'config.yaml')}: it is a directory; make it a readable YAML file or remove it.`,
      );
    });
    await withConfDir({}, async (dir) => {
      mkdirSync(join(dir, 'flink-conf.yaml'));
      assert.match((await configError(() => loadConfiguration({ confDir: dir }))).message, /flink-conf\.yaml: it is a directory/);
    });
  });

  it('treats an empty config.yaml as present', async () => {
    await withConfDir({ 'config.yaml': '# only comments\n', 'flink-conf.yaml': 'rest.port: 9002\n' }, async (dir) => {
      const { configuration, sourceFile } = await loadConfiguration({ confDir: dir });
      assert.equal(sourceFile, join(dir, 'config.yaml'));
      assert.equal(configuration.get(REST_PORT), 8081);
    });
    await withConfDir({ 'config.yaml': '' }, async (dir) => {
      assert.deepEqual((await loadConfiguration({ confDir: dir })).configuration.entries(), []);
    });
  });

  it('falls back to the legacy flink-conf.yaml with a warning', async () => {
    const legacy = [
      '# a comment',
      'rest.port: 9003',
      'taskmanager.numberOfTaskSlots: 3 # trailing comment',
      'restart-strategy:fixed-delay',
      ': orphan value',
      'metrics.reporters: a;b',
      'rest.port: 9004',
      '',
    ].join('\n');
    await withConfDir({ 'flink-conf.yaml': legacy }, async (dir) => {
      const { configuration, warnings, sourceFile } = await loadConfiguration({ confDir: dir });
      assert.equal(sourceFile, join(dir, 'flink-conf.yaml'));
      assert.equal(configuration.get(REST_PORT), 9004);
      assert.equal(configuration.origin('rest.port'), `${join(dir, 'flink-conf.yaml')}:7`);
      assert.equal(configuration.get(TASK_MANAGER_NUM_TASK_SLOTS), 3);
      assert.deepEqual(configuration.get(METRICS_REPORTERS), ['a', 'b']);
      assert.equal(configuration.isExplicitlySet(RESTART_STRATEGY_TYPE), false);
      assert.ok(
        warnings.some((w) => w.includes('legacy')),
        warnings.join('\n'),
      );
      assert.ok(
        warnings.some((w) => w.includes(':4') && w.includes('missing space after')),
        warnings.join('\n'),
      );
      assert.ok(
        warnings.some((w) => w.includes(':5') && w.includes('empty')),
        warnings.join('\n'),
      );
    });
  });

  it('accepts a conf dir without a config file, with a warning', async () => {
    await withConfDir({}, async (dir) => {
      const { configuration, warnings, sourceFile } = await loadConfiguration({ confDir: dir });
      assert.equal(sourceFile, undefined);
      assert.equal(configuration.get(REST_PORT), 8081);
      assert.ok(
        warnings.some((w) => w.startsWith(`No configuration file in ${dir}`)),
        warnings.join('\n'),
      );
    });
  });

  it('turns a broken package.json in the working directory into a one-line ConfigurationError', async () => {
    await withConfDir({ 'package.json': '{broken', 'config.yaml': 'rest.port: 1\n' }, async (dir) => {
      const previous = process.cwd();
      process.chdir(dir);
      try {
        const error = await configError(() => loadConfiguration({ confDir: dir }));
        assert.match(error.message, new RegExp(`^Could not read the configuration in ${dir}: JSON Error in ${join(dir, 'package.json')}$`));
      } finally {
        process.chdir(previous);
      }
    });
  });

  it('fails for a missing conf dir, naming it', async () => {
    await withConfDir({}, async (dir) => {
      const missing = join(dir, 'nope');
      const error = await configError(() => loadConfiguration({ confDir: missing }));
      assert.match(error.message, new RegExp(`^The configuration directory '${missing}' \\(${missing}\\) does not exist`));
    });
  });
});

describe('loadConfiguration: config.yaml syntax', () => {
  it('flattens nested mappings and allows mixing dotted keys', async () => {
    const yaml =
      'heartbeat:\n  interval: 2 s\n  timeout: 20 s\nrestart-strategy:\n  type: FixedDelay\nexecution.checkpointing:\n  interval: "10s"\n';
    await withConfDir({ 'config.yaml': yaml }, async (dir) => {
      const { configuration } = await loadConfiguration({ confDir: dir });
      assert.equal(configuration.get(HEARTBEAT_INTERVAL), 2_000);
      assert.equal(configuration.get(HEARTBEAT_TIMEOUT), 20_000);
      assert.equal(configuration.get(RESTART_STRATEGY_TYPE), 'fixed-delay');
      assert.equal(configuration.get(CHECKPOINTING_INTERVAL), 10_000);
      assert.equal(configuration.origin('heartbeat.timeout'), `${join(dir, 'config.yaml')}:3`);
      assert.equal(configuration.origin('execution.checkpointing.interval'), `${join(dir, 'config.yaml')}:7`);
    });
  });

  it('keeps scalar text as written and joins lists with ;', async () => {
    const yaml =
      'a.hex: 0x10\na.float: 1.50\na.bool: TRUE\na.quoted: "x # y"\nmetrics.reporters: [prom, jmx]\nb:\n  - one\n  - {k: v, k2: v2}\n';
    await withConfDir({ 'config.yaml': yaml }, async (dir) => {
      const { configuration } = await loadConfiguration({ confDir: dir });
      assert.equal(configuration.rawValue('a.hex'), '0x10');
      assert.equal(configuration.rawValue('a.float'), '1.50');
      assert.equal(configuration.rawValue('a.bool'), 'TRUE');
      assert.equal(configuration.rawValue('a.quoted'), 'x # y');
      assert.equal(configuration.rawValue('metrics.reporters'), 'prom;jmx');
      assert.deepEqual(configuration.get(METRICS_REPORTERS), ['prom', 'jmx']);
      assert.equal(configuration.rawValue('b'), 'one;k:v,k2:v2');
    });
  });

  it('skips keys without a value, with a warning', async () => {
    await withConfDir({ 'config.yaml': 'pipeline.name:\nrest.port: ~\nparallelism.default: 2\n' }, async (dir) => {
      const { configuration, warnings } = await loadConfiguration({ confDir: dir });
      assert.equal(configuration.rawValue('pipeline.name'), undefined);
      assert.equal(configuration.get(REST_PORT), 8081);
      assert.equal(warnings.filter((w) => w.includes('has no value')).length, 2);
    });
  });

  it('rejects duplicate keys, also after flattening', async () => {
    await withConfDir({ 'config.yaml': 'rest.port: 1\nrest.port: 2\n' }, async (dir) => {
      const error = await configError(() => loadConfiguration({ confDir: dir }));
      assert.match(
        error.message,
        new RegExp(`^Invalid YAML in configuration file ${join(dir, 'config.yaml')}:2: duplicate key 'rest.port'`),
      );
    });
    await withConfDir({ 'config.yaml': 'rest:\n  port: 1\nrest.port: 2\n' }, async (dir) => {
      const error = await configError(() => loadConfiguration({ confDir: dir }));
      assert.match(error.message, /config\.yaml:3: duplicate key 'rest.port' \(first set at line 2\)/);
    });
  });

  it('reports malformed YAML with its line', async () => {
    await withConfDir({ 'config.yaml': 'rest.port: 1\nlist: [a, b\nother: 2\n' }, async (dir) => {
      const error = await configError(() => loadConfiguration({ confDir: dir }));
      assert.match(error.message, /^Invalid YAML in configuration file .*config\.yaml:\d+: .*; expected standard YAML 1\.2/);
      assert.ok(!error.message.includes('\n'));
    });
    await withConfDir({ 'config.yaml': '- just\n- a list\n' }, async (dir) => {
      const error = await configError(() => loadConfiguration({ confDir: dir }));
      assert.match(error.message, /config\.yaml:1: the top level must be a mapping/);
    });
  });
});

describe('loadConfiguration: warnings', () => {
  it('warns about unknown keys with the nearest known key and their origin', async () => {
    await withConfDir({ 'config.yaml': 'rest.port: 1\n\ntaskmanager.numberOfTaskSlot: 2\ncompletely.unrelated: x\n' }, async (dir) => {
      const { configuration, warnings } = await loadConfiguration({
        confDir: dir,
        dynamicProperties: [{ key: 'heartbeat.intervall', value: '1 s' }],
      });
      assert.equal(configuration.get(TASK_MANAGER_NUM_TASK_SLOTS), 1);
      assert.deepEqual(warnings, [
        `Unknown configuration key 'taskmanager.numberOfTaskSlot' (from ${join(dir, 'config.yaml')}:3); did you mean 'taskmanager.numberOfTaskSlots'?`,
        `Unknown configuration key 'completely.unrelated' (from ${join(dir, 'config.yaml')}:4)`,
        "Unknown configuration key 'heartbeat.intervall' (from -D); did you mean 'heartbeat.interval'?",
      ]);
    });
  });

  it('knows keys under pattern prefixes and map options, and deprecated keys', async () => {
    const yaml =
      'metrics.reporter.prom.filterLabelValueCharacters: false\npipeline.jobvertex-parallelism-overrides.abc: 2\nstate.savepoints.dir: /sp\n';
    await withConfDir({ 'config.yaml': yaml }, async (dir) => {
      const { warnings } = await loadConfiguration({ confDir: dir });
      assert.deepEqual(warnings, [
        "Config uses deprecated configuration key 'state.savepoints.dir' instead of proper key 'execution.checkpointing.savepoint-dir'",
      ]);
    });
  });
});

describe('resolveConfDir', () => {
  it('prefers a non-empty FLINK_CONF_DIR and makes it absolute', () => {
    assert.equal(resolveConfDir({ FLINK_CONF_DIR: '/etc/tsflink' }, '/opt/tsflink'), '/etc/tsflink');
    assert.equal(resolveConfDir({ FLINK_CONF_DIR: 'rel' }, '/opt/tsflink'), join(process.cwd(), 'rel'));
    assert.equal(resolveConfDir({ FLINK_CONF_DIR: '  ' }, '/opt/tsflink'), '/opt/tsflink/conf');
    assert.equal(resolveConfDir({}, '/opt/tsflink'), '/opt/tsflink/conf');
  });
});
