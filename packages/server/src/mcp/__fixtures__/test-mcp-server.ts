import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';

/** What the test server saw, for assertions. */
export interface TestMcpRecord {
  /** Every `tools/list` request's cursor (undefined for the first page). */
  listCursors: (string | undefined)[];
  /** Every `tools/call`: the tool and its arguments. */
  calls: { name: string; arguments: Record<string, unknown> }[];
  /** Tools whose call was cancelled by the client (`notifications/cancelled`). */
  cancelled: string[];
}

/** A small PNG-sized payload: 2048 bytes. */
const IMAGE_BYTES = Buffer.alloc(2048, 7);

/**
 * The tools of the test server (JSON Schema inputs, annotations):
 * `echo` (read-only), `delete_note` (destructive), `info` (no annotations),
 * `count` (read-only, reports progress), `snapshot` (text, image and
 * resources), `fail` (an `isError` result), `hang` (reports progress with the
 * process id, then never answers until cancelled).
 */
export const TEST_TOOLS: Tool[] = [
  {
    name: 'echo',
    description: 'Echoes the text back.',
    inputSchema: { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'], additionalProperties: false },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'delete_note',
    description: 'Deletes a note.',
    inputSchema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
    annotations: { readOnlyHint: false, destructiveHint: true },
  },
  {
    name: 'info',
    description: 'Says something about the server.',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: 'count',
    description: 'Counts to a number, reporting progress.',
    inputSchema: { type: 'object', properties: { to: { type: 'integer', minimum: 1, maximum: 10 } }, required: ['to'] },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'snapshot',
    description: 'Takes a snapshot: text, an image and resources.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'fail',
    description: 'Always fails.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'hang',
    description: 'Starts and never answers.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
];

/** A low-level MCP server with {@link TEST_TOOLS}, listing them `pageSize` at a time. */
export function createTestMcpServer(options: { pageSize?: number; record?: TestMcpRecord } = {}): Server {
  const pageSize = options.pageSize ?? TEST_TOOLS.length;
  const record = options.record ?? newRecord();
  const server = new Server({ name: 'test-mcp', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const cursor = request.params?.cursor;
    record.listCursors.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const end = start + pageSize;
    return { tools: TEST_TOOLS.slice(start, end), ...(end < TEST_TOOLS.length ? { nextCursor: String(end) } : {}) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const args = (request.params.arguments ?? {}) as Record<string, any>;
    const name = request.params.name;
    record.calls.push({ name, arguments: args });
    const progressToken = request.params._meta?.progressToken;
    const progress = (progress: number, total: number | undefined, message: string) =>
      progressToken === undefined
        ? Promise.resolve()
        : extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, ...(total !== undefined ? { total } : {}), message },
          });
    extra.signal.addEventListener('abort', () => record.cancelled.push(name), { once: true });
    switch (name) {
      case 'echo':
        return { content: [{ type: 'text', text: `echo: ${args.text}` }] };
      case 'delete_note':
        return { content: [{ type: 'text', text: `deleted "${args.title}"` }] };
      case 'info':
        return { content: [{ type: 'text', text: `test server, pid ${process.pid}` }] };
      case 'count':
        for (let i = 1; i <= args.to; i++) {
          await progress(i, args.to, `Counting`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return { content: [{ type: 'text', text: `counted to ${args.to}` }] };
      case 'snapshot':
        return {
          content: [
            { type: 'text', text: 'snapshot taken' },
            { type: 'image', data: IMAGE_BYTES.toString('base64'), mimeType: 'image/png' },
            { type: 'resource', resource: { uri: 'note://today', mimeType: 'text/plain', text: 'buy milk' } },
            { type: 'resource', resource: { uri: 'file:///data.bin', mimeType: 'application/octet-stream', blob: Buffer.alloc(10).toString('base64') } },
          ],
        };
      case 'fail':
        return { content: [{ type: 'text', text: 'disk is full' }], isError: true };
      case 'hang':
        await progress(0, undefined, `started in pid ${process.pid}`);
        await new Promise<void>((resolve) => extra.signal.addEventListener('abort', () => resolve(), { once: true }));
        return { content: [{ type: 'text', text: 'cancelled' }] };
      default:
        throw new Error(`unknown tool ${name}`);
    }
  });
  return server;
}

export function newRecord(): TestMcpRecord {
  return { listCursors: [], calls: [], cancelled: [] };
}

/** The test server over Streamable HTTP (stateful sessions) on 127.0.0.1, an ephemeral port. */
export interface HttpTestMcpServer {
  /** `http://127.0.0.1:port/mcp` */
  url: string;
  record: TestMcpRecord;
  /** Every request's headers, oldest first. */
  headers: Record<string, string | string[] | undefined>[];
  /** Every request's method, oldest first. */
  methods: string[];
  /** Stops at once, mid-whatever: open streams are cut and the port closes. */
  kill(): Promise<void>;
}

export async function startHttpTestMcpServer(options: { pageSize?: number } = {}): Promise<HttpTestMcpServer> {
  const record = newRecord();
  const headers: HttpTestMcpServer['headers'] = [];
  const methods: string[] = [];
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer(async (req, res) => {
    headers.push(req.headers);
    methods.push(req.method ?? '');
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined) {
        res.writeHead(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, created),
      });
      await createTestMcpServer({ ...options, record }).connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    record,
    headers,
    methods,
    kill: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
