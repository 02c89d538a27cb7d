import { h } from './dom.js';
import { NONE } from './format.js';
import type { ExecutionState, ExecutionStateCounts, JobTaskCounts } from '../rest/types/responses.js';

/** Execution states in lifecycle order, as Flink's task badge lists them. */
const STATES = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'INITIALIZING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
] as const satisfies readonly ExecutionState[];

/** Per-state subtask counts as small coloured chips, skipping states with no subtask. */
export function taskBadges(tasks: JobTaskCounts | ExecutionStateCounts | undefined): HTMLElement {
  // Job lists spell the states in lower case, job details in upper case.
  const counts: Readonly<Partial<Record<string, number>>> = tasks ?? {};
  const chips =
    tasks === undefined
      ? []
      : STATES.flatMap((state) => {
          const count = counts[state] ?? counts[state.toLowerCase()] ?? 0;
          return count > 0 ? [h('span', { class: `chip status-${state.toLowerCase()}`, title: state, 'data-state': state }, count)] : [];
        });
  return h('span', { class: 'chips', 'data-testid': 'task-badges' }, chips.length === 0 ? NONE : chips);
}
