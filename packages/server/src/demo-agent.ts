import { randomUUID } from 'node:crypto';
import type { ChatMessage, UsageTotals } from '@agent-chat/core';
import type { Agent, AgentContext, AgentOutput } from './agent.js';
import { findArithmetic } from './calculator.js';
import { demoToolSet, type FileEntry } from './demo-tools.js';
import { sleep, streamText } from './stream-text.js';
import { runToolCall, toolInputJsonSchema, type Tool, type ToolCallResult } from './tool.js';

/** Options of {@link demoAgent}. */
export interface DemoAgentOptions {
  /** Folder the demo's file tools work in (list, read, and write after approval). */
  sandboxDir: string;
  /** Pause before each streamed chunk and tool step, in ms. Default 30. */
  chunkDelayMs?: number;
}

/** Where the demo proposes to write its note, relative to the sandbox. */
export const DEMO_NOTE_PATH = 'notes/agent-chat-demo.md';
const DEFAULT_EXPRESSION = '(17 + 25) * 2';

/**
 * An offline, deterministic agent that shows every part of the chat on any
 * input: thinking, streamed markdown (heading, list, code), real tool calls in
 * the sandbox (`list_files`, `read_file`, `calculate`), an approval-gated
 * `write_file`, a title on the first turn and usage (estimated tokens, $0).
 * No network. It stops within one chunk when the turn is interrupted.
 */
export function demoAgent(options: DemoAgentOptions): Agent {
  const tools = demoToolSet({ sandboxDir: options.sandboxDir });
  const delayMs = options.chunkDelayMs ?? 30;
  return {
    name: 'demo',
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

      async function* call(tool: Tool<any, any>, input: Record<string, unknown>): AsyncGenerator<AgentOutput, ToolCallResult | undefined> {
        const toolCallId = `call_${randomUUID()}`;
        yield { type: 'tool_call', toolCallId, name: tool.name, input };
        await sleep(delayMs, signal);
        if (signal.aborted) return undefined;
        const result = await runToolCall(tool, input, { sessionId: ctx.sessionId, toolCallId, signal });
        if (signal.aborted) return undefined;
        outputChars += JSON.stringify(result.output ?? '').length;
        yield { type: 'tool_output', toolCallId, output: result.output, isError: result.isError };
        return result;
      }

      yield* say(
        `The user wrote ${JSON.stringify(clip(userText, 80))}. I will answer with some markdown, ` +
          `then use each sandbox tool: list the files, read the first one, do a calculation, ` +
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
      const decisions = await ctx.requestApproval([
        {
          toolCallId: writeCallId,
          name: tools.writeFile.name,
          input: writeInput,
          inputSchema: toolInputJsonSchema(tools.writeFile),
          reason: 'Writes a file in the sandbox folder.',
        },
      ]);
      if (signal.aborted) return;
      const decision = decisions.find((d) => d.toolCallId === writeCallId);
      if (decision?.decision === 'approve') {
        yield { type: 'tool_state_change', toolCallId: writeCallId, state: 'running' };
        const input = decision.input ?? writeInput;
        const result = await runToolCall(tools.writeFile, input, { sessionId: ctx.sessionId, toolCallId: writeCallId, signal });
        if (signal.aborted) return;
        yield { type: 'tool_output', toolCallId: writeCallId, output: result.output, isError: result.isError };
        const savedPath = (input as { path?: unknown }).path;
        closing = result.isError
          ? `The write failed: ${String(result.output)}`
          : `You approved the write, so I saved the note to \`${String(savedPath)}\`${decision.input !== undefined ? ' (with your edits)' : ''}.`;
      } else {
        const feedback = decision?.feedback?.trim();
        closing = `You rejected the write, so nothing was saved.${feedback ? `\n\n> ${feedback.replace(/\n/g, '\n> ')}` : ''}`;
      }
      yield* say(
        `${closing}\n\nThat was the whole tour: thinking, markdown, tool calls and an approval. ` +
          `The calculation \`${expression}\` ${resultText}.`,
      );
      if (signal.aborted) return;

      if (ctx.history.length === 0) yield { type: 'title', title: clip(userText.replace(/\s+/g, ' '), 60) };
      const usage: UsageTotals = {
        inputTokens: estimateTokens(historyChars(ctx.history) + userText.length) + 120,
        outputTokens: estimateTokens(outputChars),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
      };
      yield { type: 'usage', scope: 'turn', model: 'demo', usage, cumulative: addUsage(ctx.usage, usage) };
      yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: 'end_turn' };
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

function addUsage(a: UsageTotals | undefined, b: UsageTotals): UsageTotals {
  if (!a) return b;
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
