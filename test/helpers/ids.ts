import type { AllocationId, ExecutionAttemptId, JobId, OperatorId, ResourceId, TriggerId, VertexId } from '../../src/core/ids.js';

// Tests make their ids up, so this is where those ids enter and are branded, as production code
// brands ids where they enter a process (src/core/ids.ts). Any text will do: nothing checks the form.

export const asJobId = (text: string): JobId => text as JobId;
export const asVertexId = (text: string): VertexId => text as VertexId;
export const asOperatorId = (text: string): OperatorId => text as OperatorId;
export const asAttemptId = (text: string): ExecutionAttemptId => text as ExecutionAttemptId;
export const asAllocationId = (text: string): AllocationId => text as AllocationId;
export const asResourceId = (text: string): ResourceId => text as ResourceId;
export const asTriggerId = (text: string): TriggerId => text as TriggerId;
