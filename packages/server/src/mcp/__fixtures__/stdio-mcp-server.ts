// The test MCP server as a child process over stdio (bundled and started by `bundleStdioMcpServer`).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTestMcpServer } from './test-mcp-server.js';

await createTestMcpServer({ pageSize: Number(process.env.PAGE_SIZE ?? 3) }).connect(new StdioServerTransport());
// As stdio servers do: the client closing our stdin is the end.
process.stdin.once('end', () => process.exit(0));
