/** The daemon names Flink's scripts use in pid and log file names. */
export type DaemonName = 'standalonejob' | 'standalonesession' | 'taskexecutor' | 'autoscaler' | 'zookeeper';

export const DAEMON_NAMES: readonly DaemonName[] = ['standalonejob', 'standalonesession', 'taskexecutor', 'autoscaler'];
