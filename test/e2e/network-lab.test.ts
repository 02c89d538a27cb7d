/**
 * NetworkLab.degrade() must really slow a host down, or the multi-host tests that rely on it prove
 * nothing about latency: this measures TCP round trips between two lab hosts before and after, and
 * that a degraded connection still carries bulk data at a useful rate, as it would behind netem.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkLab } from '../helpers/network-lab.js';

const DELAY_MS = 50;
const ROUNDS = 7;
const BULK_BYTES = 8 * 1024 * 1024;

/** On the far host: echoes on 7000; on 7001, counts what it is sent and answers the count at the end. */
const SERVER = `
const net = require('node:net');
let listening = 0;
const ready = () => { if (++listening === 2) console.log('listening'); };
net.createServer((s) => { s.on('error', () => {}); s.setNoDelay(true); s.pipe(s); }).listen(7000, ready);
net.createServer((s) => {
  let bytes = 0;
  s.on('error', () => {});
  s.on('data', (chunk) => (bytes += chunk.length));
  s.on('end', () => s.end(String(bytes)));
}).listen(7001, ready);
`;

/** On the near host: ROUNDS connect-then-echo round trips, then BULK_BYTES sent; prints the timings as JSON. */
const CLIENT = `
const net = require('node:net');
const target = process.env.TARGET;
const settle = (socket, event) => new Promise((resolve, reject) => { socket.once(event, resolve); socket.once('error', reject); });
async function roundTrip() {
  const started = performance.now();
  const socket = net.connect(7000, target);
  socket.setNoDelay(true);
  await settle(socket, 'connect');
  const connected = performance.now();
  socket.write('x');
  await settle(socket, 'data');
  const echoed = performance.now();
  socket.destroy();
  return { connectMs: connected - started, echoMs: echoed - connected };
}
async function bulk(bytes) {
  const started = performance.now();
  const socket = net.connect(7001, target);
  await settle(socket, 'connect');
  const chunk = Buffer.alloc(1 << 20);
  for (let sent = 0; sent < bytes; sent += chunk.length) if (!socket.write(chunk)) await settle(socket, 'drain');
  socket.end();
  let answer = '';
  socket.on('data', (data) => (answer += data));
  await settle(socket, 'end');
  if (Number(answer) !== bytes) throw new Error('the far end counted ' + answer + ' bytes of ' + bytes);
  return performance.now() - started;
}
(async () => {
  const trips = [];
  for (let i = 0; i < Number(process.env.ROUNDS); i++) trips.push(await roundTrip());
  console.log(JSON.stringify({ trips, bulkMs: await bulk(Number(process.env.BULK_BYTES)) }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface Timings {
  connectMs: number;
  echoMs: number;
  bulkMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(lab: NetworkLab, from: string, to: string): Promise<Timings> {
  const env = { TARGET: lab.host(to).address, ROUNDS: String(ROUNDS), BULK_BYTES: String(BULK_BYTES) };
  const result = await lab.run(from, process.execPath, ['-e', CLIENT], env, 30_000);
  assert.equal(result.exitCode, 0, `the client failed: ${String(result.stderr)}`);
  const { trips, bulkMs } = JSON.parse(String(result.stdout)) as { trips: Array<{ connectMs: number; echoMs: number }>; bulkMs: number };
  return { connectMs: median(trips.map((trip) => trip.connectMs)), echoMs: median(trips.map((trip) => trip.echoMs)), bulkMs };
}

describe('a network lab', () => {
  it(`delays what a degraded host sends and receives by ${DELAY_MS} ms each way, yet carries bulk data`, async (t) => {
    const lab = NetworkLab.create(['near', 'far']);
    t.after(() => lab.destroy());
    const server = lab.spawn('far', process.execPath, ['-e', SERVER]);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening')) resolve();
      });
      server.once('close', () => reject(new Error('the echo server ended before listening')));
    });

    const before = await measure(lab, 'near', 'far');
    t.diagnostic(
      `before: connect ${before.connectMs.toFixed(1)} ms, echo ${before.echoMs.toFixed(1)} ms, 8 MiB in ${before.bulkMs.toFixed(0)} ms`,
    );
    assert.ok(before.connectMs < 10 && before.echoMs < 10, `an undegraded round trip takes under 10 ms: ${JSON.stringify(before)}`);

    const applied = await lab.degrade('far', DELAY_MS, 0);
    t.diagnostic(`degraded: ${applied.how}`);
    assert.ok(applied.delay, applied.how);
    const after = await measure(lab, 'near', 'far');
    t.diagnostic(
      `after: connect ${after.connectMs.toFixed(1)} ms, echo ${after.echoMs.toFixed(1)} ms, 8 MiB in ${after.bulkMs.toFixed(0)} ms`,
    );
    // Each round trip is held once on its way into the degraded host and once on its way out.
    for (const [what, ms] of [
      ['connect', after.connectMs],
      ['echo', after.echoMs],
    ] as const) {
      assert.ok(
        ms >= 2 * DELAY_MS,
        `a ${what} round trip through the degraded host takes at least ${2 * DELAY_MS} ms, not ${ms.toFixed(1)}`,
      );
      assert.ok(ms < 1000, `a ${what} round trip is delayed, not stalled: ${ms.toFixed(1)} ms`);
    }
    // Delay must not throttle: held where they still count against their socket, packets would let
    // a connection move only a few hundred KB/s, and this would take half a minute.
    assert.ok(after.bulkMs < 6000, `8 MiB through the delay take ${after.bulkMs.toFixed(0)} ms`);
  });
});
