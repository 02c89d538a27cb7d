import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import type { HeartbeatListener, HeartbeatTarget } from '../../../src/heartbeat/heartbeat-listener.js';
import { HeartbeatManager, HeartbeatSender } from '../../../src/heartbeat/heartbeat-manager.js';

/** Records what a heartbeat manager tells its owner. */
class TestingHeartbeatListener implements HeartbeatListener<string, string> {
  readonly timeouts: Array<{ id: string; at: number }> = [];
  readonly payloads: Array<[string, string]> = [];
  private waiter: (() => void) | undefined;

  notifyHeartbeatTimeout(targetId: string): void {
    this.timeouts.push({ id: targetId, at: Date.now() });
    this.waiter?.();
  }
  reportPayload(targetId: string, payload: string): void {
    this.payloads.push([targetId, payload]);
  }
  retrievePayload(targetId: string): string {
    return `payload-for-${targetId}`;
  }
  /** Resolves at the next timeout notification. */
  nextTimeout(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/** Records the calls a manager makes on a target. */
class TestingHeartbeatTarget implements HeartbeatTarget<string> {
  readonly requests: Array<[string, string]> = [];
  readonly answers: Array<[string, string]> = [];
  failRequests = false;
  requestHeartbeat(fromId: string, payload: string): void {
    if (this.failRequests) throw new Error('target unreachable');
    this.requests.push([fromId, payload]);
  }
  receiveHeartbeat(fromId: string, payload: string): void {
    this.answers.push([fromId, payload]);
  }
}

// The managers' timers are unref'd (they must not keep a process alive), so the tests hold the loop open.
let keepAlive: NodeJS.Timeout | undefined;
before(() => {
  configureLogging(new MemoryLogSink(), 'WARN');
  keepAlive = setInterval(() => undefined, 1000);
});
after(() => clearInterval(keepAlive));

describe('HeartbeatManager (receiver side)', () => {
  it('reports a silent target once, however long it stays silent', async () => {
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, 50);
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    await sleep(400);
    assert.deepEqual(
      listener.timeouts.map((t) => t.id),
      ['jm'],
    );
    manager.receiveHeartbeat('jm', 'too late');
    assert.deepEqual(listener.payloads, [], 'a timed-out target is no longer monitored');
    assert.equal(manager.lastHeartbeatFrom('jm'), undefined);
  });

  it('pushes the timeout back with every heartbeat: it fires a full timeout after the last one', async () => {
    const timeoutMs = 300;
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, timeoutMs);
    const startedAt = Date.now();
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    const fired = listener.nextTimeout();
    let lastBeatAt = startedAt;
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      if (listener.timeouts.length > 0) break;
      manager.receiveHeartbeat('jm', `beat-${i}`);
      lastBeatAt = Date.now();
    }
    await fired;
    const firedAt = listener.timeouts[0]!.at;
    // Timers never fire early, so these lower bounds hold on a loaded machine too.
    assert.ok(firedAt - lastBeatAt >= timeoutMs - 2, `fired ${firedAt - lastBeatAt} ms after the last heartbeat`);
    if (listener.payloads.length === 3)
      assert.ok(firedAt - startedAt >= 450 + timeoutMs - 2, 'three heartbeats pushed the timeout well past the first deadline');
    assert.deepEqual(
      listener.payloads.map(([, p]) => p),
      ['beat-0', 'beat-1', 'beat-2'].slice(0, listener.payloads.length),
    );
    assert.ok(listener.payloads.length >= 1);
    assert.equal(listener.timeouts.length, 1);
  });

  it("answers a heartbeat request with its own payload, and reports the requester's", () => {
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('tm-1', listener, 10_000);
    const target = new TestingHeartbeatTarget();
    manager.monitorTarget('jm', target);
    manager.requestHeartbeat('jm', 'expected attempts');
    assert.deepEqual(listener.payloads, [['jm', 'expected attempts']]);
    assert.deepEqual(target.answers, [['tm-1', 'payload-for-jm']]);
    manager.requestHeartbeat('stranger', 'x');
    assert.equal(listener.payloads.length, 1, 'requests from unmonitored targets are ignored');
    manager.stop();
  });

  it('cancels the timeout when a target is unmonitored, or when the manager stops', async () => {
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, 40);
    manager.monitorTarget('a', new TestingHeartbeatTarget());
    manager.monitorTarget('b', new TestingHeartbeatTarget());
    manager.unmonitorTarget('a');
    manager.stop();
    manager.monitorTarget('c', new TestingHeartbeatTarget());
    await sleep(250);
    assert.deepEqual(listener.timeouts, []);
  });

  it('replaces the monitor when a target is monitored again, so only the new one can fire', async () => {
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, 100);
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    await sleep(60);
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    await sleep(400);
    assert.equal(listener.timeouts.length, 1);
  });
});

describe('HeartbeatSender (requesting side)', () => {
  it('requests a heartbeat at once when it starts monitoring, then every interval', async () => {
    const listener = new TestingHeartbeatListener();
    const sender = new HeartbeatSender('jm', listener, 10_000, 50);
    const target = new TestingHeartbeatTarget();
    sender.monitorTarget('tm-1', target);
    assert.deepEqual(target.requests, [['jm', 'payload-for-tm-1']], 'the first request goes out synchronously');
    await sleep(400);
    assert.ok(target.requests.length >= 3, `only ${target.requests.length} requests in 400 ms at a 50 ms interval`);
    sender.stop();
  });

  it('stops requesting from an unmonitored target, and entirely once stopped', async () => {
    const sender = new HeartbeatSender('jm', new TestingHeartbeatListener(), 10_000, 30);
    const gone = new TestingHeartbeatTarget();
    const stays = new TestingHeartbeatTarget();
    sender.monitorTarget('gone', gone);
    sender.monitorTarget('stays', stays);
    sender.unmonitorTarget('gone');
    const goneCount = gone.requests.length;
    await sleep(200);
    assert.equal(gone.requests.length, goneCount);
    assert.ok(stays.requests.length >= 2);
    sender.stop();
    const stoppedCount = stays.requests.length;
    await sleep(200);
    assert.equal(stays.requests.length, stoppedCount);
  });

  it('keeps requesting from healthy targets when one target throws, and still times the failing one out', async () => {
    const listener = new TestingHeartbeatListener();
    const sender = new HeartbeatSender('jm', listener, 150, 30);
    const broken = new TestingHeartbeatTarget();
    broken.failRequests = true;
    const healthy = new TestingHeartbeatTarget();
    sender.monitorTarget('broken', broken);
    sender.monitorTarget('healthy', healthy);
    const fired = listener.nextTimeout();
    const keepAlive = setInterval(() => sender.receiveHeartbeat('healthy', 'ok'), 20);
    await fired;
    clearInterval(keepAlive);
    assert.deepEqual(
      listener.timeouts.map((t) => t.id),
      ['broken'],
    );
    assert.ok(healthy.requests.length >= 2);
    sender.stop();
  });
});
