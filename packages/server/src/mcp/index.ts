/**
 * `@agent-chat/server/mcp`: the tools of MCP servers (Model Context Protocol,
 * over Streamable HTTP or stdio) as tools for any agent. Needs
 * `@modelcontextprotocol/sdk` 1.x (an optional peer dependency: install it
 * beside `@agent-chat/server`); the package's main entry never loads it.
 */
export { mcpTools, mcpToolNeedsApproval, DEFAULT_MCP_TIMEOUT_MS, type McpToolInfo, type McpToolSet, type McpToolsOptions } from './mcp-tools.js';
export { connectMcpServers, parseMcpServers, type McpServerEntry } from './mcp-servers.js';
export type { McpHttpServer, McpServerConfig, McpStdioServer } from './mcp-connection.js';
export { McpToolsError, type McpToolsErrorCode } from './mcp-error.js';
export { mcpResultText, type McpCallResult, type McpContent } from './mcp-result.js';
// The type of the tools it makes (also exported by `@agent-chat/server`).
export type { Tool, ToolCallResult, ToolContext } from '../agents/tool.js';
