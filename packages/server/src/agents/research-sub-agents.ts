import { z } from 'zod';
import { defineTool, type Tool, type ToolContext } from './tool.js';
import { SubAgentProgress } from './sub-agent-progress.js';

/** The input of a research tool call: one task per sub-agent. */
export interface ResearchInput {
  tasks: { label: string; instructions: string }[];
}

/** What {@link defineResearchTool} needs from a provider: how one sub-agent works through one task. */
export interface ResearchToolDefinition {
  name: string;
  description?: string;
  /** Most sub-agents per call. */
  maxAgents: number;
  /** Names of the sub-agents' tools, for the default description. */
  toolNames: readonly string[];
  /**
   * Runs one sub-agent on `task` and returns its findings. It reports its
   * steps through `progress`, its model calls through `ctx.reportUsage`, and
   * stops when `ctx.signal` aborts.
   */
  runSubAgent(task: ResearchInput['tasks'][number], progress: SubAgentProgress, ctx: ToolContext): Promise<string>;
}

/**
 * The research tool every provider shares: one sub-agent per task, all in
 * parallel, each reporting its progress as `tool_log` events (see
 * {@link SubAgentProgress}); returns a markdown summary of every sub-agent's
 * findings. A failed sub-agent is reported in the summary; the call fails only when all do.
 */
export function defineResearchTool(definition: ResearchToolDefinition): Tool<ResearchInput, string> {
  const { maxAgents } = definition;
  return defineTool({
    name: definition.name,
    description:
      definition.description ??
      `Runs up to ${maxAgents} research sub-agents in parallel, one per task, each with its own tools ` +
        `(${definition.toolNames.join(', ') || 'none'}). Give each task a short label and self-contained instructions. ` +
        'Returns each sub-agent\'s findings.',
    input: z.object({
      tasks: z
        .array(
          z.object({
            label: z.string().min(1).max(80).describe('Short name shown to the user, e.g. "Pricing pages"'),
            instructions: z.string().min(1).max(8000).describe('What this sub-agent should find out'),
          }),
        )
        .min(1)
        .max(maxAgents),
    }),
    async execute({ tasks }, ctx: ToolContext): Promise<string> {
      const outcomes = await Promise.all(
        tasks.map(async (task, index) => {
          const progress = new SubAgentProgress(`${ctx.toolCallId}:${index + 1}`, task.label, ctx);
          try {
            const findings = await definition.runSubAgent(task, progress, ctx);
            progress.done();
            return { task, ok: true, text: findings || '(no findings)' };
          } catch (error) {
            if (ctx.signal.aborted) throw error;
            const message = error instanceof Error ? error.message : String(error);
            progress.fail(`Failed: ${message}`);
            return { task, ok: false, text: `Failed: ${message}` };
          }
        }),
      );
      const summary = outcomes.map(({ task, text }) => `## ${task.label}\n\n${text}`).join('\n\n');
      if (outcomes.every((o) => !o.ok)) throw new Error(`Every research sub-agent failed.\n\n${summary}`);
      return summary;
    },
  });
}
