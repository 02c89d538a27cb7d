import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import type { HeartbeatListener, HeartbeatTarget } from '../../../src/heartbeat/heartbeat-listener.js';
import { HeartbeatManager, HeartbeatSender } from '../../../src/heartbeat/heartbeat-manager.js';

/** Records what a heartbeat manager tells its owner. */
class TestingHeartbeatListener implements HeartbeatListener<string, string> {
  readonly timeouts: Array<{ id: string; at: number }> = [];
  readonly payloads: Array<[string, string]> = [];

  notifyHeartbeatTimeout(targetId: string): void {
    this.timeouts.push({ id: targetId, at: Date.now() });
  }
  reportPayload(targetId: string, payload: string): void {
    this.payloads.push([targetId, payload]);
  }
  retrievePayload(targetId: string): string {
    return `payload-for-${targetId}`;
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

/** Virtual time for one test: timers and Date.now() move only when the test ticks them. */
function virtualTime(t: TestContext): (ms: number) => void {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
  return (ms) => t.mock.timers.tick(ms);
}

before(() => configureLogging(new MemoryLogSink(), 'WARN'));

describe('HeartbeatManager (receiver side)', () => {
  it('reports a silent target once, however long it stays silent', (t) => {
    const tick = virtualTime(t);
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, 50);
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    tick(49);
    assert.deepEqual(listener.timeouts, [], 'not before the timeout');
    tick(1);
    tick(1_000);
    assert.deepEqual(listener.timeouts, [{ id: 'jm', at: 50 }]);
    manager.receiveHeartbeat('jm', 'too late');
    assert.deepEqual(listener.payloads, [], 'a timed-out target is no longer monitored');
    assert.equal(manager.lastHeartbeatFrom('jm'), undefined);
  });

  it('pushes the timeout back with every heartbeat: it fires a full timeout after the last one', (t) => {
    const tick = virtualTime(t);
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, 300);
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    for (let i = 0; i < 3; i++) {
      tick(150);
      manager.receiveHeartbeat('jm', `beat-${i}`);
    }
    assert.equal(manager.lastHeartbeatFrom('jm'), 450);
    tick(299);
    assert.deepEqual(listener.timeouts, [], 'three heartbeats pushed the timeout past the first deadline (300)');
    tick(1);
    assert.deepEqual(listener.timeouts, [{ id: 'jm', at: 750 }]);
    assert.deepEqual(
      listener.payloads.map(([, p]) => p),
      ['beat-0', 'beat-1', 'beat-2'],
    );
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

  it('cancels the timeout when a target is unmonitored, or when the manager stops', (t) => {
    const tick = virtualTime(t);
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, 40);
    manager.monitorTarget('a', new TestingHeartbeatTarget());
    manager.monitorTarget('b', new TestingHeartbeatTarget());
    manager.unmonitorTarget('a');
    manager.stop();
    manager.monitorTarget('c', new TestingHeartbeatTarget());
    tick(1_000);
    assert.deepEqual(listener.timeouts, []);
  });

  it('replaces the monitor when a target is monitored again, so only the new one can fire', (t) => {
    const tick = virtualTime(t);
    const listener = new TestingHeartbeatListener();
    const manager = new HeartbeatManager('me', listener, 100);
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    tick(60);
    manager.monitorTarget('jm', new TestingHeartbeatTarget());
    tick(99);
    assert.deepEqual(listener.timeouts, [], "the first monitor's deadline (100) has passed without firing");
    tick(1);
    tick(1_000);
    assert.deepEqual(listener.timeouts, [{ id: 'jm', at: 160 }]);
  });
});

describe('HeartbeatSender (requesting side)', () => {
  it('requests a heartbeat at once when it starts monitoring, then every interval', (t) => {
    const tick = virtualTime(t);
    const sender = new HeartbeatSender('jm', new TestingHeartbeatListener(), 10_000, 50);
    const target = new TestingHeartbeatTarget();
    sender.monitorTarget('tm-1', target);
    assert.deepEqual(target.requests, [['jm', 'payload-for-tm-1']], 'the first request goes out synchronously');
    tick(49);
    assert.equal(target.requests.length, 1);
    tick(1);
    assert.equal(target.requests.length, 2);
    tick(200);
    assert.equal(target.requests.length, 6, 'one request every 50 ms');
    sender.stop();
  });

  it('stops requesting from an unmonitored target, and entirely once stopped', (t) => {
    const tick = virtualTime(t);
    const sender = new HeartbeatSender('jm', new TestingHeartbeatListener(), 10_000, 30);
    const gone = new TestingHeartbeatTarget();
    const stays = new TestingHeartbeatTarget();
    sender.monitorTarget('gone', gone);
    sender.monitorTarget('stays', stays);
    sender.unmonitorTarget('gone');
    tick(90);
    assert.equal(gone.requests.length, 1, 'only the request made when monitoring began');
    assert.equal(stays.requests.length, 4);
    sender.stop();
    tick(300);
    assert.equal(stays.requests.length, 4);
  });

  it('keeps requesting from healthy targets when one target throws, and still times the failing one out', (t) => {
    const tick = virtualTime(t);
    const listener = new TestingHeartbeatListener();
    const sender = new HeartbeatSender('jm', listener, 150, 30);
    const broken = new TestingHeartbeatTarget();
    broken.failRequests = true;
    const healthy = new TestingHeartbeatTarget();
    sender.monitorTarget('broken', broken);
    sender.monitorTarget('healthy', healthy);
    for (let elapsed = 0; elapsed < 300; elapsed += 20) {
      tick(20);
      sender.receiveHeartbeat('healthy', 'ok');
    }
    // The deadline is 150; the clock moves in 20 ms steps, so the notice comes in the step that ends at 160.
    assert.deepEqual(listener.timeouts, [{ id: 'broken', at: 160 }]);
    assert.equal(healthy.requests.length, 11, 'a request every 30 ms despite the throwing target');
    sender.stop();
  });
});
