import type { EventOf } from '@agent-chat/core';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Tool, ToolContext } from '../agents/tool.js';
import { McpConnection, type McpServerConfig } from './mcp-connection.js';
import { McpToolsError } from './mcp-error.js';
import { mcpResultText } from './mcp-result.js';

/** A tool as an MCP server lists it (`tools/list`), as far as we read it. */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  /** Hints from the server (MCP spec `ToolAnnotations`); untrusted unless you trust the server. */
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

/** Options of {@link mcpTools}. */
export interface McpToolsOptions {
  /**
   * Put before each tool's name with `_` (`prefix: 'fs'` -> `fs_read_file`), so
   * tools of several servers, or ours, do not clash. Default: none.
   */
  prefix?: string;
  /**
   * Whether a tool's calls need the user's approval, by MCP tool name: `true`
   * always, `false` never; or a function of the tool. Tools it leaves out
   * follow their annotations (see {@link mcpToolNeedsApproval}).
   */
  approval?: Record<string, boolean> | ((tool: McpToolInfo) => boolean | undefined);
  /** Which of the server's tools to offer (default all). */
  filter?: (tool: McpToolInfo) => boolean;
  /**
   * How long one request may wait for the server's answer, in ms; each progress
   * notification restarts the wait. Also bounds connecting and listing. Default 60 000.
   */
  timeoutMs?: number;
}

/** What {@link mcpTools} returns: the server's tools as ours, and the connection's end. */
export interface McpToolSet {
  /** Pass to any agent, e.g. `anthropicAgent({ tools: [...mcp.tools, ...mine] })`. */
  tools: Tool<Record<string, unknown>, string>[];
  /** The name the server gave at initialization, if any. */
  serverName: string | undefined;
  /** Closes the connection (a stdio server's process ends); calls after it fail. Call it with your chat server's `close()`. */
  close(): Promise<void>;
}

/** Default request timeout of {@link mcpTools}, in ms. */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

/**
 * Connects to an MCP server (Streamable HTTP when given a `url`, stdio when
 * given a `command`), lists its tools (following `nextCursor` pages) and
 * turns each into one of our tools for any agent:
 * - the server's JSON Schema goes to the model and the approval UI as it is,
 *   and validates each call's input (and the user's edits) through zod's
 *   `z.fromJSONSchema` (a schema it cannot read leaves the checking to the server);
 * - calls need approval as {@link mcpToolNeedsApproval} says, unless `options.approval` decides;
 * - progress notifications of a call become `tool_log` events of it;
 * - the result becomes text (see `mcpResultText`: images and binary
 *   resources are described, e.g. `[image: image/png, 12 KB]`); an
 *   `isError` result, a server that went away, or no answer within
 *   `timeoutMs` makes the call fail with a message saying so (an
 *   {@link McpToolsError}), so a turn never hangs on a dead server;
 * - interrupting the turn cancels the request (`notifications/cancelled`).
 * A lost connection is opened again by the next call (a stdio server is restarted).
 * The tool list is read once: tools the server adds later are not offered.
 *
 * @throws {McpToolsError} `connect_failed` when the server cannot be started,
 *   reached or listed; `duplicate_tool_name` when two tools get one name.
 */
