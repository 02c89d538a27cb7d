import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Configuration } from '../../../src/config/configuration.js';
import { isLoopbackHost, namesThisHost, resolveClusterNetwork } from '../../../src/rpc/cluster-network.js';
import { clusterSecret, CLUSTER_SECRET_ENV } from '../../../src/rpc/cluster-secret.js';
import type { ClusterRuntime } from '../../../src/rpc/cluster-runtime.js';
import { asResourceId } from '../../helpers/ids.js';

const dir = mkdtempSync(join(tmpdir(), 'tsf-net-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const runtime: ClusterRuntime = {
  dir,
  jobManagerAddress: { kind: 'unix', path: join(dir, 'jm.sock') },
  secretPath: join(dir, 'secret'),
  jobManagerInfoPath: join(dir, 'jobmanager.json'),
};
/** This "host" has one address besides loopback. */
const OWN = new Set(['127.0.0.1', '::1', '192.0.2.10']);

const config = (overrides: Record<string, string | number | boolean> = {}): Configuration => Configuration.empty().withOverrides(overrides);

describe('cluster transport', () => {
  it('stays on Unix sockets while jobmanager.rpc.address is loopback', async () => {
    const network = await resolveClusterNetwork(config({ 'jobmanager.rpc.address': 'localhost' }), runtime, OWN);
    assert.deepEqual(network.jobManagerAddress, runtime.jobManagerAddress);
    assert.deepEqual(network.jobManagerEndpoints, [runtime.jobManagerAddress]);
    assert.equal(network.dataEndpoint(asResourceId('tm-1')).kind, 'unix');
    assert.equal(network.usesTcp, false);
  });

  it('dials TCP when the address names another host, and listens on both where it names this one', async () => {
    const remote = await resolveClusterNetwork(
      config({ 'jobmanager.rpc.address': '192.0.2.99', 'jobmanager.bind-host': '0.0.0.0' }),
      runtime,
      OWN,
    );
    assert.deepEqual(remote.jobManagerAddress, { kind: 'tcp', host: '192.0.2.99', port: 6123 });
    assert.deepEqual(remote.dataEndpoint(asResourceId('tm-1')), { kind: 'tcp', host: '0.0.0.0', port: 0 });
    assert.equal(remote.usesTcp, true);
    const here = await resolveClusterNetwork(config({ 'jobmanager.rpc.address': '192.0.2.10', 'jobmanager.rpc.port': 7000 }), runtime, OWN);
    assert.deepEqual(here.jobManagerAddress, runtime.jobManagerAddress, 'a TaskManager on the JobManager host keeps the Unix socket');
    assert.deepEqual(here.jobManagerEndpoints, [runtime.jobManagerAddress, { kind: 'tcp', host: '0.0.0.0', port: 7000 }]);
  });

  it('goes TCP on one host with cluster.transport: tcp, and refuses a port of 0 then', async () => {
    const tcp = await resolveClusterNetwork(config({ 'cluster.transport': 'tcp', 'jobmanager.bind-host': 'localhost' }), runtime, OWN);
    assert.deepEqual(tcp.jobManagerAddress, { kind: 'tcp', host: 'localhost', port: 6123 });
    await assert.rejects(
      resolveClusterNetwork(config({ 'cluster.transport': 'tcp', 'jobmanager.rpc.port': 0 }), runtime, OWN),
      /jobmanager\.rpc\.port is 0, but this cluster talks over TCP/,
    );
  });

  it('warns about loopback binds and ignores a loopback taskmanager.host when the cluster spans hosts', async () => {
    const network = await resolveClusterNetwork(
      config({
        'jobmanager.rpc.address': '192.0.2.99',
        'jobmanager.bind-host': 'localhost',
        'taskmanager.bind-host': '127.0.0.1',
        'taskmanager.host': 'localhost',
      }),
      runtime,
      OWN,
    );
    assert.equal(network.taskManagerHost, undefined);
    assert.equal(network.warnings.length, 3);
    assert.match(network.warnings.join('\n'), /jobmanager\.bind-host is localhost.*set jobmanager\.bind-host: 0\.0\.0\.0/);
  });

  it('knows loopback names and this host by its addresses', async () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) assert.ok(isLoopbackHost(host), host);
    assert.ok(!isLoopbackHost('192.0.2.10'));
    assert.ok(await namesThisHost('192.0.2.10', OWN));
    assert.ok(!(await namesThisHost('192.0.2.11', OWN)));
    assert.ok(!(await namesThisHost('no-such-host.invalid', OWN)));
  });
});

describe('cluster secret', () => {
  const remote = { 'jobmanager.rpc.address': '192.0.2.99' };

  it('refuses TCP with neither a secret nor TLS, naming both ways out', async () => {
    const network = await resolveClusterNetwork(config(remote), runtime, OWN);
    assert.throws(
      () => clusterSecret(config(remote), network, runtime, 'taskmanager', {}),
      new RegExp(`neither a cluster secret nor internal TLS: set ${CLUSTER_SECRET_ENV} or security\\.cluster-secret\\.file`),
    );
    const open = config({ ...remote, 'security.cluster-secret.required': false });
    assert.equal(clusterSecret(open, network, runtime, 'taskmanager', {})().length, 32);
  });

  it('gives every host holding the same text the same key, from the file or the environment', async () => {
    const file = join(dir, 'secret-file');
    writeFileSync(file, '  the very same secret text \n');
    const withFile = config({ ...remote, 'security.cluster-secret.file': file });
    const network = await resolveClusterNetwork(withFile, runtime, OWN);
    const fromFile = clusterSecret(withFile, network, runtime, 'jobmanager', {})();
    const fromEnv = clusterSecret(config(remote), network, runtime, 'taskmanager', { [CLUSTER_SECRET_ENV]: 'the very same secret text' })();
    assert.deepEqual(fromFile, fromEnv);
    const other = clusterSecret(config(remote), network, runtime, 'taskmanager', {
      [CLUSTER_SECRET_ENV]: 'another secret of some length',
    })();
    assert.notDeepEqual(fromFile, other);
  });

  it('refuses a secret shorter than 16 characters and a file it cannot read', async () => {
    const network = await resolveClusterNetwork(config(remote), runtime, OWN);
    assert.throws(
      () => clusterSecret(config(remote), network, runtime, 'taskmanager', { [CLUSTER_SECRET_ENV]: 'short' }),
      /holds 5 characters; a cluster secret needs at least 16/,
    );
    const missing = config({ ...remote, 'security.cluster-secret.file': join(dir, 'absent') });
    assert.throws(
      () => clusterSecret(missing, network, runtime, 'taskmanager', {}),
      /security\.cluster-secret\.file \S+absent cannot be read \(ENOENT\)/,
    );
  });
});
