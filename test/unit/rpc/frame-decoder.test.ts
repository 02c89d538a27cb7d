import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../../src/core/errors.js';
import { FRAME_HEADER_BYTES, FrameDecoder, encodeFrame, frameHeader } from '../../../src/rpc/frame-decoder.js';

const text = (frames: Buffer[]): string[] => frames.map((f) => f.toString('utf8'));
const frameOf = (s: string): Buffer => encodeFrame(Buffer.from(s, 'utf8'));
const isProtocolError =
  (pattern: RegExp) =>
  (error: unknown): boolean =>
    error instanceof RpcError && error.code === 'RPC_PROTOCOL' && pattern.test(error.message);

describe('FrameDecoder', () => {
  it('returns a frame that arrives whole', () => {
    const decoder = new FrameDecoder(1024);
    assert.deepEqual(text(decoder.push(frameOf('hello'))), ['hello']);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('reassembles frames split at every byte, header included', () => {
    const decoder = new FrameDecoder(1024);
    const stream = Buffer.concat([frameOf('first frame'), frameOf(''), frameOf('third')]);
    const out: string[] = [];
    for (const byte of stream) out.push(...text(decoder.push(Buffer.from([byte]))));
    assert.deepEqual(out, ['first frame', '', 'third']);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('cuts several merged frames and keeps a trailing partial frame for later', () => {
    const decoder = new FrameDecoder(1024);
    const next = frameOf('fourth, split');
    const chunk = Buffer.concat([frameOf('a'), frameOf('bb'), frameOf('ccc'), next.subarray(0, 7)]);
    assert.deepEqual(text(decoder.push(chunk)), ['a', 'bb', 'ccc']);
    assert.equal(decoder.pendingBytes, 7);
    assert.deepEqual(text(decoder.push(next.subarray(7))), ['fourth, split']);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('handles chunks that end exactly at frame and header boundaries', () => {
    const decoder = new FrameDecoder(1024);
    const frame = frameOf('boundary');
    assert.deepEqual(decoder.push(frame.subarray(0, FRAME_HEADER_BYTES)), []);
    assert.equal(decoder.pendingBytes, FRAME_HEADER_BYTES);
    assert.deepEqual(text(decoder.push(frame.subarray(FRAME_HEADER_BYTES))), ['boundary']);
    // A chunk holding one frame plus exactly the next header.
    const second = frameOf('second');
    assert.deepEqual(text(decoder.push(Buffer.concat([frameOf('x'), second.subarray(0, FRAME_HEADER_BYTES)]))), ['x']);
    assert.deepEqual(text(decoder.push(second.subarray(FRAME_HEADER_BYTES))), ['second']);
    assert.equal(decoder.pendingBytes, 0);
  });

  it('reassembles a payload spread over many chunks without altering it', () => {
    const decoder = new FrameDecoder(1 << 20);
    const payload = Buffer.alloc(300_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
    const frame = encodeFrame(payload);
    const frames: Buffer[] = [];
    for (let offset = 0; offset < frame.length; offset += 65_536) frames.push(...decoder.push(frame.subarray(offset, offset + 65_536)));
    assert.equal(frames.length, 1);
    assert.ok(frames[0]!.equals(payload));
  });

  it('accepts a frame of exactly the limit and refuses one byte more', () => {
    assert.equal(new FrameDecoder(16).push(encodeFrame(Buffer.alloc(16, 1))).length, 1);
    assert.throws(
      () => new FrameDecoder(16).push(encodeFrame(Buffer.alloc(17, 1))),
      isProtocolError(/17 bytes exceeds the limit of 16 bytes/),
    );
  });

  it('refuses an oversized length prefix as soon as the 4 header bytes arrive, before any payload is buffered', () => {
    const decoder = new FrameDecoder(4096);
    assert.deepEqual(decoder.push(Buffer.from([0xff, 0xff])), []);
    assert.throws(() => decoder.push(Buffer.from([0xff, 0xff])), isProtocolError(/4294967295 bytes exceeds the limit of 4096/));
    // Nothing beyond the 4 prefix bytes is held: the lie in the prefix reserved no memory.
    assert.equal(decoder.pendingBytes, FRAME_HEADER_BYTES);
  });

  it('refuses a huge prefix whose payload could never be allocated, without trying to', () => {
    const decoder = new FrameDecoder(256 * 1024 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(() => decoder.push(frameHeader(0xfffffff0)), isProtocolError(/exceeds the limit/));
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, 'no buffer of the claimed size was reserved');
  });

  it('delivers a frame held back by the old limit once the limit is raised', () => {
    const decoder = new FrameDecoder(8);
    const big = encodeFrame(Buffer.alloc(100, 7));
    decoder.append(big);
    assert.throws(() => decoder.nextFrame(), isProtocolError(/100 bytes exceeds the limit of 8/));
    decoder.setMaxFrameBytes(1024);
    const frame = decoder.nextFrame();
    assert.ok(frame !== undefined && frame.equals(Buffer.alloc(100, 7)));
    assert.equal(decoder.nextFrame(), undefined);
  });

  it('frameHeader and encodeFrame write the same big-endian length prefix', () => {
    const payload = Buffer.from('abc');
    assert.deepEqual([...frameHeader(0x01020304)], [1, 2, 3, 4]);
    assert.ok(encodeFrame(payload).equals(Buffer.concat([frameHeader(3), payload])));
  });
});
