import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { RpcError, TsFlinkError } from '../../../src/core/errors.js';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { encodeFrame, frameHeader } from '../../../src/rpc/frame-decoder.js';
import { createGatewayProxy, RpcDispatcher, type GatewaySpec } from '../../../src/rpc/gateway.js';
import { initiateHandshake } from '../../../src/rpc/handshake.js';
import { encodeMessage } from '../../../src/rpc/message-codec.js';
import { connectRpc } from '../../../src/rpc/rpc-client.js';
import type { RpcConnection } from '../../../src/rpc/rpc-connection.js';
import { RpcServer } from '../../../src/rpc/rpc-server.js';
import { closed, tempSocketDir } from '../../helpers/unix-sockets.js';

/** The gateway the test server exposes. */
interface EchoGateway {
  echo(value: unknown): Promise<unknown>;
  fail(message: string): Promise<void>;
  slow(ms: number): Promise<string>;
  note(value: string): void;
}

const ECHO: GatewaySpec<EchoGateway> = {
  name: 'echo',
  methods: { echo: 'request', fail: 'request', slow: 'request', note: 'notification' },
  timeouts: { slow: 300 },
};

/** The gateway the test client exposes, so the server can call back. */
interface ClientGateway {
  whoAreYou(): Promise<string>;
}
const CLIENT_GATEWAY: GatewaySpec<ClientGateway> = { name: 'client', methods: { whoAreYou: 'request' } };

class BrokenStateError extends TsFlinkError {
  constructor() {
    super('STATE_ERROR', 'the remote state is broken');
  }
}

function throwDeepInsideTheServer(message: string): never {
  if (message === 'typed') throw new BrokenStateError();
  throw new Error(message);
}

const rpcError =
  (code: string, pattern: RegExp) =>
  (error: unknown): boolean =>
    error instanceof RpcError && error.code === code && pattern.test(error.message);

/** An error raised on the other end arrives rebuilt from its serialized form, keeping name and code. */
const remoteError =
  (code: string, pattern: RegExp) =>
  (error: unknown): boolean =>
    error instanceof Error && error.name === 'RpcError' && (error as { code?: string }).code === code && pattern.test(error.message);

/** Server-side connections as the server accepts them; `accepted` fires for each. */
const acceptance = new EventEmitter();

/** The first server-side connection `probe` picks, now or as soon as the server accepts it. */
async function waitForOpen<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await once(acceptance, 'accepted');
  }
}

/** Resolves when `connection` emits 'close', with the reason. */
const closeReason = (connection: RpcConnection): Promise<string> => once(connection, 'close').then(([reason]) => reason as string);

