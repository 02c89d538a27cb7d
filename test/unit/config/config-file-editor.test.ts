import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { editConfigFile, editConfigText } from '../../../src/config/config-file-editor.js';
import { parseLegacyConfig } from '../../../src/config/legacy-config-parser.js';
import { parseStandardConfig } from '../../../src/config/standard-config-parser.js';
import { parseConfigParserArgs } from '../../../src/cli/commands/config-parser-utils.js';

/** The flattened entries the standard parser reads from `text`. */
function entries(text: string): Record<string, string> {
  return Object.fromEntries(parseStandardConfig(text, 'config.yaml').entries.map((e) => [e.key, e.value]));
}

const NESTED = `# the REST endpoint
rest:
  address: localhost
  port: 8081 # a comment that stays
taskmanager:
  host: localhost
  numberOfTaskSlots: 1
heartbeat.timeout: 50 s
`;

describe('editing config.yaml', () => {
  it('sets a nested key in place, keeping comments, instead of adding a duplicate the parser refuses', () => {
    const edited = editConfigText(NESTED, 'standard', [{ kind: 'set', key: 'rest.port', value: '0' }], 'config.yaml');
    assert.equal(entries(edited)['rest.port'], '0');
    assert.match(edited, /# the REST endpoint/);
    assert.equal(edited.match(/port/g)?.length, 1, edited);
  });

  it('adds a key that is not there at the top level, with inner spaces and colons kept', () => {
    const edited = editConfigText(
      NESTED,
      'standard',
      [
        { kind: 'set', key: 'rest.bind-address', value: '0.0.0.0' },
        { kind: 'set', key: 'execution.checkpointing.dir', value: 'file:///flink-data/checkpoints' },
        { kind: 'set', key: 'heartbeat.timeout', value: '5 s' },
      ],
      'config.yaml',
    );
    const read = entries(edited);
    assert.equal(read['rest.bind-address'], '0.0.0.0');
    assert.equal(read['execution.checkpointing.dir'], 'file:///flink-data/checkpoints');
    assert.equal(read['heartbeat.timeout'], '5 s');
    assert.equal(read['rest.address'], 'localhost');
  });

  it('replaces a value only where it has the expected one, as -repKV does', () => {
    const edited = editConfigText(
      NESTED,
      'standard',
      [
        { kind: 'replace', key: 'rest.address', from: 'localhost', to: '0.0.0.0' },
        { kind: 'replace', key: 'taskmanager.numberOfTaskSlots', from: '4', to: '8' },
        { kind: 'replace', key: 'jobmanager.bind-host', from: 'localhost', to: '0.0.0.0' },
      ],
      'config.yaml',
    );
    const read = entries(edited);
    assert.equal(read['rest.address'], '0.0.0.0');
    assert.equal(read['taskmanager.numberOfTaskSlots'], '1');
    assert.equal(read['jobmanager.bind-host'], undefined, 'a key that is not there is not added by a replace');
  });

  it('removes a key (with -rmKV only when the value matches) and the mappings it leaves empty', () => {
    const kept = editConfigText(NESTED, 'standard', [{ kind: 'remove', key: 'taskmanager.host', value: 'tm-1' }], 'config.yaml');
    assert.equal(entries(kept)['taskmanager.host'], 'localhost');
    const removed = editConfigText(
      NESTED,
      'standard',
      [
        { kind: 'remove', key: 'taskmanager.host', value: 'localhost' },
        { kind: 'remove', key: 'taskmanager.numberOfTaskSlots' },
      ],
      'config.yaml',
    );
    assert.deepEqual(Object.keys(entries(removed)).sort(), ['heartbeat.timeout', 'rest.address', 'rest.port']);
    assert.doesNotMatch(removed, /taskmanager/);
  });

  it('starts a mapping in an empty file', () => {
    assert.deepEqual(entries(editConfigText('', 'standard', [{ kind: 'set', key: 'rest.port', value: '0' }], 'config.yaml')), {
      'rest.port': '0',
    });
  });
});

describe('editing a legacy flink-conf.yaml', () => {
  it('sets, replaces and removes lines, the last line of a key winning as in its parser', () => {
    const text = 'rest.port: 8081\nrest.address: localhost # where clients go\ntaskmanager.host: localhost\n';
    const edited = editConfigText(
      text,
      'legacy',
      [
        { kind: 'set', key: 'rest.port', value: '0' },
        { kind: 'replace', key: 'rest.address', from: 'localhost', to: '0.0.0.0' },
        { kind: 'remove', key: 'taskmanager.host', value: 'localhost' },
      ],
      'flink-conf.yaml',
    );
    const read = Object.fromEntries(parseLegacyConfig(edited, 'flink-conf.yaml').entries.map((e) => [e.key, e.value]));
    assert.deepEqual(read, { 'rest.address': '0.0.0.0', 'rest.port': '0' });
  });
});

describe('bin/config-parser-utils.sh arguments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-edit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads Flink's forms: -D key=value, -Dkey=value, -repKV, -rmKV and -rmKey", () => {
    const request = parseConfigParserArgs([
      '/conf',
      '/bin',
      '/lib',
      '-D',
      'a.b=1',
      '-Dc.d=x=y',
      '-repKV',
      'e,old,new',
      '-rmKV',
      'f=v',
      '-rmKey',
      'g',
    ]);
    assert.equal(request.confDir, '/conf');
    assert.deepEqual(request.edits, [
      { kind: 'set', key: 'a.b', value: '1' },
      { kind: 'set', key: 'c.d', value: 'x=y' },
      { kind: 'replace', key: 'e', from: 'old', to: 'new' },
      { kind: 'remove', key: 'f', value: 'v' },
      { kind: 'remove', key: 'g' },
    ]);
  });

  it('refuses missing directories, unknown flags and a malformed -repKV in one line', () => {
    assert.throws(() => parseConfigParserArgs(['/conf']), /Usage: config-parser-utils\.sh <CONF_DIR> <BIN_DIR> <LIB_DIR>/);
    assert.throws(() => parseConfigParserArgs(['/conf', '/bin', '/lib', '--set']), /Unknown argument '--set'/);
    assert.throws(() => parseConfigParserArgs(['/conf', '/bin', '/lib', '-repKV', 'a,b']), /expected key,old,new/);
    assert.throws(() => parseConfigParserArgs(['/conf', '/bin', '/lib', '-D']), /Missing argument for -D/);
  });

  it('edits config.yaml of the conf dir, or flink-conf.yaml when that is the only file', () => {
    writeFileSync(join(dir, 'flink-conf.yaml'), 'rest.port: 8081\n');
    assert.equal(editConfigFile(dir, [{ kind: 'set', key: 'rest.port', value: '0' }]), join(dir, 'flink-conf.yaml'));
    assert.equal(readFileSync(join(dir, 'flink-conf.yaml'), 'utf8'), 'rest.port: 0\n');
    writeFileSync(join(dir, 'config.yaml'), NESTED);
    assert.equal(editConfigFile(dir, [{ kind: 'set', key: 'rest.port', value: '1' }]), join(dir, 'config.yaml'));
    assert.equal(entries(readFileSync(join(dir, 'config.yaml'), 'utf8'))['rest.port'], '1');
    assert.throws(() => editConfigFile(join(dir, 'missing'), []), /does not exist or is not a directory/);
  });
});
