import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../../src/rpc/frame-decoder.js';
import { HANDSHAKE_MAX_FRAME_BYTES, HANDSHAKE_TIMEOUT_MS } from '../../../src/rpc/handshake.js';
import type { FuzzCluster } from '../fuzz-cluster.js';
import { isOneLine, type FuzzOutcome, type FuzzTarget } from '../fuzz-target.js';
import { preview } from '../mutators.js';
import type { Prng } from '../prng.js';
import type { LogTail } from './log-scan.js';
import { handshakeAttack } from './handshake-attacks.js';

/** Beyond the server's own handshake timeout, how long a connection may stay open. */
const CLOSE_GRACE_MS = 3_000;
const REFUSED = /Refused a connection at unix:/;

/** What the server did with one attack: its frames and whether it hung up in time. */
interface Observation {
  readonly frames: Buffer[];
  readonly closedInTime: boolean;
  /** The server neither sent its challenge nor hung up: it is stuck. */
  readonly noChallenge: boolean;
}

/** Sends one attack to a socket that starts with a tsflink challenge and watches how it ends. */
async function attack(path: string, rng: Prng): Promise<{ kind: string; bytes: Buffer; observation: Observation }> {
  const socket = connect({ path });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await once(socket, 'connect');
  const decoder = new FrameDecoder(HANDSHAKE_MAX_FRAME_BYTES);
  const frames: Buffer[] = [];
  let gotChallenge: () => void = () => undefined;
  const challenge = new Promise<void>((resolve) => {
    gotChallenge = resolve;
  });
  socket.on('data', (chunk: Buffer) => {
    try {
      frames.push(...decoder.push(chunk));
    } catch {
      socket.destroy();
    }
    if (frames.length > 0) gotChallenge();
  });
  let waited: NodeJS.Timeout | undefined;
  const silent = new Promise<'silent'>((resolve) => {
    waited = setTimeout(() => resolve('silent'), HANDSHAKE_TIMEOUT_MS + CLOSE_GRACE_MS);
  });
  const greeted = await Promise.race([challenge, closed, silent]);
  clearTimeout(waited);
  if (greeted === 'silent') {
    socket.destroy();
    return { kind: 'none', bytes: Buffer.alloc(0), observation: { frames: [], closedInTime: false, noChallenge: true } };
  }
  const nonce = frames.length > 0 ? String((JSON.parse(frames[0]!.toString('utf8')) as { nonce?: unknown }).nonce) : '';
  const { kind, bytes } = handshakeAttack(rng, nonce);
  socket.write(bytes);
  socket.end();
  let timer: NodeJS.Timeout | undefined;
  const closedInTime = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), HANDSHAKE_TIMEOUT_MS + CLOSE_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  socket.destroy();
  return { kind, bytes, observation: { frames: frames.slice(1), closedInTime, noChallenge: false } };
}

/** A stranger that connects and then says nothing (or half a frame): only the server's timeout can end it. */
interface Lingerer {
  readonly startedAt: number;
  readonly what: string;
  /** Only a connection the server accepted can be refused (under load a connect may fail outright). */
  connected: boolean;
  closed: boolean;
  readonly socket: Socket;
}

function startLingerer(path: string, partial: boolean): Lingerer {
  const socket = connect({ path });
  const lingerer: Lingerer = {
    startedAt: Date.now(),
    what: partial ? 'half a hello frame' : 'nothing',
    connected: false,
    closed: false,
    socket,
  };
  socket.on('error', () => undefined);
  socket.once('connect', () => {
    lingerer.connected = true;
  });
  socket.on('close', () => {
    lingerer.closed = true;
  });
  socket.resume();
  if (partial) socket.once('connect', () => socket.write(Buffer.from([0, 0, 0, 200, 0x7b, 0x22])));
  return lingerer;
}

