import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leadershipLines } from '../../../src/web/leadership-summary.js';

const text = (lines: ReturnType<typeof leadershipLines>): string[] => lines.map((line) => `${line.label}: ${line.value}`);

describe("the Job Manager page's leadership card", () => {
  it('says which JobManager leads and whether the one serving the page is a standby', () => {
    const base = { 'high-availability': 'zookeeper', address: 'http://jm-2:8082' };
    assert.deepEqual(text(leadershipLines({ ...base, 'is-leader': false, 'leader-address': 'http://jm-1:8081' })), [
      'High availability: zookeeper',
      'Leader: http://jm-1:8081',
      'This JobManager: http://jm-2:8082, a standby',
    ]);
    assert.deepEqual(text(leadershipLines({ ...base, 'is-leader': true, 'leader-address': 'http://jm-2:8082' })), [
      'High availability: zookeeper',
      'Leader: http://jm-2:8082',
      'This JobManager: http://jm-2:8082, the leader',
    ]);
    assert.deepEqual(
      text(leadershipLines({ ...base, 'is-leader': false, 'leader-address': null }))[1],
      'Leader: none yet (a leader election is going on)',
    );
  });

  it('without high availability the only JobManager leads', () => {
    const lines = leadershipLines({
      'high-availability': 'NONE',
      address: 'http://jm:8081',
      'is-leader': true,
      'leader-address': 'http://jm:8081',
    });
    assert.deepEqual(text(lines), ['High availability: none', 'Leader: http://jm:8081 (the only JobManager; no leader election)']);
    assert.deepEqual(
      lines.map((line) => line.testid),
      ['leadership-ha', 'leadership-leader'],
    );
  });
});
