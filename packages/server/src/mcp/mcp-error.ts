/**
 * Why MCP tools could not be set up or a call of one failed:
 * - `invalid_config`: a server description (or `MCP_SERVERS`) is malformed;
 * - `connect_failed`: the server could not be started or reached, or did not initialize;
 * - `duplicate_tool_name`: two tools would get the same name (use a `prefix`);
 * - `server_gone`: the server went away (process exited, HTTP server down) before or during a call;
 * - `timeout`: the server did not answer a call in time (the call was cancelled);
 * - `server_error`: the server answered the call with a JSON-RPC error (e.g. unknown tool);
 * - `tool_error`: the tool ran and reported an error (`isError: true`);
 * - `closed`: the tools were closed (`close()`) before the call.
 */
export type McpToolsErrorCode =
  | 'invalid_config'
  | 'connect_failed'
  | 'duplicate_tool_name'
  | 'server_gone'
  | 'timeout'
  | 'server_error'
  | 'tool_error'
  | 'closed';

/** An error of `@agent-chat/server/mcp` with a stable {@link McpToolsErrorCode}; the SDK's error, if any, is the `cause`. */
export class McpToolsError extends Error {
  readonly code: McpToolsErrorCode;

  constructor(code: McpToolsErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'McpToolsError';
    this.code = code;
  }
}
