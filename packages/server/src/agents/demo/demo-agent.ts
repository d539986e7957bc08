import { randomUUID } from 'node:crypto';
import { addUsage, type ChatMessage, type UsageTotals } from '@agent-chat/core';
import { clip, sleep } from '@agent-chat/core/util';
import type { Agent, AgentContext, AgentHealth, AgentOutput, ModelInfo, SummarizeContext } from '../agent.js';
import { streamText } from '../stream-text.js';
import type { Tool } from '../tool.js';
import { runTools, type StepToolCall, type ToolCallOutcome } from '../tool-loop.js';
import { findArithmetic } from './calculator.js';
import { ensureDemoSandbox } from './demo-sandbox.js';
import { demoToolSet, type FileEntry } from './demo-tools.js';
import { DEMO_ATTACHMENT_TYPES, describeAttachments } from './describe-attachments.js';

/** Options of {@link demoAgent}. */
export interface DemoAgentOptions {
  /**
   * Folder the demo's file tools work in (list, read, and write after approval).
   * Created, with a README in it, when it does not exist (see `ensureDemoSandbox`).
   */
  sandboxDir: string;
  /** Pause before each streamed chunk and tool step, in ms. Default 30. */
  chunkDelayMs?: number;
}

/** Where the demo proposes to write its note, relative to the sandbox. */
export const DEMO_NOTE_PATH = 'notes/agent-chat-demo.md';
const DEFAULT_EXPRESSION = '(17 + 25) * 2';

/** The one model of {@link demoAgent}. */
export const DEMO_MODELS: readonly ModelInfo[] = [{ id: 'demo', label: 'Demo agent (offline)', provider: 'agent-chat' }];

/**
 * An offline, deterministic agent that shows every part of the chat on any
 * input: thinking, streamed markdown (heading, list, code), real tool calls in
 * the sandbox (`list_files`, `read_file`, `calculate`), a `research` call whose
 * three parallel sub-agents report progress (`tool_log`), an approval-gated
 * `write_file` and usage (estimated tokens, $0). Its `summarize`, `title`
 * (which the server uses to title the session) and `checkHealth` are
 * deterministic and offline too. A missing `sandboxDir` is created with a
 * README in it. A message with files gets a description of what arrived
 * (name, type, size, image dimensions, a look at the bytes) instead of the tour.
 * No network. It stops within one chunk when the turn is interrupted.
 */
