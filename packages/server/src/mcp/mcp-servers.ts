import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { McpServerConfig } from './mcp-connection.js';
import { McpToolsError } from './mcp-error.js';
import { mcpTools, type McpToolSet, type McpToolsOptions } from './mcp-tools.js';

/** One server of an `mcpServers` map: where it is, and how its tools are offered. */
export type McpServerEntry = McpServerConfig & {
  name: string;
  /** Put before its tools' names with `_`. Default: the server's name; `""` for none. */
  prefix?: string;
  /** Per MCP tool name: `true` needs approval, `false` never (see `McpToolsOptions.approval`). */
  approval?: Record<string, boolean>;
  /** See `McpToolsOptions.timeoutMs`. */
  timeoutMs?: number;
};

const common = {
  prefix: z.string().regex(/^[a-zA-Z0-9_-]*$/, 'letters, digits, _ and - only').optional(),
  approval: z.record(z.string(), z.boolean()).optional(),
  timeoutMs: z.number().int().positive().optional(),
};
const entrySchema = z.union([
  z.looseObject({
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string()).optional(),
    type: z.enum(['http', 'streamable-http', 'streamableHttp']).optional(),
    ...common,
  }),
  z.looseObject({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    type: z.literal('stdio').optional(),
    ...common,
  }),
]);
const serversSchema = z.record(z.string(), entrySchema);

/**
 * Reads the `MCP_SERVERS` format: a JSON object of servers by name, the shape
 * of the `mcpServers` key that Claude Desktop, Cursor and others use,
 * either inline or in a JSON file (whose `mcpServers` key is read when it has one):
 *
 * ```json
 * {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "./sandbox"]},
 *  "docs": {"url": "http://127.0.0.1:8931/mcp", "headers": {"authorization": "Bearer ..."}}}
 * ```
 *
 * Besides `url`/`headers` or `command`/`args`/`env`/`cwd`, an entry may give
 * `prefix`, `approval` and `timeoutMs` (see {@link McpServerEntry}); other keys
 * are ignored. A command runs in `cwd` taken from `baseDir` (or the file's
 * folder), and in that folder itself when `cwd` is not given.
 *
 * @param value Inline JSON (starting with `{`) or the path of a JSON file.
 * @param baseDir Where relative paths start (default: the current directory).
 * @throws {McpToolsError} `invalid_config`, naming the file or the entry and what is wrong with it.
 */
export function parseMcpServers(value: string, baseDir = process.cwd()): McpServerEntry[] {
  const text = value.trim();
  let source = 'MCP_SERVERS';
  let json = text;
  if (!/^[[{]/.test(text)) {
    const file = path.resolve(baseDir, text);
    source = file;
    try {
      json = readFileSync(file, 'utf8');
    } catch (error) {
      throw new McpToolsError('invalid_config', `MCP_SERVERS is neither JSON (it must start with "{") nor a readable file: ${(error as Error).message}`);
    }
    baseDir = path.dirname(file);
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new McpToolsError('invalid_config', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (data && typeof data === 'object' && 'mcpServers' in data) data = (data as { mcpServers: unknown }).mcpServers;
  const badName = data && typeof data === 'object' ? Object.keys(data).find((name) => !/^[a-zA-Z0-9_-]+$/.test(name)) : undefined;
  if (badName !== undefined) {
    throw new McpToolsError('invalid_config', `${source}: "${badName}" is not a server name (letters, digits, _ and - only).`);
  }
  const parsed = serversSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(top)'}: ${issue.message}`);
    throw new McpToolsError(
      'invalid_config',
      `${source} must map server names to {"url": ...} or {"command": ..., "args": [...]}: ${problems.join('; ')}`,
    );
  }
  return Object.entries(parsed.data).map(([name, entry]) => {
    const { type: _type, ...rest } = entry as Record<string, unknown>;
    const server = { ...rest, name } as McpServerEntry;
    if ('command' in server) server.cwd = path.resolve(baseDir, server.cwd ?? '.');
    return server;
  });
}

/**
 * Connects to several servers at once (see {@link mcpTools}), each tool named
 * `<prefix>_<tool>` with the server's name as its default prefix, and returns
 * all their tools and one `close()`. If one server fails, the others are
 * closed again and its error is thrown.
 *
 * @throws {McpToolsError} as {@link mcpTools} does.
 */
export async function connectMcpServers(
  servers: readonly McpServerEntry[],
  options: Pick<McpToolsOptions, 'timeoutMs'> = {},
): Promise<McpToolSet & { servers: { name: string; tools: string[] }[] }> {
  const settled = await Promise.allSettled(
    servers.map(({ prefix, approval, timeoutMs, ...server }) =>
      mcpTools(server, {
        prefix: prefix ?? server.name,
        ...(approval ? { approval } : {}),
        ...((timeoutMs ?? options.timeoutMs) !== undefined ? { timeoutMs: timeoutMs ?? options.timeoutMs } : {}),
      }),
    ),
  );
  const sets = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const close = async () => void (await Promise.all(sets.map((set) => set.close())));
  if (failed) {
    await close();
    throw failed.reason;
  }
  const tools = sets.flatMap((set) => set.tools);
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool.name)) {
      await close();
      throw new McpToolsError('duplicate_tool_name', `Two MCP servers offer a tool named "${tool.name}"; give them different prefixes.`);
    }
    seen.add(tool.name);
  }
  return {
    tools,
    serverName: undefined,
    servers: servers.map((server, index) => ({ name: server.name, tools: sets[index]!.tools.map((tool) => tool.name) })),
    close,
  };
}
