import type { EventOf, UsageTotals } from '@agent-chat/core';
import { z } from 'zod';

/** What a tool's `execute` gets besides its input. */
export interface ToolContext {
  sessionId: string;
  toolCallId: string;
  /** Aborted when the turn is interrupted. */
  signal: AbortSignal;
  /**
   * Reports a sub-agent's progress; the agent loop yields it as a `tool_log`
   * event of this call. Optional: a tool must work when the loop offers none.
   */
  log?(agent: EventOf<'tool_log'>['agent']): void;
  /** Reports a model call the tool made (tokens, USD), so it counts in the turn's `usage`. */
  reportUsage?(report: { model: string; usage: UsageTotals }): void;
}

/**
 * A tool the agent can call. `input` is a zod schema: it validates the model's
 * (or the user's edited) arguments and, as JSON Schema, tells the model and the
 * approval UI what they look like.
 */
export interface Tool<I = unknown, O = unknown> {
  name: string;
  description: string;
  input: z.ZodType<I>;
  /**
   * The input's JSON Schema when the tool comes with one (e.g. an MCP server's tool):
   * sent to the model and the approval UI as is, instead of the one derived from
   * `input`, which still validates every call.
   */
  inputJsonSchema?: Record<string, unknown>;
  /** Whether the user must approve a call before it runs (or a predicate on the input). */
  needsApproval?: boolean | ((input: I) => boolean);
  /** Runs the call. Throwing makes an error result (its message is shown to the model and the user). */
  execute(input: I, ctx: ToolContext): Promise<O> | O;
}

/** Declares a tool with its input and output types inferred. Returns it unchanged. */
export function defineTool<I, O>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

/**
 * A tool's input as JSON Schema, without the `$schema` key: its `inputJsonSchema`
 * when it has one, else draft 2020-12 from `z.toJSONSchema` of its `input`.
 */
export function toolInputJsonSchema(tool: Tool<any, any>): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = (tool.inputJsonSchema ??
    z.toJSONSchema(tool.input, { unrepresentable: 'any' })) as Record<string, unknown>;
  return schema;
}

/** Whether a call of `tool` with this (already valid) input needs the user's approval. */
export function toolNeedsApproval<I>(tool: Tool<I, unknown>, input: I): boolean {
  const rule = tool.needsApproval;
  return typeof rule === 'function' ? rule(input) : rule === true;
}

/** The result of {@link runToolCall}: the tool's output, or an error message with `isError`. */
export interface ToolCallResult {
  output: unknown;
  isError: boolean;
}

/**
 * Validates `rawInput` against the tool's schema and runs it. Never throws:
 * invalid input gives `isError` with a message naming each bad field
 * (e.g. `Invalid input for read_file: path: expected string`), and a throwing
 * tool gives `isError` with the error's message.
 */
export async function runToolCall(tool: Tool<any, any>, rawInput: unknown, ctx: ToolContext): Promise<ToolCallResult> {
  const parsed = tool.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    return { output: `Invalid input for ${tool.name}: ${problems.join('; ')}`, isError: true };
  }
  try {
    return { output: await tool.execute(parsed.data, ctx), isError: false };
  } catch (error) {
    return { output: error instanceof Error ? error.message : String(error), isError: true };
  }
}

/**
 * A `validateInput` for `ctx.requestApproval(tools, { validateInput })`: checks
 * an edited input against the zod schema of the tool each call uses, so a bad
 * edit is refused with 422 naming the field instead of reaching the tool.
 *
 * @param toolsByCallId The tool behind each pending tool call id.
 */
export function approvalInputValidator(
  toolsByCallId: ReadonlyMap<string, Tool<any, any>>,
): (toolCallId: string, input: unknown) => { path: (string | number)[]; message: string }[] {
  return (toolCallId, input) => {
    const tool = toolsByCallId.get(toolCallId);
    if (!tool) return [];
    const parsed = tool.input.safeParse(input);
    if (parsed.success) return [];
    return parsed.error.issues.map((issue) => ({
      path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
      message: issue.message,
    }));
  };
}
