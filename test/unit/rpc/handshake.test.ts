import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RpcError } from '../../../src/core/errors.js';
import { frameHeader } from '../../../src/rpc/frame-decoder.js';
import {
  HANDSHAKE_MAX_FRAME_BYTES,
  HANDSHAKE_TIMEOUT_MS,
  PROTOCOL_VERSION,
  acceptHandshake,
  initiateHandshake,
} from '../../../src/rpc/handshake.js';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { FrameReader, closed, socketPair, writeJsonFrame, type SocketPair } from '../../helpers/unix-sockets.js';

const SERVER = { role: 'jobmanager', id: 'jm-1' };
const CLIENT = { role: 'taskmanager', id: 'tm-1' };

const hmac = (secret: Buffer, ...parts: string[]): string => createHmac('sha256', secret).update(parts.join('\n')).digest('hex');

const rpcError =
  (code: string, pattern: RegExp) =>
  (error: unknown): boolean =>
    error instanceof RpcError && error.code === code && pattern.test(error.message);

describe('handshake', () => {
  const pairs: SocketPair[] = [];
  const pair = async (): Promise<SocketPair> => {
    const p = await socketPair();
    pairs.push(p);
    return p;
  };
  before(() => configureLogging(new MemoryLogSink(), 'ERROR'));
  after(async () => {
    await Promise.all(pairs.map((p) => p.close()));
  });

  it('authenticates both sides when they share the secret, and names each peer to the other', async () => {
    const { client, server } = await pair();
    const secret = randomBytes(32);
    const [accepted, initiated] = await Promise.all([acceptHandshake(server, secret, SERVER), initiateHandshake(client, secret, CLIENT)]);
    assert.deepEqual(accepted.peer, CLIENT);
    assert.deepEqual(initiated.peer, SERVER);
    assert.equal(client.destroyed || server.destroyed, false, 'both sockets stay open for the RPC connection');
  });

  it('refuses a client with the wrong secret on both sides, and tells the client why', async () => {
    const { client, server } = await pair();
    const [accepted, initiated] = await Promise.allSettled([
      acceptHandshake(server, randomBytes(32), SERVER),
      initiateHandshake(client, randomBytes(32), CLIENT),
    ]);
    assert.equal(accepted.status, 'rejected');
    assert.ok(rpcError('RPC_REFUSED', /authentication failed/)(accepted.status === 'rejected' ? accepted.reason : undefined));
    assert.equal(initiated.status, 'rejected');
    assert.ok(
      rpcError(
        'RPC_REFUSED',
        /refused by the server: authentication failed/,
      )(initiated.status === 'rejected' ? initiated.reason : undefined),
    );
  });

  it('makes the client refuse a server that accepts it without proving it holds the secret', async () => {
    const { client, server } = await pair();
    const secret = randomBytes(32);
    const reader = new FrameReader(server);
    writeJsonFrame(server, { proto: 'tsflink', v: PROTOCOL_VERSION, nonce: 'n0' });
    const initiated = initiateHandshake(client, secret, CLIENT);
    const hello = await reader.nextJson();
    assert.equal(hello['mac'], hmac(secret, 'n0', CLIENT.role, CLIENT.id), 'the client proves itself with an HMAC over our nonce');
    assert.equal(JSON.stringify(hello).includes(secret.toString('hex')), false, 'the secret itself never crosses the wire');
    // An impostor answers "ok" with a MAC made from a secret of its own.
    writeJsonFrame(server, {
      ok: true,
      role: 'jobmanager',
      id: 'fake',
      mac: hmac(randomBytes(32), String(hello['cnonce']), 'jobmanager', 'fake'),
    });
    await assert.rejects(initiated, rpcError('RPC_REFUSED', /could not prove it holds this cluster's secret/));
  });

  it('refuses a client speaking another protocol version', async () => {
    const { client, server } = await pair();
    const secret = randomBytes(32);
    const accepted = acceptHandshake(server, secret, SERVER);
    const reader = new FrameReader(client);
    const challenge = await reader.nextJson();
    writeJsonFrame(client, {
      proto: 'tsflink',
      v: PROTOCOL_VERSION + 1,
      role: 'taskmanager',
      id: 'x',
      cnonce: 'c',
      mac: hmac(secret, String(challenge['nonce']), 'taskmanager', 'x'),
    });
    await assert.rejects(accepted, rpcError('RPC_REFUSED', new RegExp(`unsupported protocol version ${PROTOCOL_VERSION + 1}`)));
    const answer = await reader.nextJson();
    assert.equal(answer['ok'], false);
    assert.match(String(answer['error']), /unsupported protocol version/);
  });

  it('makes the client refuse a server speaking another protocol version', async () => {
    const { client, server } = await pair();
    writeJsonFrame(server, { proto: 'tsflink', v: 99, nonce: 'n' });
    await assert.rejects(initiateHandshake(client, randomBytes(32), CLIENT), rpcError('RPC_REFUSED', /server speaks protocol version 99/));
  });

  it('makes the client refuse an endpoint that is not tsflink', async () => {
    const { client, server } = await pair();
    writeJsonFrame(server, { hello: 'world' });
    await assert.rejects(initiateHandshake(client, randomBytes(32), CLIENT), rpcError('RPC_PROTOCOL', /not a tsflink endpoint/));
  });

  it('refuses a hello that is not JSON, or JSON but not an object', async () => {
    for (const body of [Buffer.from('GET / HTTP/1.1'), Buffer.from('[1,2,3]')]) {
      const { client, server } = await pair();
      const accepted = acceptHandshake(server, randomBytes(32), SERVER);
      client.write(Buffer.concat([frameHeader(body.length), body]));
      await assert.rejects(accepted, rpcError('RPC_PROTOCOL', /handshake frame is not (JSON|an object)/));
      await closed(server);
    }
  });

  it('refuses a hello from a stranger (wrong protocol name) and one with malformed fields', async () => {
    for (const [hello, pattern] of [
      [{ proto: 'http', v: 1 }, /not a tsflink peer/],
      [{ proto: 'tsflink', v: PROTOCOL_VERSION, role: 'taskmanager', id: 7 }, /malformed hello/],
    ] as const) {
      const { client, server } = await pair();
      const accepted = acceptHandshake(server, randomBytes(32), SERVER);
      writeJsonFrame(client, hello);
      await assert.rejects(accepted, rpcError('RPC_REFUSED', pattern));
    }
  });

  it('refuses an oversized hello from its length prefix alone and closes the socket', async () => {
    const { client, server } = await pair();
    const accepted = acceptHandshake(server, randomBytes(32), SERVER);
    client.write(frameHeader(HANDSHAKE_MAX_FRAME_BYTES + 1));
    await assert.rejects(accepted, rpcError('RPC_PROTOCOL', new RegExp(`exceeds the limit of ${HANDSHAKE_MAX_FRAME_BYTES} bytes`)));
    await closed(client);
  });

  it('fails with RPC_CLOSED when the peer hangs up mid-handshake', async () => {
    const { client, server } = await pair();
    const accepted = acceptHandshake(server, randomBytes(32), SERVER);
    client.end();
    await assert.rejects(accepted, rpcError('RPC_CLOSED', /closed during the handshake/));
  });

  it(`gives up on a peer that stays silent for ${HANDSHAKE_TIMEOUT_MS} ms and closes its socket`, async () => {
    const { client, server } = await pair();
    const startedAt = Date.now();
    await assert.rejects(acceptHandshake(server, randomBytes(32), SERVER), rpcError('RPC_TIMEOUT', /handshake not completed/));
    assert.ok(Date.now() - startedAt >= HANDSHAKE_TIMEOUT_MS - 50, 'not before the timeout');
    await closed(client);
  });

  it('hands bytes that arrived right behind the last hello frame over in the decoder', async () => {
    const { client, server } = await pair();
    const secret = randomBytes(32);
    const accepted = acceptHandshake(server, secret, SERVER);
    const challenge = await new FrameReader(client).nextJson();
    const extra = Buffer.from('first RPC frame');
    const hello = Buffer.from(
      JSON.stringify({
        proto: 'tsflink',
        v: PROTOCOL_VERSION,
        role: 'taskmanager',
        id: 'eager',
        cnonce: 'c1',
        mac: hmac(secret, String(challenge['nonce']), 'taskmanager', 'eager'),
      }),
    );
    client.write(Buffer.concat([frameHeader(hello.length), hello, frameHeader(extra.length), extra]));
    const { peer, decoder } = await accepted;
    assert.deepEqual(peer, { role: 'taskmanager', id: 'eager' });
    assert.equal(decoder.nextFrame()?.toString(), 'first RPC frame');
  });
});
