import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { legacyJobManagerArgs } from '../../../src/cli/commands/scripts.js';

describe('legacyJobManagerArgs', () => {
  it('leaves arguments that start with an option untouched', () => {
    assert.deepEqual(legacyJobManagerArgs([]), []);
    assert.deepEqual(legacyJobManagerArgs(['-Drest.port=8082', 'x']), ['-Drest.port=8082', 'x']);
    assert.deepEqual(legacyJobManagerArgs(['--configDir', '/c']), ['--configDir', '/c']);
  });

  it('turns a host into -D jobmanager.rpc.address', () => {
    assert.deepEqual(legacyJobManagerArgs(['jm-host']), ['-D', 'jobmanager.rpc.address=jm-host']);
  });

  it('turns host and web UI port into -D jobmanager.rpc.address and -D rest.port, keeping what follows', () => {
    assert.deepEqual(legacyJobManagerArgs(['jm-host', '8082', '-Da=b']), [
      '-D',
      'jobmanager.rpc.address=jm-host',
      '-D',
      'rest.port=8082',
      '-Da=b',
    ]);
  });

  it('reads a -D right after the host as an option, not as the port', () => {
    assert.deepEqual(legacyJobManagerArgs(['jm-host', '-Da=b', '-Dc=d']), ['-D', 'jobmanager.rpc.address=jm-host', '-Da=b', '-Dc=d']);
  });
});
