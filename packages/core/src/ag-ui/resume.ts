import type { ApprovalDecision } from '../api.js';
import type { Interrupt, ResumeEntry } from '@ag-ui/core';

/** The `payload` of a resume entry that answers a tool approval (`approvalResponseSchema`). */
export interface ApprovalPayload {
  /** Run the tool (default true for a `resolved` entry without this field). */
  approved?: boolean;
  /** The arguments to run the tool with, when the user edited them. */
  input?: unknown;
  /** Why the call was rejected; the model reads it. */
  feedback?: string;
}

/**
 * The approval decisions that `RunAgentInput.resume[]` stands for, for the
 * interrupts of `AgentChatToAgUi` (whose ids are the tool call ids):
 * `resolved` approves, with `payload.input` as the edited arguments, unless
 * `payload.approved` is `false` (a rejection, with `payload.feedback`);
 * `cancelled` rejects. Entries for unknown interrupts are left out (the
 * server answers those with its own error); a payload that is not an object
 * counts as no payload.
 */
export function approvalsFromResume(resume: readonly ResumeEntry[]): ApprovalDecision[] {
  return resume.map((entry): ApprovalDecision => {
    const payload: ApprovalPayload =
      entry.payload && typeof entry.payload === 'object' && !Array.isArray(entry.payload) ? (entry.payload as ApprovalPayload) : {};
    if (entry.status === 'cancelled' || payload.approved === false) {
      return {
        toolCallId: entry.interruptId,
        decision: 'reject',
        ...(typeof payload.feedback === 'string' ? { feedback: payload.feedback } : {}),
      };
    }
    return { toolCallId: entry.interruptId, decision: 'approve', ...(payload.input !== undefined ? { input: payload.input } : {}) };
  });
}

/**
 * `RunAgentInput.resume[]` for our approval decisions on the interrupts a
 * remote AG-UI agent ended its run with (`AgUiToAgentChat.pendingInterrupts`);
 * the inverse of `approvalsFromResume`. A decision names the interrupt by its
 * tool call id (or by the interrupt's own id when it concerns no tool call).
 * An interrupt left without a decision is cancelled: AG-UI wants every open
 * interrupt answered.
 */
export function resumeFromApprovals(interrupts: readonly Interrupt[], decisions: readonly ApprovalDecision[]): ResumeEntry[] {
  return interrupts.map((interrupt): ResumeEntry => {
    const decision = decisions.find((d) => d.toolCallId === (interrupt.toolCallId ?? interrupt.id));
    if (!decision) return { interruptId: interrupt.id, status: 'cancelled' };
    const payload: ApprovalPayload =
      decision.decision === 'approve'
        ? { approved: true, ...(decision.input !== undefined ? { input: decision.input } : {}) }
        : { approved: false, ...(decision.feedback !== undefined ? { feedback: decision.feedback } : {}) };
    return { interruptId: interrupt.id, status: 'resolved', payload };
  });
}