describe('RpcConnection and gateways over a real Unix socket', () => {
  const dir = tempSocketDir();
  const address = { kind: 'unix' as const, path: dir.path('rpc.sock') };
  const secret = randomBytes(32);
  const notes: string[] = [];
  const invoked: string[] = [];
  const serverConnections: RpcConnection[] = [];
  const clients: RpcConnection[] = [];
  const logs = new MemoryLogSink();
  let server: RpcServer;
  const slowCalls: Array<() => void> = [];

  const impl: EchoGateway = {
    echo: async (value) => {
      invoked.push('echo');
      return value;
    },
    fail: async (message) => throwDeepInsideTheServer(message),
    // Answers only when the test releases it, so a late answer comes exactly when the test wants it.
    slow: async () => {
      await new Promise<void>((resolve) => slowCalls.push(resolve));
      return 'late';
    },
    note: (value) => {
      invoked.push('note');
      notes.push(value);
    },
  };

  const client = async (id: string): Promise<RpcConnection> => {
    const connection = await connectRpc(address, secret, { role: 'taskmanager', id });
    const dispatcher = new RpcDispatcher().register(CLIENT_GATEWAY, { whoAreYou: async () => `I am ${id}` });
    connection.setHandler(dispatcher);
    clients.push(connection);
    return connection;
  };

  before(async () => {
    configureLogging(logs, 'WARN');
    server = new RpcServer(address, secret, { role: 'jobmanager', id: 'jm-test' }, (connection) => {
      connection.setHandler(new RpcDispatcher().register(ECHO, impl));
      serverConnections.push(connection);
      acceptance.emit('accepted');
    });
    await server.start();
  });
  after(async () => {
    for (const c of clients) c.close('test over');
    await server.stop();
    dir.remove();
  });

  it('answers requests, including binary attachments, through a typed proxy', async () => {
    const echo = createGatewayProxy(await client('req'), ECHO);
    const value = { id: 'x', bytes: new Uint8Array([1, 2, 3]), list: [Buffer.from('ab')] };
    const answer = (await echo.echo(value)) as { id: string; bytes: Uint8Array; list: Uint8Array[] };
    assert.equal(answer.id, 'x');
    assert.deepEqual([...answer.bytes], [1, 2, 3]);
    assert.equal(Buffer.from(answer.list[0]!).toString(), 'ab');
    assert.equal(await echo.echo(undefined), null, 'an undefined result travels as null');
  });

  it('lets the server call the client back on the same connection', async () => {
    await client('callback');
    const serverSide = serverConnections.find((c) => c.peer.id === 'callback');
    assert.ok(serverSide !== undefined);
    assert.equal(await createGatewayProxy(serverSide, CLIENT_GATEWAY).whoAreYou(), 'I am callback');
  });

  it('rejects with the remote error: message, name, code and the remote stack', async () => {
    const echo = createGatewayProxy(await client('errors'), ECHO);
    await assert.rejects(echo.fail('plain failure'), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.message, 'plain failure');
      assert.match(error.stack ?? '', /throwDeepInsideTheServer/, 'the stack is the one thrown on the server');
      return true;
    });
    await assert.rejects(echo.fail('typed'), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'BrokenStateError');
      assert.equal((error as { code?: string }).code, 'STATE_ERROR');
      assert.equal(error.message, 'the remote state is broken');
      return true;
    });
  });

  it('times out a request after the timeout of its spec, ignores the late answer, and stays usable', async () => {
    const connection = await client('timeout');
    const echo = createGatewayProxy(connection, ECHO);
    await assert.rejects(echo.slow(1000), rpcError('RPC_TIMEOUT', /call echo\.slow to jobmanager jm-test timed out after 300 ms/));
    slowCalls.shift()!(); // the late answer goes out now and must be dropped quietly
    // Frames arrive in order: once this answer is in, the late one was handled before it.
    assert.equal(await echo.echo('still here'), 'still here');
    assert.equal(connection.isClosed, false);
  });

  it('delivers notifications without an answer', async () => {
    const echo = createGatewayProxy(await client('notify'), ECHO);
    assert.equal(echo.note('one-way'), undefined);
    assert.equal(await echo.echo('barrier'), 'barrier'); // frames are ordered: the note arrived first
    assert.deepEqual(notes, ['one-way']);
  });

  it('refuses requests and drops notifications whose fencing token is not the current leader', async () => {
    const connection = await client('fenced');
    const serverSide = await waitForOpen(() => serverConnections.find((c) => c.peer.id === 'fenced'));
    let leader = 'session-1';
    serverSide.acceptsFencingToken = (token) => token === leader;
    const echo = createGatewayProxy(connection, ECHO);
    connection.fencingToken = 'session-1';
    assert.equal(await echo.echo('from the leader'), 'from the leader');
    leader = 'session-2';
    await assert.rejects(echo.echo('from a deposed leader'), remoteError('FENCING_TOKEN_MISMATCH', /not the current leader/));
    const notesBefore = notes.length;
    echo.note('deposed');
    connection.fencingToken = 'session-2';
    echo.note('current');
    assert.equal(await echo.echo('barrier'), 'barrier');
    assert.deepEqual(notes.slice(notesBefore), ['current'], "the deposed leader's notification is dropped");
  });

  it('refuses methods that are not in a registered spec, including inherited object members', async () => {
    const connection = await client('unknown');
    for (const method of ['echo.nope', 'other.echo', 'echo', 'echo.toString', 'echo.hasOwnProperty', 'echo.constructor', '.echo']) {
      await assert.rejects(
        connection.call(method, [], 2000),
        remoteError('RPC_PROTOCOL', new RegExp(`no such method: ${method.replace('.', '\\.')}`)),
        method,
      );
    }
    assert.equal(connection.isClosed, false, 'a refused call does not end the connection');
  });

  it('refuses a notification called as a request, and a request sent as a notification', async () => {
    const connection = await client('kinds');
    invoked.length = 0;
    await assert.rejects(
      connection.call('echo.note', ['x'], 2000),
      remoteError('RPC_PROTOCOL', /echo\.note is a notification, not a request/),
    );
    connection.notify('echo.echo', ['y']);
    assert.equal(await connection.call('echo.echo', ['z'], 2000), 'z');
    assert.deepEqual(invoked, ['echo'], 'neither misdirected call reached the implementation');
    assert.ok(logs.lines.some((line) => /echo\.echo is a request, not a notification/.test(line)));
  });

  it('rejects pending calls when the connection is closed locally, and every later call at once', async () => {
    const connection = await client('close-local');
    const pending = connection.call('echo.slow', [5000], 10_000);
    const reason = closeReason(connection);
    connection.close('closing for the test');
    await assert.rejects(
      pending,
      rpcError('RPC_CLOSED', /call echo\.slow to jobmanager jm-test failed: connection closed \(closing for the test\)/),
    );
    assert.equal(await reason, 'closing for the test');
    await assert.rejects(connection.call('echo.echo', [1], 1000), rpcError('RPC_CLOSED', /cannot call echo\.echo/));
    assert.doesNotThrow(() => connection.notify('echo.note', ['dropped']));
  });

  it('rejects pending calls when the peer closes the connection', async () => {
    const connection = await client('close-remote');
    const pending = connection.call('echo.slow', [5000], 10_000);
    const serverSide = await waitForOpen(() => serverConnections.find((c) => c.peer.id === 'close-remote'));
    serverSide.close('server going away');
    await assert.rejects(pending, rpcError('RPC_CLOSED', /socket closed by peer/));
  });

  it('closes only the connection that sent a garbage frame', async () => {
    const healthy = createGatewayProxy(await client('healthy'), ECHO);
    for (const garbage of [
      encodeFrame(Buffer.from('definitely not a message')),
      frameHeader(0xffffffff),
      encodeFrame(encodeMessage({ kind: 'request', id: 1, method: 'echo.echo', args: [] }).subarray(0, 6)),
    ]) {
      const socket = connect({ path: address.path });
      await once(socket, 'connect');
      await initiateHandshake(socket, secret, { role: 'taskmanager', id: 'vandal' });
      // Earlier vandals are closed already, so the open one is this socket's server side.
      const vandal = await waitForOpen(() => serverConnections.find((c) => c.peer.id === 'vandal' && !c.isClosed));
      const reason = closeReason(vandal);
      socket.write(garbage);
      assert.match(await reason, /protocol violation/);
      await closed(socket);
      assert.equal(await healthy.echo('unaffected'), 'unaffected');
    }
  });

  it('emits close exactly once, with the first reason', async () => {
    const connection = await client('once');
    const reasons: string[] = [];
    connection.on('close', (why: string) => reasons.push(why));
    const closing = once(connection, 'close');
    connection.close('first');
    connection.close('second');
    await closing;
    await new Promise((resolve) => setImmediate(resolve)); // anything a second close queued would have run
    assert.deepEqual(reasons, ['first']);
  });
});
