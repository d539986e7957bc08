import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { RetryOptions } from '../retry.js';
import { toolInputJsonSchema, type Tool, type ToolContext } from '../tool.js';
import { defineResearchTool, type ResearchInput } from '../research-sub-agents.js';
import type { SubAgentProgress } from '../sub-agent-progress.js';
import { runToolsUnwatched } from '../tool-loop.js';
import { createMessage, lazyAnthropicClient, tokenCounts, type AnthropicClientOptions } from './call.js';
import { toolResultBlock } from './history.js';
import type { ModelPrice } from '../model-price.js';
import { anthropicCostUsd } from './prices.js';

/** Options of {@link researchTool}. */
export interface ResearchToolOptions extends AnthropicClientOptions {
  /** The tools each sub-agent may use. Tools that need approval are refused to sub-agents (no one could approve them). */
  tools: Tool<any, any>[];
  /** Tool name. Default `research`. */
  name?: string;
  /** What the main model reads about the tool. Has a sensible default. */
  description?: string;
  /** The sub-agents' model. Default {@link DEFAULT_RESEARCH_MODEL}. */
  model?: string;
  /** Most sub-agents per call. Default 3. */
  maxAgents?: number;
  /** Most model calls per sub-agent. Default 8. */
  maxSteps?: number;
  /** Most output tokens per sub-agent model call (tokens). Default 4096. */
  maxTokens?: number;
  /** The sub-agents' system prompt. Has a sensible default. */
  system?: string;
  retry?: RetryOptions;
  /** Prices (USD per MTok) for the usage reported to the turn. Default: the built-in table. */
  prices?: Readonly<Record<string, ModelPrice>>;
}

/** A small, fast model for sub-agents and titles. */
export const DEFAULT_RESEARCH_MODEL = 'claude-haiku-4-5';

const DEFAULT_SYSTEM =
  'You are a research sub-agent. Use your tools to investigate the task you are given, then answer with a ' +
  'concise, factual summary of what you found (at most 200 words). Name the sources you used.';

export type { ResearchInput };

/**
 * A tool that runs research sub-agents: one child tool-use loop per task, in
 * parallel, each on its own (smaller) model with its own tools, without
 * streaming. While they work it reports each one's progress through
 * {@link ToolContext.log} (`tool_log` events: step, tool count, tokens,
 * elapsed ms) and their model calls through `reportUsage`; it returns a
 * markdown summary of every sub-agent's findings as the tool result.
 * Follows the Anthropic Messages API tool-use flow.
 *
 * A failed sub-agent is reported in the summary; the call fails only when all do.
 */
export function researchTool(options: ResearchToolOptions): Tool<ResearchInput, string> {
  const maxAgents = options.maxAgents ?? 3;
  const maxSteps = options.maxSteps ?? 8;
  const model = options.model ?? DEFAULT_RESEARCH_MODEL;
  const tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  const apiTools = options.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: toolInputJsonSchema(tool) as { type: 'object'; [key: string]: unknown },
  }));
  const getClient = lazyAnthropicClient(options);

  async function runSubAgent(task: ResearchInput['tasks'][number], progress: SubAgentProgress, ctx: ToolContext) {
    const messages: MessageParam[] = [{ role: 'user', content: task.instructions }];
    let lastText = '';
    progress.step('Starting');
    for (let step = 1; step <= maxSteps; step++) {
      const message = await createMessage(
        getClient(),
        {
          model,
          max_tokens: options.maxTokens ?? 4096,
          system: options.system ?? DEFAULT_SYSTEM,
          messages,
          ...(apiTools.length > 0 ? { tools: apiTools } : {}),
        },
        { signal: ctx.signal, ...(options.retry ? { retry: options.retry } : {}) },
      );
      const counts = tokenCounts(message.usage);
      ctx.reportUsage?.({
        model: message.model || model,
        usage: { ...counts, costUsd: anthropicCostUsd(message.model || model, counts, options.prices) },
      });
      const tokens = counts.inputTokens + counts.outputTokens + counts.cacheReadTokens + counts.cacheWriteTokens;
      const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('').trim();
      if (text) lastText = text;
      const calls = message.content.filter((b) => b.type === 'tool_use');
      if (message.stop_reason !== 'tool_use' || calls.length === 0) {
        progress.step('Writing up', { tokens });
        return lastText;
      }
      progress.step(`Using ${[...new Set(calls.map((c) => c.name))].join(', ')}`, { tokens, tools: calls.length });
      messages.push({ role: 'assistant', content: message.content as ContentBlockParam[] });
      const outcomes = await runToolsUnwatched(
        calls.map((call) => ({ toolCallId: call.id, name: call.name, input: call.input })),
        { tools, sessionId: ctx.sessionId, signal: ctx.signal },
      );
      messages.push({ role: 'user', content: outcomes.map((o) => toolResultBlock(o.call.toolCallId, o.result)) });
    }
    return `${lastText}\n\n(Stopped after ${maxSteps} steps.)`.trim();
  }

  return defineResearchTool({
    name: options.name ?? 'research',
    ...(options.description !== undefined ? { description: options.description } : {}),
    maxAgents,
    toolNames: [...tools.keys()],
    runSubAgent,
  });
}
