import type { JobResult } from '../../scheduler-ng.js';
import type { State } from '../state.js';

/** Terminal: the job ended with `result`; nothing changes it any more. */
export class Finished implements State {
  readonly name = 'Finished';

  constructor(readonly result: JobResult) {}

  get jobStatus(): 'FINISHED' | 'FAILED' | 'CANCELED' | 'SUSPENDED' {
    return this.result.status;
  }

  onLeave(): void {}
  cancel(): void {}
  suspend(): void {}
  handleGlobalFailure(): void {}
}
