import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RpcError } from '../../src/core/errors.js';
import { encodeFrame, frameHeader } from '../../src/rpc/frame-decoder.js';
import { initiateHandshake } from '../../src/rpc/handshake.js';
import { connectRpc } from '../../src/rpc/rpc-client.js';
import type { ClusterRuntime } from '../../src/rpc/cluster-runtime.js';
import { clusterRuntimeOf, nonLoopbackAddresses, processExists, rpcSocketFromLog } from '../helpers/cluster-probes.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

interface TaskManagersResponse {
  taskmanagers: Array<{ id: string }>;
}

const uid = process.getuid?.() ?? -1;
const mode = (path: string): number => lstatSync(path).mode & 0o777;

/** Connects to a Unix socket, writes `bytes`, and resolves once the server has closed the connection. */
async function sendAndAwaitClose(path: string, bytes: Buffer, authenticateWith?: Buffer): Promise<void> {
  const socket: Socket = connect({ path });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  if (authenticateWith !== undefined) await initiateHandshake(socket, authenticateWith, { role: 'taskmanager', id: 'vandal' });
  const closedPromise = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.resume(); // read the challenge and the end of the stream
  socket.write(bytes);
  await closedPromise;
}

/** Whether a TCP connection to host:port is accepted (false on refusal or a 3 s timeout). */
function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('security of a running JobManager', () => {
  const dist = TestDist.create({ config: { 'heartbeat.interval': '200 ms', 'heartbeat.timeout': '5 s' } });
  let url = '';
  let runtime: ClusterRuntime;

  const taskManagerCount = async (): Promise<number> => (await getJson<TaskManagersResponse>(url, '/taskmanagers')).taskmanagers.length;

  before(async () => {
    const started = await dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    url = restUrlFrom(started.stdout);
    runtime = clusterRuntimeOf(dist);
    assert.equal(
      rpcSocketFromLog(dist.log('standalonesession', 0)),
      runtime.jobManagerAddress.kind === 'unix' ? runtime.jobManagerAddress.path : '',
      'the test derives the runtime dir as the JobManager does',
    );
  });
  after(() => dist.destroy());

  it('keeps the runtime dir 0700 and ours, and the socket and the secret 0600', () => {
    const socketPath = join(runtime.dir, 'jm.sock');
    for (const dir of [dirname(runtime.dir), runtime.dir]) {
      const stat = statSync(dir);
      assert.ok(stat.isDirectory());
      assert.equal(stat.uid, uid, `${dir} is owned by us`);
      assert.equal(mode(dir), 0o700, `${dir} is 0700, not ${mode(dir).toString(8)}`);
    }
    assert.ok(lstatSync(socketPath).isSocket());
    assert.equal(mode(socketPath), 0o600, `jm.sock is 0600, not ${mode(socketPath).toString(8)}`);
    assert.equal(mode(runtime.secretPath), 0o600);
    assert.equal(lstatSync(runtime.secretPath).uid, uid);
    assert.match(readFileSync(runtime.secretPath, 'utf8').trim(), /^[0-9a-f]{64}$/);
  });

  it('refuses a client with the wrong secret and keeps serving REST and TaskManagers', async () => {
    await assert.rejects(
      connectRpc(runtime.jobManagerAddress, randomBytes(32), { role: 'taskmanager', id: 'intruder' }),
      (error: unknown) => error instanceof RpcError && error.code === 'RPC_REFUSED' && /authentication failed/.test(error.message),
    );
    await waitFor('the refusal in the JobManager log', () =>
      /WARN .*Refused a connection at unix:.*authentication failed/.test(dist.log('standalonesession', 0)) ? true : undefined,
    );
    assert.equal((await getJson<{ taskmanagers: number }>(url, '/overview')).taskmanagers, 0);
    const tm = await dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
    assert.match(tm.stdout, /registered with the JobManager/);
    assert.equal(await taskManagerCount(), 1);
  });

  it('drops garbage and huge length prefixes written to jm.sock and keeps serving', async () => {
    const socketPath = join(runtime.dir, 'jm.sock');
    const secret = Buffer.from(readFileSync(runtime.secretPath, 'utf8').trim(), 'hex');
    const jobManagerPid = dist.pids('standalonesession')[0]!;
    await sendAndAwaitClose(socketPath, Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    await sendAndAwaitClose(socketPath, Buffer.concat([frameHeader(0xffffffff), randomBytes(64)]));
    await sendAndAwaitClose(socketPath, encodeFrame(randomBytes(200)));
    // The same after authenticating: a garbage frame, then a prefix above the 256 MiB limit.
    await sendAndAwaitClose(socketPath, encodeFrame(Buffer.from('not an rpc message')), secret);
    await sendAndAwaitClose(socketPath, frameHeader(0xfffffff0), secret);
    assert.ok(processExists(jobManagerPid), 'the JobManager is still running');
    assert.equal(
      (await getJson<{ taskmanagers: number }>(url, '/overview')).taskmanagers,
      1,
      'the registered TaskManager was not disturbed',
    );
    const good = await connectRpc(runtime.jobManagerAddress, secret, { role: 'client', id: 'after-garbage' });
    good.close('done');
    const tm = await dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
    await waitFor('two TaskManagers', async () => ((await taskManagerCount()) === 2 ? true : undefined));
  });

  it('never writes the secret into a .log or .out file or a REST response', async () => {
    const hex = readFileSync(runtime.secretPath, 'utf8').trim();
    const forms = [hex, hex.toUpperCase(), Buffer.from(hex, 'hex').toString('base64')];
    const files = readdirSync(dist.logDir).filter((name) => /\.(log|out)(\.\d+)?$/.test(name));
    assert.ok(files.length >= 4, `expected logs of the JobManager and two TaskManagers, found ${files.join(', ')}`);
    for (const name of files) {
      const content = readFileSync(join(dist.logDir, name), 'utf8');
      for (const form of forms) assert.equal(content.includes(form), false, `${name} contains the secret`);
    }
    const ids = (await getJson<TaskManagersResponse>(url, '/taskmanagers')).taskmanagers.map((tm) => tm.id);
    const paths = [
      '/overview',
      '/v1/overview',
      '/taskmanagers',
      ...ids.map((id) => `/taskmanagers/${encodeURIComponent(id)}`),
      '/nope',
      '/taskmanagers/unknown',
    ];
    for (const path of paths) {
      const body = await (await fetch(`${url}${path}`)).text();
      for (const form of forms) assert.equal(body.includes(form), false, `GET ${path} contains the secret`);
    }
  });

  it('listens for REST on loopback only by default', async (t) => {
    const port = Number(new URL(url).port);
    assert.equal(new URL(url).hostname, 'localhost');
    assert.equal((await fetch(`${url}/overview`)).status, 200);
    const addresses = nonLoopbackAddresses();
    if (addresses.length === 0) {
      t.diagnostic('This machine has no non-loopback address, so the check that REST is unreachable from outside could not be made here.');
      return;
    }
    for (const address of addresses) {
      assert.equal(await tcpAccepts(address, port), false, `REST answered on ${address}:${port}`);
    }
  });
});
