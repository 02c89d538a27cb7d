import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { allLocal, readHostList } from '../../../src/cli/commands/host-list.js';
import { UsageError } from '../../../src/core/errors.js';

describe('readHostList', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-hosts-'));
  let counter = 0;
  const file = (content: string): string => {
    const path = join(dir, `hosts-${counter++}`);
    writeFileSync(path, content);
    return path;
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('skips comments and blank lines, and trims whitespace and CRLF endings', () => {
    const path = file('# masters\n\nlocalhost:8081  # the web UI port\r\n   \n  worker-1\t\n#commented-out\n');
    assert.deepEqual(readHostList(path, 'masters'), [
      { host: 'localhost', port: 8081 },
      { host: 'worker-1', port: undefined },
    ]);
  });

  it('cuts a network-topology prefix to the host name', () => {
    const path = file('/rack1/host-a\n/dc/rack2/host-b:9000\nplain.example.com\n');
    assert.deepEqual(readHostList(path, 'workers'), [
      { host: 'host-a', port: undefined },
      { host: 'host-b', port: 9000 },
      { host: 'plain.example.com', port: undefined },
    ]);
  });

  it('refuses a line that is not host[:port], naming the line and the expected form', () => {
    for (const bad of ['two hosts', 'host:port', 'host:80:81', 'bad_host!']) {
      assert.throws(
        () => readHostList(file(`localhost\n${bad}\n`), 'masters'),
        (error: unknown) =>
          error instanceof UsageError && error.message === `Invalid host '${bad}' in conf/masters: expected host[:webuiport].`,
      );
    }
    assert.throws(
      () => readHostList(file('a b\n'), 'workers'),
      (error: unknown) => error instanceof UsageError && /expected host\.$/.test(error.message),
    );
  });

  it('says which file is missing', () => {
    assert.throws(
      () => readHostList(join(dir, 'nope'), 'workers'),
      (error: unknown) => error instanceof UsageError && error.message === "No workers file. Please specify workers in 'conf/workers'.",
    );
  });

  it('reads an empty file as no hosts', () => {
    assert.deepEqual(readHostList(file('# nothing\n'), 'workers'), []);
  });
});

describe('allLocal', () => {
  it('is true only when every host is localhost or 127.0.0.1', () => {
    assert.equal(
      allLocal([
        { host: 'localhost', port: 8081 },
        { host: '127.0.0.1', port: undefined },
      ]),
      true,
    );
    assert.equal(
      allLocal([
        { host: 'localhost', port: undefined },
        { host: 'worker-1', port: undefined },
      ]),
      false,
    );
    assert.equal(allLocal([]), true);
  });
});
