import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../../src/core/errors.js';
import { decodeMessage, encodeMessage, type RpcMessage } from '../../../src/rpc/message-codec.js';

/** A payload laid out as the codec does: u32 header length, header bytes, attachment bytes. */
function rawPayload(header: string, ...attachments: Buffer[]): Buffer {
  const json = Buffer.from(header, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length, 0);
  return Buffer.concat([length, json, ...attachments]);
}

const protocolError =
  (pattern: RegExp) =>
  (error: unknown): boolean =>
    error instanceof RpcError && error.code === 'RPC_PROTOCOL' && pattern.test(error.message);

describe('message codec round trips', () => {
  it('keeps a request with binary attachments nested in objects and arrays', () => {
    const state = new Uint8Array([1, 2, 3, 250]);
    const blob = Buffer.from('archive bytes');
    const message: RpcMessage = {
      kind: 'request',
      id: 42,
      method: 'taskExecutor.submitTask',
      args: [
        { name: 'op', slices: [{ kind: 'inline', bytes: state }, { deeper: { again: [blob, new Uint8Array(0)] } }] },
        7,
        'x',
        null,
        true,
      ],
    };
    const decoded = decodeMessage(encodeMessage(message));
    assert.equal(decoded.kind, 'request');
    if (decoded.kind !== 'request') return;
    assert.equal(decoded.id, 42);
    assert.equal(decoded.method, 'taskExecutor.submitTask');
    const first = decoded.args[0] as { name: string; slices: [{ kind: string; bytes: Uint8Array }, { deeper: { again: Uint8Array[] } }] };
    assert.equal(first.name, 'op');
    assert.ok(first.slices[0].bytes instanceof Uint8Array);
    assert.deepEqual([...first.slices[0].bytes], [1, 2, 3, 250]);
    assert.equal(Buffer.from(first.slices[1].deeper.again[0]!).toString(), 'archive bytes');
    assert.equal(first.slices[1].deeper.again[1]!.byteLength, 0);
    assert.deepEqual(decoded.args.slice(1), [7, 'x', null, true]);
  });

  it('sends byte arrays as attachments, not as JSON number arrays', () => {
    const bytes = new Uint8Array(10_000).fill(9);
    const encoded = encodeMessage({ kind: 'response', id: 1, result: { bytes } });
    assert.ok(encoded.length < 10_000 + 100, `encoded size ${encoded.length}`);
    const decoded = decodeMessage(encoded);
    assert.ok(decoded.kind === 'response');
    assert.ok(Buffer.from((decoded.result as { bytes: Uint8Array }).bytes).equals(Buffer.from(bytes)));
  });

  it('keeps a subarray view as exactly its own bytes', () => {
    const backing = Buffer.from('0123456789');
    const decoded = decodeMessage(encodeMessage({ kind: 'notification', method: 'm.n', args: [backing.subarray(3, 6)] }));
    assert.ok(decoded.kind === 'notification');
    assert.equal(Buffer.from(decoded.args[0] as Uint8Array).toString(), '345');
  });

  it('round-trips responses, error responses and notifications', () => {
    assert.deepEqual(decodeMessage(encodeMessage({ kind: 'response', id: 3, result: { a: [1, 'b'] } })), {
      kind: 'response',
      id: 3,
      result: { a: [1, 'b'] },
    });
    const error = { name: 'RpcError', message: 'boom', stack: 'RpcError: boom\n    at remote', code: 'RPC_REMOTE' };
    assert.deepEqual(decodeMessage(encodeMessage({ kind: 'error', id: 4, error })), { kind: 'error', id: 4, error });
    assert.deepEqual(decodeMessage(encodeMessage({ kind: 'notification', method: 'rm.hb', args: ['tm-1'] })), {
      kind: 'notification',
      method: 'rm.hb',
      args: ['tm-1'],
    });
  });

  it('drops undefined object fields and keeps an object that merely has a $bin-like key among others', () => {
    const decoded = decodeMessage(
      encodeMessage({ kind: 'request', id: 1, method: 'a.b', args: [{ keep: 1, drop: undefined, other: { $bin: 0, extra: true } }] }),
    );
    assert.ok(decoded.kind === 'request');
    assert.deepEqual(decoded.args[0], { keep: 1, other: { $bin: 0, extra: true } });
  });
});

