import type { LanguageModel, ModelMessage } from 'ai';
import type { RetryOptions } from '../retry.js';
import type { Tool, ToolContext } from '../tool.js';
import type { ModelPrice } from '../model-price.js';
import { defineResearchTool, type ResearchInput } from '../research-sub-agents.js';
import type { SubAgentProgress } from '../sub-agent-progress.js';
import { runToolsUnwatched } from '../tool-loop.js';
import { toolSchemas, modelIdOf } from './agent.js';
import { generateOnce } from './call.js';
import { toolResultPart } from './history.js';
import { aiSdkCostUsd, OPENAI_PRICES_USD_PER_MTOK, tokenCountsOf } from './prices.js';

/** Options of {@link aiSdkResearchTool}. */
export interface AiSdkResearchToolOptions {
  /** The sub-agents' model (any AI SDK language model; a small, fast one is enough). */
  model: LanguageModel;
  /** The tools each sub-agent may use. Tools that need approval are refused to sub-agents (no one could approve them). */
  tools: Tool<any, any>[];
  /** Tool name. Default `research`. */
  name?: string;
  /** What the main model reads about the tool. Has a sensible default. */
  description?: string;
  /** Most sub-agents per call. Default 3. */
  maxAgents?: number;
  /** Most model calls per sub-agent. Default 8. */
  maxSteps?: number;
  /** Most output tokens per sub-agent model call (tokens). Default 4096. */
  maxOutputTokens?: number;
  /** The sub-agents' system prompt. Has a sensible default. */
  system?: string;
  retry?: RetryOptions;
  /** Prices (USD per MTok) for the usage reported to the turn, merged over the built-in table. */
  prices?: Readonly<Record<string, ModelPrice>>;
}

const DEFAULT_SYSTEM =
  'You are a research sub-agent. Use your tools to investigate the task you are given, then answer with a ' +
  'concise, factual summary of what you found (at most 200 words). Name the sources you used.';

/**
 * The research tool (see `defineResearchTool`) on the AI SDK: each sub-agent
 * is a tool-use loop without streaming (`generateText`, one step per call,
 * tools as schemas, our retries), run through the shared tool loop with no one
 * to ask (tools that need approval are refused), its model calls reported as
 * usage of the turn and its steps as `tool_log` progress.
 */
export function aiSdkResearchTool(options: AiSdkResearchToolOptions): Tool<ResearchInput, string> {
  const maxSteps = options.maxSteps ?? 8;
  const tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  const apiTools = toolSchemas(options.tools);
  const prices = { ...OPENAI_PRICES_USD_PER_MTOK, ...options.prices };
  const modelId = modelIdOf(options.model);

  async function runSubAgent(task: ResearchInput['tasks'][number], progress: SubAgentProgress, ctx: ToolContext): Promise<string> {
    const messages: ModelMessage[] = [{ role: 'user', content: task.instructions }];
    let lastText = '';
    progress.step('Starting');
    for (let step = 1; step <= maxSteps; step++) {
      const result = await generateOnce(
        {
          model: options.model,
          instructions: options.system ?? DEFAULT_SYSTEM,
          messages,
          ...(apiTools ? { tools: apiTools } : {}),
          maxOutputTokens: options.maxOutputTokens ?? 4096,
        },
        { signal: ctx.signal, ...(options.retry ? { retry: options.retry } : {}) },
      );
      const counts = tokenCountsOf(result.usage);
      const model = result.response.modelId || modelId;
      ctx.reportUsage?.({ model, usage: { ...counts, costUsd: aiSdkCostUsd(model, counts, prices) } });
      const tokens = counts.inputTokens + counts.outputTokens + counts.cacheReadTokens + counts.cacheWriteTokens;
      if (result.text.trim()) lastText = result.text.trim();
      const calls = result.toolCalls.filter((call) => !call.providerExecuted);
      if (calls.length === 0) {
        progress.step('Writing up', { tokens });
        return lastText;
      }
      progress.step(`Using ${[...new Set(calls.map((c) => c.toolName))].join(', ')}`, { tokens, tools: calls.length });
      messages.push(...result.response.messages);
      const outcomes = await runToolsUnwatched(
        calls.map((call) => ({ toolCallId: call.toolCallId, name: call.toolName, input: call.input })),
        { tools, sessionId: ctx.sessionId, signal: ctx.signal },
      );
      messages.push({ role: 'tool', content: outcomes.map((o) => toolResultPart(o.call.toolCallId, o.call.name, o.result)) });
    }
    return `${lastText}\n\n(Stopped after ${maxSteps} steps.)`.trim();
  }

  return defineResearchTool({
    name: options.name ?? 'research',
    ...(options.description !== undefined ? { description: options.description } : {}),
    maxAgents: options.maxAgents ?? 3,
    toolNames: [...tools.keys()],
    runSubAgent,
  });
}
