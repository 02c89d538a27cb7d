import type { JobManagerLeadershipInfo } from '../rest/types/responses.js';

/** One line of the JobManager page's leadership card: label, value, and the test id it is found by. */
export interface LeadershipLine {
  readonly label: string;
  readonly value: string;
  readonly testid: string;
}

/** What the dashboard says about leadership, from GET /jobmanager/leadership. */
export function leadershipLines(info: JobManagerLeadershipInfo): LeadershipLine[] {
  const type = info['high-availability'];
  if (type === 'NONE') {
    return [
      { label: 'High availability', value: 'none', testid: 'leadership-ha' },
      { label: 'Leader', value: `${info.address} (the only JobManager; no leader election)`, testid: 'leadership-leader' },
    ];
  }
  return [
    { label: 'High availability', value: type, testid: 'leadership-ha' },
    {
      label: 'Leader',
      value: info['leader-address'] ?? 'none yet (a leader election is going on)',
      testid: 'leadership-leader',
    },
    {
      label: 'This JobManager',
      value: info['is-leader'] ? `${info.address}, the leader` : `${info.address}, a standby`,
      testid: 'leadership-self',
    },
  ];
}