describe('message codec refuses malformed payloads with RPC_PROTOCOL', () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ['an empty payload', Buffer.alloc(0), /shorter than its header length/],
    ['a payload of 3 bytes', Buffer.from([0, 0, 0]), /shorter than its header length/],
    [
      'a header length past the end',
      Buffer.concat([Buffer.from([0, 0, 0, 50]), Buffer.from('{}')]),
      /header length 50 exceeds the payload/,
    ],
    ['a header that is not JSON', rawPayload('{"k":"q",'), /not valid JSON/],
    ['a header that is JSON null', rawPayload('null'), /not an object/],
    ['a header that is an array', rawPayload('[1,2]'), /not an object/],
    ['a header that is a number', rawPayload('12'), /not an object/],
    ['an unknown kind', rawPayload('{"k":"z","i":1}'), /unknown message kind "z"/],
    ['a header without a kind', rawPayload('{"i":1}'), /unknown message kind/],
    ['a request without an id', rawPayload('{"k":"q","m":"a.b","a":[]}'), /malformed request/],
    ['a request with a fractional id', rawPayload('{"k":"q","i":1.5,"m":"a.b","a":[]}'), /malformed request/],
    ['a request with an unsafe id', rawPayload('{"k":"q","i":9007199254740993,"m":"a.b","a":[]}'), /malformed request/],
    ['a request whose method is not a string', rawPayload('{"k":"q","i":1,"m":5,"a":[]}'), /malformed request/],
    ['a request whose args are not an array', rawPayload('{"k":"q","i":1,"m":"a.b","a":{}}'), /malformed request/],
    ['a response without an id', rawPayload('{"k":"r","r":1}'), /malformed response/],
    ['an error response without an error', rawPayload('{"k":"e","i":1}'), /malformed error response/],
    ['an error response whose error is null', rawPayload('{"k":"e","i":1,"e":null}'), /malformed error response/],
    ['an error response without a message', rawPayload('{"k":"e","i":1,"e":{"name":"X"}}'), /malformed error response/],
    ['a notification without a method', rawPayload('{"k":"n","a":[]}'), /malformed notification/],
    ['a notification without args', rawPayload('{"k":"n","m":"a.b"}'), /malformed notification/],
    [
      'an attachment table that is not an array',
      rawPayload('{"k":"n","m":"a.b","a":[],"b":3}', Buffer.alloc(3)),
      /attachment table is not an array/,
    ],
    ['an attachment length that is negative', rawPayload('{"k":"n","m":"a.b","a":[],"b":[-1]}'), /attachment table does not match/],
    [
      'an attachment length that is fractional',
      rawPayload('{"k":"n","m":"a.b","a":[],"b":[1.5]}', Buffer.alloc(2)),
      /attachment table does not match/,
    ],
    [
      'an attachment length that is a string',
      rawPayload('{"k":"n","m":"a.b","a":[],"b":["2"]}', Buffer.alloc(2)),
      /attachment table does not match/,
    ],
    [
      'attachments longer than the payload',
      rawPayload('{"k":"n","m":"a.b","a":[],"b":[2,5]}', Buffer.alloc(4)),
      /attachment table does not match/,
    ],
    [
      'bytes left over after the attachments',
      rawPayload('{"k":"n","m":"a.b","a":[],"b":[2]}', Buffer.alloc(5)),
      /attachment table does not match/,
    ],
    [
      'bytes after a header that lists no attachments',
      rawPayload('{"k":"n","m":"a.b","a":[]}', Buffer.alloc(1)),
      /attachment table does not match/,
    ],
    [
      'a reference to a missing attachment',
      rawPayload('{"k":"n","m":"a.b","a":[{"$bin":1}],"b":[1]}', Buffer.alloc(1)),
      /missing attachment/,
    ],
    ['a reference without any attachment table', rawPayload('{"k":"n","m":"a.b","a":[{"$bin":0}]}'), /missing attachment/],
    [
      'a reference that is not a number',
      rawPayload('{"k":"n","m":"a.b","a":[{"$bin":"0"}],"b":[1]}', Buffer.alloc(1)),
      /missing attachment/,
    ],
    ['a negative reference', rawPayload('{"k":"n","m":"a.b","a":[{"$bin":-1}],"b":[1]}', Buffer.alloc(1)), /missing attachment/],
  ];

  for (const [name, payload, pattern] of cases) {
    it(`refuses ${name}`, () => {
      assert.throws(() => decodeMessage(payload), protocolError(pattern));
    });
  }

  it('accepts the hand-built layout the refusals above deviate from', () => {
    const decoded = decodeMessage(rawPayload('{"k":"n","m":"a.b","a":[{"$bin":1},{"$bin":0}],"b":[2,1]}', Buffer.from('xyz')));
    assert.ok(decoded.kind === 'notification');
    assert.deepEqual(
      decoded.args.map((b) => Buffer.from(b as Uint8Array).toString()),
      ['z', 'xy'],
    );
  });
});
