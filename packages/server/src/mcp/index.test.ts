import { describe, expect, it } from 'vitest';
import * as mcp from './index.js';

describe('@agent-chat/server/mcp (src/mcp/index.ts)', () => {
  it('exports mcpTools, the MCP_SERVERS helpers, the approval rule and the error class', () => {
    expect(Object.keys(mcp).sort()).toEqual([
      'DEFAULT_MCP_TIMEOUT_MS',
      'McpToolsError',
      'connectMcpServers',
      'mcpResultText',
      'mcpToolNeedsApproval',
      'mcpTools',
      'parseMcpServers',
    ]);
  });
});
