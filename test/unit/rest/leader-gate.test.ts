import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leadershipHandler } from '../../../src/rest/handlers/leadership-handler.js';
import { leaderGate, type LeadershipView } from '../../../src/rest/leader-gate.js';

describe('the REST gate of a JobManager under leader election', () => {
  const own = 'http://localhost:8082';
  const gate = (view: LeadershipView) =>
    leaderGate(
      () => view,
      () => own,
    );

  it('lets the leader serve', () => {
    assert.equal(gate({ isLeader: true, leaderRestUrl: own })('/jobs/overview'), undefined);
  });

  it('redirects a standby to the same path and query on the leader, saying where the leader is', () => {
    const answer = gate({ isLeader: false, leaderRestUrl: 'http://localhost:8081/' })('/jobs/abc?get=x');
    assert.ok(answer !== undefined && 'json' in answer);
    assert.equal(answer.status, 307);
    assert.equal(answer.headers?.['Location'], 'http://localhost:8081/jobs/abc?get=x');
    assert.deepEqual(answer.json, {
      errors: ['This JobManager (http://localhost:8082) is not the leader; the leader is at http://localhost:8081/.'],
    });
  });

  it("answers 503 in Flink's words while no leader is known, or the published leader is this stale standby", () => {
    for (const leaderRestUrl of [undefined, own]) {
      const answer = gate({ isLeader: false, leaderRestUrl })('/overview');
      assert.ok(answer !== undefined && 'json' in answer);
      assert.equal(answer.status, 503);
      assert.deepEqual(answer.json, { errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] });
    }
  });

  it('lets a standby answer GET /jobmanager/leadership itself, naming the leader', async () => {
    const view: LeadershipView = { isLeader: false, leaderRestUrl: 'http://localhost:8081' };
    assert.equal(gate(view)('/jobmanager/leadership'), undefined);
    assert.equal(gate(view)('/jobmanager/leadership?x=1'), undefined);
    assert.equal(gate(view)('/jobmanager/leadership/more')?.status, 307);
    const handler = leadershipHandler(
      () => ({ type: 'zookeeper', view: () => view }),
      () => own,
    );
    const answer = await handler({ params: {}, query: {} } as never);
    assert.deepEqual(answer, {
      status: 200,
      json: { 'high-availability': 'zookeeper', address: own, 'is-leader': false, 'leader-address': 'http://localhost:8081' },
    });
    const alone = await leadershipHandler(
      () => undefined,
      () => own,
    )({ params: {}, query: {} } as never);
    assert.deepEqual(alone, { status: 200, json: { 'high-availability': 'NONE', address: own, 'is-leader': true, 'leader-address': own } });
  });
});
