import { encodeFrame } from '../../../src/rpc/frame-decoder.js';
import { encodeMessage, type RpcMessage } from '../../../src/rpc/message-codec.js';
import { corruptLengthPrefix, deepNestingText, mutateBytesRounds, mutateJsonRounds, preview, randomJson } from '../mutators.js';
import type { Prng } from '../prng.js';
import { JOB_MANAGER_METHODS, UNKNOWN_METHODS, validRegistration, type RpcFuzzContext } from '../rpc-templates.js';

/** One frame a fuzzer sends on an authenticated RPC connection, and what the server owes it. */
export interface FuzzMessage {
  readonly frame: Buffer;
  readonly description: string;
  /** Well-formed message: the server must not hang up because of it. */
  readonly wellFormed: boolean;
  /** A well-formed request: the server must answer it (`id`). */
  readonly requestId: number | undefined;
  /** The message may legitimately end the connection (e.g. the TaskManager disconnecting itself). */
  readonly mayClose: boolean;
}

function frameOf(message: RpcMessage): Buffer {
  return encodeFrame(encodeMessage(message));
}

/** A well-formed request or notification to a known or unknown method, with mutated arguments. */
function wellFormed(rng: Prng, ctx: RpcFuzzContext, id: number): FuzzMessage {
  const known = rng.chance(0.85);
  const template = rng.pick(JOB_MANAGER_METHODS);
  const method = known ? template.method : rng.pick(UNKNOWN_METHODS);
  const valid = template.args(rng, ctx);
  const args = rng.chance(0.2) ? valid : rng.chance(0.1) ? (randomJson(rng, 2) as unknown[]) : (mutateJsonRounds(rng, valid) as unknown[]);
  const kind = rng.chance(0.9) ? template.kind : template.kind === 'request' ? 'notification' : 'request';
  const safeArgs = Array.isArray(args) ? args : [args];
  const message: RpcMessage = kind === 'request' ? { kind, id, method, args: safeArgs } : { kind, method, args: safeArgs };
  return {
    frame: frameOf(message),
    description: `${kind} ${method}(${preview(safeArgs, 300)})`,
    wellFormed: true,
    requestId: kind === 'request' ? id : undefined,
    mayClose: method === 'resourceManager.disconnectTaskManager' || method === 'resourceManager.registerTaskExecutor',
  };
}

/** A frame that breaks the message layout: the server may close the connection, nothing more. */
function malformed(rng: Prng, ctx: RpcFuzzContext, id: number): FuzzMessage {
  const base = encodeMessage({
    kind: 'request',
    id,
    method: 'resourceManager.registerTaskExecutor',
    args: [validRegistration(rng, ctx.resourceId)],
  });
  const header = (value: unknown): Buffer => {
    const json = Buffer.from(JSON.stringify(value), 'utf8');
    const out = Buffer.alloc(4 + json.length);
    out.writeUInt32BE(json.length, 0);
    json.copy(out, 4);
    return out;
  };
  const kind = rng.weighted<string>([
    [4, 'mutated-bytes'],
    [2, 'length-prefix'],
    [2, 'wrong-fields'],
    [1, 'attachments'],
    [1, 'deep'],
    [1, 'short'],
  ]);
  let frame: Buffer;
  switch (kind) {
    case 'mutated-bytes':
      frame = encodeFrame(mutateBytesRounds(rng, base));
      break;
    case 'length-prefix':
      frame = corruptLengthPrefix(rng, base);
      break;
    case 'wrong-fields':
      frame = encodeFrame(
        header(
          rng.pick<unknown>([
            { k: 'x', i: id, m: 'a', a: [] },
            { k: 'q', i: 'one', m: 'a', a: [] },
            { k: 'q', i: id, m: 7, a: [] },
            { k: 'q', i: id, m: 'a', a: {} },
            { k: 'q', i: 1.5, m: 'a', a: [] },
            { k: 'e', i: id, e: null },
            { k: 'r' },
            { k: 'n', m: 'resourceManager.receiveHeartbeat' },
            [],
            'q',
            null,
            { k: 'q', i: 2 ** 60, m: 'a', a: [] },
            { k: 'q', i: id, m: 'jobMaster.requestJobArchive', a: [{ $bin: 5 }] },
          ]),
        ),
      );
      break;
    case 'attachments': {
      const json = header({
        k: 'q',
        i: id,
        m: 'jobMaster.requestJobArchive',
        a: [{ $bin: 0 }],
        b: rng.pick<unknown>([[10], [-1], ['a'], 5, [2 ** 40], [0, 0, 0]]),
      });
      frame = encodeFrame(Buffer.concat([json, rng.bytes(rng.int(0, 8))]));
      break;
    }
    case 'deep': {
      const json = Buffer.from(
        `{"k":"q","i":${id},"m":"jobMaster.requestJobArchive","a":${deepNestingText(rng.pick([1000, 10_000, 100_000]), '1', rng.chance(0.5))}}`,
      );
      const payload = Buffer.alloc(4 + json.length);
      payload.writeUInt32BE(json.length, 0);
      json.copy(payload, 4);
      frame = encodeFrame(payload);
      break;
    }
    default:
      frame = encodeFrame(rng.bytes(rng.int(0, 3)));
  }
  return { frame, description: `malformed (${kind}): ${preview(frame, 200)}`, wellFormed: false, requestId: undefined, mayClose: true };
}

/** A short conversation: sometimes a valid registration first, then a few fuzzed messages. */
export function fuzzConversation(rng: Prng, ctx: RpcFuzzContext): FuzzMessage[] {
  const messages: FuzzMessage[] = [];
  let id = 1;
  if (rng.chance(0.4)) {
    const registration = validRegistration(rng, ctx.resourceId);
    messages.push({
      frame: frameOf({ kind: 'request', id, method: 'resourceManager.registerTaskExecutor', args: [registration] }),
      description: `request resourceManager.registerTaskExecutor(valid ${ctx.resourceId})`,
      wellFormed: true,
      requestId: id,
      mayClose: false,
    });
    id++;
  }
  const count = rng.int(1, 5);
  for (let i = 0; i < count; i++, id++) {
    const message = rng.chance(0.8) ? wellFormed(rng, ctx, id) : malformed(rng, ctx, id);
    messages.push(message);
    // After a broken frame the stream is out of step (a lying prefix swallows what follows): stop there.
    if (!message.wellFormed) break;
  }
  return messages;
}