export async function mcpTools(server: McpServerConfig, options: McpToolsOptions = {}): Promise<McpToolSet> {
  const connection = new McpConnection(server, options.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS);
  try {
    const client = await connection.open();
    const listed: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client
        .listTools(cursor === undefined ? {} : { cursor }, { timeout: connection.timeoutMs })
        .catch((error: unknown) => {
          throw new McpToolsError('connect_failed', `${connection.label} did not list its tools: ${String((error as Error)?.message ?? error)}`, {
            cause: error,
          });
        });
      listed.push(...(page.tools as McpToolInfo[]));
      cursor = page.nextCursor;
    } while (cursor);

    const tools: Tool<Record<string, unknown>, string>[] = [];
    const names = new Map<string, string>();
    for (const info of listed) {
      if (options.filter && !options.filter(info)) continue;
      const name = toolName(info.name, options.prefix);
      const clash = names.get(name);
      if (clash !== undefined) {
        throw new McpToolsError(
          'duplicate_tool_name',
          `${connection.label}: tools "${clash}" and "${info.name}" would both be named "${name}"; filter one out.`,
        );
      }
      names.set(name, info.name);
      tools.push(toTool(info, name, connection, options));
    }
    return {
      tools,
      serverName: client.getServerVersion()?.name,
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/**
 * The default approval rule, from the tool's annotations (MCP spec
 * `ToolAnnotations`, whose defaults are `readOnlyHint: false`,
 * `destructiveHint: true`): a tool needs approval unless it says it is
 * read-only (`readOnlyHint: true`) and does not also say it is destructive.
 */
export function mcpToolNeedsApproval(tool: Pick<McpToolInfo, 'annotations'>): boolean {
  return tool.annotations?.destructiveHint === true || tool.annotations?.readOnlyHint !== true;
}

/** A tool name the model APIs accept (`^[a-zA-Z0-9_-]{1,64}$`). */
function toolName(name: string, prefix: string | undefined): string {
  const full = prefix ? `${prefix}_${name}` : name;
  return full.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'tool';
}

function toTool(
  info: McpToolInfo,
  name: string,
  connection: McpConnection,
  options: McpToolsOptions,
): Tool<Record<string, unknown>, string> {
  const { $schema: _ignored, ...inputJsonSchema } = info.inputSchema as Record<string, unknown>;
  const rule = typeof options.approval === 'function' ? options.approval(info) : options.approval?.[info.name];
  return {
    name,
    description: info.description ?? info.title ?? info.annotations?.title ?? '',
    input: inputValidator(info.inputSchema),
    inputJsonSchema,
    needsApproval: rule ?? mcpToolNeedsApproval(info),
    async execute(input, ctx) {
      const progress = progressReporter(ctx, `${connection.name} · ${info.name}`);
      let failed = true;
      try {
        const result = await connection.callTool(info.name, input, { signal: ctx.signal, onprogress: progress.report });
        const text = mcpResultText(result);
        if (result.isError) throw new McpToolsError('tool_error', text || `${info.name} failed (the server gave no message).`);
        failed = false;
        return text;
      } finally {
        progress.end(failed);
      }
    },
  };
}

/**
 * The zod schema that validates a tool's input: zod's reading of its JSON
 * Schema, or any object when this zod has no `fromJSONSchema` (before 4.2) or
 * cannot read it; the server validates again in any case.
 */
function inputValidator(schema: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  const anyObject = z.record(z.string(), z.unknown());
  const fromJSONSchema = (z as { fromJSONSchema?: (schema: object) => z.ZodType }).fromJSONSchema;
  if (typeof fromJSONSchema !== 'function') return anyObject;
  try {
    return fromJSONSchema(schema) as z.ZodType<Record<string, unknown>>;
  } catch {
    return anyObject;
  }
}

/** Turns a call's MCP progress notifications into `tool_log` updates of one "agent" named after the tool. */
function progressReporter(ctx: ToolContext, label: string) {
  const started = Date.now();
  let last: EventOf<'tool_log'>['agent'] | undefined;
  const log = (agent: EventOf<'tool_log'>['agent']) => {
    last = agent;
    ctx.log?.(agent);
  };
  return {
    report: (progress: Progress) =>
      log({
        agentId: `mcp-${ctx.toolCallId}`,
        label,
        status: 'running',
        step: progressStep(progress),
        steps: [],
        toolCount: 0,
        tokens: 0,
        elapsedMs: Date.now() - started,
      }),
    end(failed: boolean) {
      if (last) log({ ...last, status: failed ? 'error' : 'done', elapsedMs: Date.now() - started });
    },
  };
}

/** `Indexing (3/10)`, `3/10`, or `3` when the server gives neither message nor total. */
function progressStep({ progress, total, message }: Progress): string {
  const count = total === undefined ? String(progress) : `${progress}/${total}`;
  return message ? (total === undefined ? message : `${message} (${count})`) : count;
}
