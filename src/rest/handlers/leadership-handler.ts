import type { LeadershipView } from '../leader-gate.js';
import type { RestHandler } from '../router.js';
import type { JobManagerLeadershipInfo } from '../types/responses.js';

/** GET /jobmanager/leadership, tsflink's own: a JobManager without leader election always leads. */
export const LEADERSHIP_PATH = '/jobmanager/leadership';

/** Where a JobManager's leadership is read from: undefined without leader election. */
export interface LeadershipSource {
  readonly type: string;
  readonly view: () => LeadershipView;
}

/** Answers which JobManager leads and whether this one does. */
export function leadershipHandler(source: () => LeadershipSource | undefined, ownUrl: () => string): RestHandler {
  return () => {
    const election = source();
    const address = ownUrl();
    if (election === undefined) {
      return {
        status: 200,
        json: { 'high-availability': 'NONE', address, 'is-leader': true, 'leader-address': address } satisfies JobManagerLeadershipInfo,
      };
    }
    const { isLeader, leaderRestUrl } = election.view();
    return {
      status: 200,
      json: {
        'high-availability': election.type,
        address,
        'is-leader': isLeader,
        'leader-address': isLeader ? address : (leaderRestUrl ?? null),
      } satisfies JobManagerLeadershipInfo,
    };
  };
}
