import { randomUUID } from 'node:crypto';
import type { ResumeEntry, RunAgentInput } from '@ag-ui/core';
import { AgUiToAgentChat, readAgUiEvents, resumeFromApprovals, toAgUiMessages } from '@agent-chat/core/ag-ui';
import type { Agent, AgentOutput } from '../../agents/agent.js';

/** Options of {@link agUiAgent}. */
export interface AgUiAgentOptions {
  /** The AG-UI endpoint: `POST` takes a `RunAgentInput` and answers with AG-UI events as SSE. */
  url: string;
  /** Sent with every request (authorization, ...). */
  headers?: Record<string, string>;
  /** Shown in logs. Default `ag-ui`. */
  name?: string;
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** An error of the remote agent (`RUN_ERROR`), or of its HTTP answer. */
export class AgUiAgentError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'AgUiAgentError';
  }
}

/**
 * Any remote AG-UI 1.0 agent (LangGraph, Mastra, CrewAI, Pydantic AI, ...)
 * as an agent of our server, so its conversations get our sessions,
 * persistence, stores, multi-process Redis and exact resume.
 *
 * Each turn is a run with the session as `threadId` and the conversation
 * (`toAgUiMessages`) plus the user's message as `messages`. The remote
 * agent's events become ours (`AgUiToAgentChat`); an interrupt outcome asks
 * our user (`requestApproval`) and the answers go back in the next run's
 * `resume[]` (edited arguments in `payload.input`); a cancelled outcome ends
 * the turn; `RUN_ERROR` fails it. An interrupt aborts the request.
 */
export function agUiAgent(options: AgUiAgentOptions): Agent {
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    name: options.name ?? 'ag-ui',
    async *run(ctx): AsyncGenerator<AgentOutput> {
      const reverse = new AgUiToAgentChat();
      const messages = [
        ...toAgUiMessages(ctx.history).messages,
        { id: randomUUID(), role: 'user' as const, content: ctx.input.text },
      ];
      let resume: ResumeEntry[] | undefined;
      for (;;) {
        const input: RunAgentInput = { threadId: ctx.sessionId, runId: randomUUID(), messages, tools: [], context: [], ...(resume ? { resume } : {}) };
        resume = undefined;
        const response = await doFetch(options.url, {
          method: 'POST',
          headers: { ...options.headers, 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify(input),
          signal: ctx.signal,
        });
        if (!response.ok || !response.body) {
          throw new AgUiAgentError(`The AG-UI agent answered ${response.status} ${response.statusText}.`, 'http_error');
        }
        let ended = false;
        for await (const event of readAgUiEvents(response.body)) {
          for (const mapped of reverse.map(event)) {
            switch (mapped.type) {
              case 'processing':
              case 'snapshot':
                break;
              case 'tool_state_change':
                // Our runner reports the user's decisions itself.
                if (mapped.state !== 'approved' && mapped.state !== 'rejected') yield mapped;
                break;
              case 'approval_required': {
                const interrupts = reverse.pendingInterrupts;
                const decisions = await ctx.requestApproval(mapped.tools);
                resume = resumeFromApprovals(interrupts, decisions);
                break;
              }
              case 'error':
                throw new AgUiAgentError(mapped.message, mapped.code);
              case 'interrupted':
              case 'shutdown':
                return;
              case 'turn_complete':
                ended = true;
                yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: mapped.stopReason };
                break;
              default:
                // The remote agent's ids are its own: our message id goes on what carries one.
                yield ('messageId' in mapped ? { ...mapped, messageId: ctx.messageId } : mapped) as AgentOutput;
            }
          }
        }
        if (ended || !resume) return;
      }
    },
  };
}
