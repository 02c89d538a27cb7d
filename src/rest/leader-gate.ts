import { LEADERSHIP_PATH } from './handlers/leadership-handler.js';
import type { RestResponse } from './router.js';

/** Flink's answer while no leader is known. */
const NO_LEADER = 'Service temporarily unavailable due to an ongoing leader election. Please refresh.';

/** What the gate asks about leadership. */
export interface LeadershipView {
  readonly isLeader: boolean;
  /** The leader's REST URL when one is published. */
  readonly leaderRestUrl: string | undefined;
}

/**
 * The REST gate of a JobManager under leader election: the leader serves, a standby redirects
 * (307, so POSTs are repeated as POSTs) to the same path on the leader with a body saying so, and
 * answers 503 while no leader is known. GET /jobmanager/leadership is answered by every JobManager,
 * so a client can ask any of them which one leads.
 */
export function leaderGate(view: () => LeadershipView, ownUrl: () => string): (target: string) => RestResponse | undefined {
  return (target) => {
    const { isLeader, leaderRestUrl } = view();
    if (isLeader || target.split('?')[0] === LEADERSHIP_PATH) return undefined;
    if (leaderRestUrl === undefined || leaderRestUrl === ownUrl()) return { status: 503, json: { errors: [NO_LEADER] } };
    const location = `${leaderRestUrl.replace(/\/$/, '')}${target}`;
    return {
      status: 307,
      json: { errors: [`This JobManager (${ownUrl()}) is not the leader; the leader is at ${leaderRestUrl}.`] },
      headers: { Location: location },
    };
  };
}