export function demoAgent(options: DemoAgentOptions): Agent & {
  readonly models: readonly ModelInfo[];
  summarize(ctx: SummarizeContext): Promise<string>;
  title(text: string, options: { signal: AbortSignal; model?: string }): Promise<string>;
  checkHealth(options: { signal: AbortSignal; model?: string }): Promise<AgentHealth>;
} {
  const delayMs = options.chunkDelayMs ?? 30;
  // A fresh folder (the README's snippet run anywhere) must not make every file tool fail with ENOENT.
  ensureDemoSandbox(options.sandboxDir);
  const tools = demoToolSet({ sandboxDir: options.sandboxDir, researchStepDelayMs: delayMs });
  return {
    name: 'demo',
    models: DEMO_MODELS,
    attachments: { mediaTypes: DEMO_ATTACHMENT_TYPES },

    /** Lists what the user asked and which tools ran; no model involved. */
    async summarize(ctx: SummarizeContext): Promise<string> {
      const asked = ctx.messages
        .filter((m) => m.role === 'user' && !m.summary)
        .map((m) => clip(m.parts.map((p) => (p.type === 'text' ? p.text : '')).join(' ').replace(/\s+/g, ' ').trim(), 80));
      const earlier = ctx.messages.filter((m) => m.summary).length;
      const toolNames = [...new Set(ctx.messages.flatMap((m) => m.parts.flatMap((p) => (p.type === 'tool_call' ? [p.name] : []))))];
      return [
        `Summary of ${ctx.messages.length} earlier message${ctx.messages.length === 1 ? '' : 's'}${earlier ? ' (including an earlier summary)' : ''}.`,
        asked.length ? `The user asked: ${asked.map((a) => JSON.stringify(a)).join('; ')}.` : 'The user asked nothing yet.',
        toolNames.length ? `The assistant used: ${toolNames.join(', ')}.` : 'No tools were used.',
      ].join(' ');
    },

    /** The first six words of `text`. */
    async title(text: string): Promise<string> {
      const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
      if (words.length === 0) return 'New conversation';
      const title = clip(words.slice(0, 6).join(' '), 60);
      return words.length > 6 && !title.endsWith('…') ? `${title}…` : title;
    },

    async checkHealth(): Promise<AgentHealth> {
      return { ok: true, model: 'demo', latencyMs: 0 };
    },

    async *run(ctx: AgentContext): AsyncGenerator<AgentOutput> {
      const { signal } = ctx;
      const userText = ctx.input.text.trim();
      let outputChars = 0;

      async function* say(text: string, kind: 'text' | 'thinking' = 'text'): AsyncGenerator<AgentOutput> {
        outputChars += text.length;
        yield* streamText(text, { kind, delayMs, signal });
        if (signal.aborted) return;
        yield kind === 'text' ? { type: 'assistant_stream_end' } : { type: 'thinking_end' };
      }

      /** Ends the turn with its usage, estimated from the characters read and written. */
      function* complete(): Generator<AgentOutput> {
        const usage: UsageTotals = {
          inputTokens: estimateTokens(historyChars(ctx.history) + userText.length) + 120,
          outputTokens: estimateTokens(outputChars),
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          costUsd: 0,
        };
        yield { type: 'usage', scope: 'turn', model: 'demo', usage, cumulative: addUsage(ctx.usage, usage) };
        yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: 'end_turn' };
      }

      if (ctx.input.attachments?.length) {
        yield* say(`The user sent ${ctx.input.attachments.length} file(s)${userText ? ` and wrote ${JSON.stringify(clip(userText, 80))}` : ''}. I will say what arrived.`, 'thinking');
        if (signal.aborted) return;
        yield* say(await describeAttachments(ctx.input.attachments, ctx.readAttachment));
        if (signal.aborted) return;
        yield* complete();
        return;
      }

      const toolsByName = new Map<string, Tool<any, any>>(Object.values(tools).map((tool) => [tool.name, tool]));
      /** One step of one call, through the shared tool loop (which asks for approval when the tool needs it). */
      async function* settle(call: StepToolCall): AsyncGenerator<AgentOutput, ToolCallOutcome | undefined> {
        const outcomes = yield* runTools([call], {
          tools: toolsByName,
          sessionId: ctx.sessionId,
          signal,
          requestApproval: (calls, approvalOptions) => ctx.requestApproval(calls, approvalOptions),
        });
        return outcomes?.[0];
      }

      async function* call(tool: Tool<any, any>, input: Record<string, unknown>): AsyncGenerator<AgentOutput, ToolCallOutcome['result'] | undefined> {
        const toolCallId = `call_${randomUUID()}`;
        yield { type: 'tool_call', toolCallId, name: tool.name, input };
        await sleep(delayMs, signal);
        if (signal.aborted) return undefined;
        const outcome = yield* settle({ toolCallId, name: tool.name, input });
        if (!outcome) return undefined;
        outputChars += JSON.stringify(outcome.result.output ?? '').length;
        return outcome.result;
      }

      yield* say(
        `The user wrote ${JSON.stringify(clip(userText, 80))}. I will answer with some markdown, ` +
          `then use each sandbox tool: list the files, read the first one, do a calculation, ` +
          `send three research sub-agents through the sandbox at once, ` +
          `and propose a note that needs the user's approval before it is written.`,
        'thinking',
      );
      if (signal.aborted) return;

      const fence = '`'.repeat(Math.max(3, longestBacktickRun(userText) + 1));
      yield* say(
        `## Hello from the demo agent\n\n` +
          `This offline agent shows what the chat can do, whatever you ask:\n\n` +
          `- **Markdown**: headings, lists and code blocks\n` +
          `- **Thinking**, shown apart from the answer\n` +
          `- **Tool calls** on a small sandbox folder, with their real output\n` +
          `- **Research** by sub-agents working in parallel, with live progress\n` +
          `- **Approval** before anything is written\n\n` +
          `Your message, as code:\n\n` +
          `${fence}js\nconst message = ${JSON.stringify(userText)};\nconsole.log(message.length); // ${userText.length}\n${fence}\n\n` +
          `Let me look around the sandbox.`,
      );
      if (signal.aborted) return;

      const listing = yield* call(tools.listFiles, { path: '.' });
      if (!listing) return;
      const entries = listing.isError ? [] : (listing.output as { entries: FileEntry[] }).entries;
      const firstFile = entries.find((entry) => entry.type === 'file');
      if (firstFile) {
        const read = yield* call(tools.readFile, { path: firstFile.name });
        if (!read) return;
      }

      const expression = findArithmetic(userText) ?? DEFAULT_EXPRESSION;
      const calculation = yield* call(tools.calculate, { expression });
      if (!calculation) return;
      const resultText = calculation.isError
        ? `could not be computed (${String(calculation.output)})`
        : `= ${(calculation.output as { result: number }).result}`;

      const research = yield* call(tools.research, { question: `What is in the sandbox? (asked: ${clip(userText, 80)})` });
      if (!research) return;

      const writeInput = {
        path: DEMO_NOTE_PATH,
        content:
          `# agent-chat demo\n\n` +
          `You wrote: ${clip(userText, 200)}\n\n` +
          `The sandbox holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}.\n\n` +
          `Calculation: ${expression} ${resultText}\n`,
      };
      const writeCallId = `call_${randomUUID()}`;
      yield { type: 'tool_call', toolCallId: writeCallId, name: tools.writeFile.name, input: writeInput };
      let closing: string;
      const write = yield* settle({
        toolCallId: writeCallId,
        name: tools.writeFile.name,
        input: writeInput,
        approvalReason: 'Writes a file in the sandbox folder.',
      });
      if (!write) return;
      if (write.status === 'ran') {
        const savedPath = (write.input as { path?: unknown }).path;
        closing = write.result.isError
          ? `The write failed: ${String(write.result.output)}`
          : `You approved the write, so I saved the note to \`${String(savedPath)}\`${write.edited ? ' (with your edits)' : ''}.`;
      } else {
        const feedback = write.feedback;
        closing = `You rejected the write, so nothing was saved.${feedback ? `\n\n> ${feedback.replace(/\n/g, '\n> ')}` : ''}`;
      }
      yield* say(
        `${closing}\n\nThat was the whole tour: thinking, markdown, tool calls, research sub-agents and an approval. ` +
          `The calculation \`${expression}\` ${resultText}.`,
      );
      if (signal.aborted) return;

      yield* complete();
    },
  };
}

/** About four characters per token, as for English text. */
function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function historyChars(history: readonly ChatMessage[]): number {
  let chars = 0;
  for (const message of history) {
    for (const part of message.parts) chars += part.type === 'tool_call' ? JSON.stringify(part.output ?? '').length : part.text.length;
  }
  return chars;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
