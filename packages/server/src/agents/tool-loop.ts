import type { ApprovalDecision, EventOf, PendingApproval, ToolCallPart } from '@agent-chat/core';
import { rejectionText } from '@agent-chat/core/util';
import type { AgentContext } from './agent.js';
import { EventQueue } from './event-queue.js';
import { approvalInputValidator, runToolCall, toolInputJsonSchema, toolNeedsApproval, type Tool, type ToolCallResult, type ToolContext } from './tool.js';

/** One tool call a model step made, as its agent parsed it. The agent has already yielded its `tool_call` event. */
export interface StepToolCall {
  toolCallId: string;
  name: string;
  /** The arguments as the model sent them. */
  input: unknown;
  /** Why the arguments could not be read (e.g. invalid JSON); the call then fails with this message, unasked and unrun. */
  inputError?: string;
  /** Shown to the user with the approval request, when the call needs one. */
  approvalReason?: string;
}

/** How one call of a step ended, in the order of the calls. */
export interface ToolCallOutcome {
  call: StepToolCall;
  /** `rejected`: the user said no (or gave no decision), or no one could be asked; the tool did not run. */
  status: 'ran' | 'rejected';
  /** The input the tool ran with: the user's edit when there was one, else the model's. */
  input: unknown;
  /** Whether the user edited the input before approving. */
  edited: boolean;
  /** The user's feedback with a rejection, trimmed; undefined when none. */
  feedback?: string;
  /** What the model gets back: the tool's output or error, or the rejection (see {@link rejectionText}). */
  result: ToolCallResult;
}

/** What {@link runTools} yields while the step's calls run. `usage` has `cumulative` equal to `usage`: the agent fills in the session's total. */
export type ToolLoopEvent = EventOf<'tool_state_change'> | EventOf<'tool_output'> | EventOf<'tool_log'> | EventOf<'usage'>;

/** What {@link runTools} needs: the tools by name, and the turn's session, signal and approval request. */
export interface ToolLoopContext extends Pick<AgentContext, 'sessionId' | 'signal'> {
  tools: ReadonlyMap<string, Tool<any, any>>;
  /**
   * The turn's `ctx.requestApproval`. Without it (an agent no user watches, e.g. a research
   * sub-agent) a call that needs approval is refused: it fails with a message saying so, unrun.
   */
  requestApproval?: AgentContext['requestApproval'];
}

/**
 * Settles one model step's tool calls, the same way for every agent:
 * 1. validates each call's input against its tool's zod schema; of the valid
 *    ones, those the tool says need approval are put to the user in one
 *    `ctx.requestApproval` (the user's edited inputs are checked against the
 *    same schema, so a bad edit is refused with 422 before anything runs);
 *    without `ctx.requestApproval` they are refused, unrun;
 * 2. runs every runnable call at once: approved ones first yield
 *    `tool_state_change` running; each tool's `tool_log` progress and the
 *    `usage` of model calls it reports stream out as they happen, then its
 *    `tool_output`. An unknown tool, unreadable arguments or invalid input give
 *    an error output (naming the available tools, or each bad field); a
 *    rejected call yields nothing (the runner already reported it) and gets
 *    {@link rejectionText} as its result;
 * 3. returns one {@link ToolCallOutcome} per call, in call order, whatever
 *    order they finished in.
 *
 * Returns undefined as soon as `ctx.signal` aborts (tools are left to notice it).
 *
 * @throws {DOMException} `AbortError` from `ctx.requestApproval` when the turn is interrupted while it waits.
 */