/** What is wrong with the server's answer to an attack, if anything. */
function judge(observation: Observation): string | undefined {
  if (observation.noChallenge) return `the server sent no challenge within ${HANDSHAKE_TIMEOUT_MS + CLOSE_GRACE_MS} ms of accepting (hang)`;
  if (!observation.closedInTime)
    return `the server kept an unauthenticated connection open beyond ${HANDSHAKE_TIMEOUT_MS + CLOSE_GRACE_MS} ms`;
  for (const frame of observation.frames) {
    let answer: { ok?: unknown; error?: unknown };
    try {
      answer = JSON.parse(frame.toString('utf8')) as typeof answer;
    } catch {
      return `the server answered with a frame that is not JSON: ${preview(frame)}`;
    }
    if (answer.ok === true) return 'the server accepted a peer that does not hold the secret';
    if (typeof answer.error !== 'string' || answer.error === '' || !isOneLine(answer.error))
      return `the refusal is not one clear line: ${preview(answer)}`;
  }
  return undefined;
}

/**
 * (a) The JobManager's socket, unauthenticated: raw bytes, truncated frames, huge length prefixes
 * and hellos with a wrong version, protocol or MAC. Each connection must be refused (closed, with a
 * one-line reason when one is sent, and a WARN line in the JobManager log), within the handshake
 * timeout, without disturbing the cluster.
 */
export class HandshakeTarget implements FuzzTarget {
  readonly name = 'jm-handshake';
  readonly concurrency = 8;
  readonly batchSize = 160;
  private log: LogTail | undefined;
  private inputsSinceCheck = 0;
  /** Slow strangers run beside the batches, so their timeouts do not slow every batch down. */
  private lingerers: Lingerer[] = [];

  constructor(private readonly cluster: FuzzCluster) {}

  async setup(): Promise<void> {
    this.log = this.cluster.tailJobManagerLog();
    this.inputsSinceCheck = 0;
    this.lingerers = [startLingerer(this.socketPath, false), startLingerer(this.socketPath, true)];
  }

  private get socketPath(): string {
    return this.cluster.runtime.jobManagerAddress.kind === 'unix' ? this.cluster.runtime.jobManagerAddress.path : '';
  }

  async runOne(rng: Prng): Promise<FuzzOutcome> {
    const { kind, bytes, observation } = await attack(this.socketPath, rng);
    this.inputsSinceCheck++;
    const problem = judge(observation);
    return { input: `${kind}: ${preview(bytes)}`, ...(problem === undefined ? {} : { problem }) };
  }

  async checkHealth(): Promise<string[]> {
    const problems = await this.cluster.checkJobManager();
    problems.push(...this.checkLingerers());
    const refusals = (): number => (this.log?.newLines() ?? []).filter((line) => REFUSED.test(line)).length;
    let logged = refusals();
    // The JobManager logs a refusal just after closing the socket; on a busy machine give it a moment.
    if (logged < this.inputsSinceCheck) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      logged += refusals();
    }
    if (logged < this.inputsSinceCheck)
      problems.push(`only ${logged} of ${this.inputsSinceCheck} refused connections left a WARN line in the JobManager log`);
    this.inputsSinceCheck = 0;
    return problems;
  }

  async teardown(): Promise<void> {
    for (const lingerer of this.lingerers) lingerer.socket.destroy();
    this.lingerers = [];
  }

  /** Silent strangers must be cut off once the handshake timeout (plus grace) has passed; closed ones are replaced. */
  private checkLingerers(): string[] {
    const problems: string[] = [];
    this.lingerers = this.lingerers.map((lingerer) => {
      const age = Date.now() - lingerer.startedAt;
      if (!lingerer.closed && age <= HANDSHAKE_TIMEOUT_MS + CLOSE_GRACE_MS) return lingerer;
      if (!lingerer.closed) {
        problems.push(
          `a stranger that sent ${lingerer.what} was still connected after ${age} ms (handshake timeout ${HANDSHAKE_TIMEOUT_MS} ms)`,
        );
        lingerer.socket.destroy();
      }
      // Its refusal is logged too; count it among this batch's inputs.
      if (lingerer.connected) this.inputsSinceCheck++;
      return startLingerer(this.socketPath, lingerer.what !== 'nothing');
    });
    return problems;
  }
}
