import type { ExecutionGraph } from '../../execution-graph/execution-graph.js';
import { StateWithoutExecutionGraph } from '../state-without-execution-graph.js';
import type { StateTimers } from '../state.js';
import type { RescaleCause, ToCreatingExecutionGraph, ToFinished } from '../transitions.js';

/** What WaitingForResources may ask and where it may go. */
export interface WaitingForResourcesContext extends ToCreatingExecutionGraph, ToFinished, StateTimers {
  hasDesiredResources(): boolean;
  hasSufficientResources(): boolean;
  /** Negative: wait forever (Reactive Mode's default). */
  readonly resourceWaitTimeoutMs: number;
  readonly resourceStabilizationTimeoutMs: number;
}

/**
 * Waits for slots: goes on at once when the desired slots are there, after the stabilization
 * timeout when only sufficient ones are (the timeout restarts when they stop being sufficient),
 * and gives up after the resource wait timeout.
 */
export class WaitingForResources extends StateWithoutExecutionGraph {
  readonly name = 'WaitingForResources';
  readonly jobStatus = 'CREATED' as const;
  /** Bumped whenever a stabilization is armed or cleared, so a timer of an older one does nothing. */
  private stabilization = 0;
  private stabilizationArmed = false;

  constructor(
    private readonly context: WaitingForResourcesContext,
    private readonly previous: ExecutionGraph | undefined,
    private readonly cause: RescaleCause,
  ) {
    super(context);
    // States never transition from their constructor.
    context.runIfState(this, () => this.checkResources(), 0);
    if (context.resourceWaitTimeoutMs >= 0) context.runIfState(this, () => this.resourceTimeout(), context.resourceWaitTimeoutMs);
  }

  onNewResources(): void {
    this.checkResources();
  }

  private checkResources(): void {
    const context = this.context;
    if (context.hasDesiredResources()) {
      context.goToCreatingExecutionGraph(this.previous, this.cause);
    } else if (context.hasSufficientResources()) {
      if (context.resourceStabilizationTimeoutMs <= 0) {
        context.goToCreatingExecutionGraph(this.previous, this.cause);
      } else if (!this.stabilizationArmed) {
        this.stabilizationArmed = true;
        const armed = ++this.stabilization;
        context.runIfState(this, () => this.stabilized(armed), context.resourceStabilizationTimeoutMs);
      }
    } else if (this.stabilizationArmed) {
      this.stabilizationArmed = false;
      this.stabilization++;
    }
  }

  private stabilized(armed: number): void {
    if (armed !== this.stabilization) return;
    this.stabilizationArmed = false;
    if (this.context.hasSufficientResources()) this.context.goToCreatingExecutionGraph(this.previous, this.cause);
  }

  private resourceTimeout(): void {
    // CreatingExecutionGraph fails the job if even the minimum is not there.
    this.context.goToCreatingExecutionGraph(this.previous, this.cause, true);
  }
}