export async function* runTools(
  calls: readonly StepToolCall[],
  ctx: ToolLoopContext,
): AsyncGenerator<ToolLoopEvent, ToolCallOutcome[] | undefined> {
  const { tools, signal } = ctx;
  const approvals: PendingApproval[] = [];
  for (const call of calls) {
    const tool = tools.get(call.name);
    if (!tool || call.inputError) continue;
    const parsed = tool.input.safeParse(call.input);
    if (parsed.success && toolNeedsApproval(tool, parsed.data)) {
      approvals.push({
        toolCallId: call.toolCallId,
        name: call.name,
        input: call.input,
        inputSchema: toolInputJsonSchema(tool),
        ...(call.approvalReason !== undefined ? { reason: call.approvalReason } : {}),
      } as PendingApproval);
    }
  }
  const decisions = new Map<string, ApprovalDecision>();
  if (approvals.length > 0 && ctx.requestApproval) {
    const validateInput = approvalInputValidator(new Map(approvals.map((a) => [a.toolCallId, tools.get(a.name)!])));
    for (const decision of await ctx.requestApproval(approvals, { validateInput })) decisions.set(decision.toolCallId, decision);
  }
  if (signal.aborted) return undefined;

  const queue = new EventQueue<ToolLoopEvent>();
  const push = (event: ToolLoopEvent) => queue.push(event);
  const outcomes: (ToolCallOutcome | undefined)[] = calls.map(() => undefined);
  let running = 0;

  calls.forEach((call, index) => {
    const tool = tools.get(call.name);
    const needsDecision = approvals.some((a) => a.toolCallId === call.toolCallId);
    const decision = decisions.get(call.toolCallId);
    if (needsDecision && decision?.decision !== 'approve') {
      const feedback = decision?.feedback?.trim() || undefined;
      const output = ctx.requestApproval
        ? rejectionText(feedback)
        : `${call.name} needs the user's approval, which this agent cannot ask for.`;
      outcomes[index] = {
        call,
        status: 'rejected',
        input: call.input,
        edited: false,
        ...(feedback ? { feedback } : {}),
        result: { output, isError: true },
      };
      return;
    }
    const edited = decision?.input !== undefined;
    const input = edited ? decision!.input : call.input;
    let settled: Promise<ToolCallResult> | ToolCallResult;
    if (!tool) {
      const known = [...tools.keys()].join(', ') || 'none';
      settled = { output: `Unknown tool "${call.name}". Available tools: ${known}.`, isError: true };
    } else if (call.inputError) {
      settled = { output: call.inputError, isError: true };
    } else {
      if (needsDecision) push({ type: 'tool_state_change', toolCallId: call.toolCallId, state: 'running' });
      const toolCtx: ToolContext = {
        sessionId: ctx.sessionId,
        toolCallId: call.toolCallId,
        signal,
        log: (agent) => push({ type: 'tool_log', toolCallId: call.toolCallId, agent }),
        reportUsage: ({ model, usage }) => push({ type: 'usage', scope: 'step', model, usage, cumulative: usage }),
      };
      settled = runToolCall(tool, input, toolCtx);
    }
    running++;
    void Promise.resolve(settled).then((result) => {
      outcomes[index] = { call, status: 'ran', input, edited, result };
      push({ type: 'tool_output', toolCallId: call.toolCallId, output: result.output, isError: result.isError });
      if (--running === 0) queue.close();
    });
  });
  if (running === 0) queue.close();

  yield* queue.drain(signal);
  if (signal.aborted) return undefined;
  return outcomes as ToolCallOutcome[];
}

/**
 * Settles a step's tool calls for an agent no user watches (a research
 * sub-agent): {@link runTools} with no one to ask, so calls that need approval
 * are refused, and its events kept inside. Outcomes in call order.
 *
 * @throws the abort reason when `ctx.signal` aborts.
 */
export async function runToolsUnwatched(calls: readonly StepToolCall[], ctx: Omit<ToolLoopContext, 'requestApproval'>): Promise<ToolCallOutcome[]> {
  const run = runTools(calls, ctx);
  let next = await run.next();
  while (!next.done) next = await run.next();
  ctx.signal.throwIfAborted();
  return next.value!;
}

/** The tool result the model sees for a rejected call (in core, where the AG-UI mapping uses it too). */
export { rejectionText };

/**
 * The result a model is shown for a tool call of the stored history: the
 * rejection text for a rejected call, the output (an error when it failed)
 * for a finished one, `undefined` while it has none (approval pending, or the
 * turn stopped while it ran). Every agent's history conversion uses it.
 */
export function settledToolResult(part: ToolCallPart): ToolCallResult | undefined {
  if (part.state === 'rejected') return { output: rejectionText(part.feedback), isError: true };
  if ((part.state === 'done' || part.state === 'error') && part.output !== undefined) {
    return { output: part.output, isError: part.state === 'error' || part.isError === true };
  }
  return undefined;
}
