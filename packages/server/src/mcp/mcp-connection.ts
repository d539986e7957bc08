import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { McpToolsError } from './mcp-error.js';
import type { McpCallResult } from './mcp-result.js';

/** An MCP server reached over Streamable HTTP (MCP spec 2025-03-26 and later). */
export interface McpHttpServer {
  /** The server's MCP endpoint, e.g. `http://127.0.0.1:8931/mcp`. */
  url: string | URL;
  /** Sent with every request, e.g. `{ authorization: 'Bearer ...' }`. */
  headers?: Record<string, string>;
  /** Names the server in tool errors and progress (default: the name it gives at initialization). */
  name?: string;
}

/** An MCP server started as a child process, spoken to over its stdin/stdout. */
export interface McpStdioServer {
  /** The executable, e.g. `npx`. */
  command: string;
  args?: string[];
  /**
   * Added to the few variables the SDK passes on by default (`HOME`, `PATH`,
   * `USER`, ...): the process does not inherit the whole environment, so secrets stay out.
   */
  env?: Record<string, string>;
  /** Working directory of the process (default: ours). */
  cwd?: string;
  /** Where the process's stderr goes: `inherit` (default, our stderr) or `ignore`. */
  stderr?: 'inherit' | 'ignore';
  /** Names the server in tool errors and progress (default: the name it gives at initialization). */
  name?: string;
}

/** Where an MCP server is: a Streamable HTTP endpoint or a command to start. */
export type McpServerConfig = McpHttpServer | McpStdioServer;

interface Live {
  client: Client;
  transport: StdioClientTransport | StreamableHTTPClientTransport;
  /** Aborted, with the reason as an {@link McpToolsError}, when the connection is lost. */
  lost: AbortController;
  probing: boolean;
}

const CLIENT_INFO = { name: 'agent-chat', version: '1.0.0' };
/** How long a liveness probe of an HTTP server may take after its stream broke, in ms. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * One MCP client connection that comes back when needed: opened on first use
 * (or by {@link McpConnection.open}), dropped when the server goes away, and
 * opened again by the next call. Calls in flight when it is lost fail at once
 * with `server_gone`: over stdio the process's exit closes the connection; over
 * HTTP a broken response stream is followed by a ping, and a failed ping
 * means the server is gone (a server that resumes streams answers the ping and
 * the call goes on).
 */
export class McpConnection {
  /** The config's name, else the name the server gave, else its URL or command line. */
  name: string;
  #live: Promise<Live> | undefined;
  #closed = false;
  #inFlight = 0;

  constructor(
    readonly config: McpServerConfig,
    readonly timeoutMs: number,
  ) {
    this.name = config.name ?? describeTarget(config);
  }

  /** `MCP server "name"`, for messages. */
  get label(): string {
    return `MCP server "${this.name}"`;
  }

  /** Connects (once); the server's name, when it gave one and the config did not, names it from now on. */
  async open(): Promise<Client> {
    return (await this.#connect()).client;
  }

  /**
   * Calls `tools/call`. `signal` cancels it (the server gets `notifications/cancelled`);
   * `onprogress` gets the server's progress notifications, each of which restarts the timeout.
   *
   * @throws {McpToolsError} `server_gone`, `timeout`, `server_error` or `closed`; the signal's reason when it aborts.
   */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; onprogress?: (progress: Progress) => void },
  ): Promise<McpCallResult> {
    const live = await untilAborted(this.#connect(), options.signal);
    this.#inFlight++;
    try {
      return (await live.client.callTool({ name, arguments: args }, undefined, {
        signal: AbortSignal.any([options.signal, live.lost.signal]),
        timeout: this.timeoutMs,
        resetTimeoutOnProgress: true,
        ...(options.onprogress ? { onprogress: options.onprogress } : {}),
      })) as McpCallResult;
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      if (live.lost.signal.aborted) throw live.lost.signal.reason;
      if (error instanceof McpError) {
        if (error.code === ErrorCode.RequestTimeout) {
          throw new McpToolsError(
            'timeout',
            `${this.label} did not answer ${name} within ${formatSeconds(this.timeoutMs)}; the call was cancelled.`,
            { cause: error },
          );
        }
        if (error.code !== ErrorCode.ConnectionClosed) {
          throw new McpToolsError('server_error', `${this.label} refused ${name}: ${error.message}`, { cause: error });
        }
      }
      // The request could not be sent or the connection closed: start afresh on the next call.
      const gone = this.#goneError('before answering', error);
      this.#drop(live, gone);
      throw gone;
    } finally {
      this.#inFlight--;
    }
  }

  /** Closes the connection (and ends a stdio server's process); later calls fail with `closed`. */
  async close(): Promise<void> {
    this.#closed = true;
    const live = this.#live;
    this.#live = undefined;
    const current = await live?.catch(() => undefined);
    if (!current) return;
    current.lost.abort(new McpToolsError('closed', `${this.label} was closed while the call ran.`));
    if (current.transport instanceof StreamableHTTPClientTransport) {
      // Ends the server's session (HTTP DELETE), as the spec asks of a client that leaves; a server that does not answer is not waited for.
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, PROBE_TIMEOUT_MS).unref());
      await Promise.race([current.transport.terminateSession().catch(() => {}), gaveUp]);
    }
    await current.client.close().catch(() => {});
  }

  #connect(): Promise<Live> {
    if (this.#closed) return Promise.reject(new McpToolsError('closed', `The tools of ${this.label} were closed.`));
    if (!this.#live) {
      const live = this.#start();
      this.#live = live;
      live.catch(() => {
        if (this.#live === live) this.#live = undefined;
      });
    }
    return this.#live;
  }

  async #start(): Promise<Live> {
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    let transport: Live['transport'];
    try {
      transport = createTransport(this.config);
    } catch (error) {
      throw new McpToolsError('invalid_config', `${this.label}: ${describeError(error)}`, { cause: error });
    }
    const live: Live = { client, transport, lost: new AbortController(), probing: false };
    client.onclose = () => this.#drop(live, this.#goneError('(its connection closed)'));
    client.onerror = (error) => this.#onTransportError(live, error);
    try {
      await client.connect(live.transport, { timeout: this.timeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw new McpToolsError('connect_failed', `Could not connect to ${this.label} (${describeTarget(this.config)}): ${describeError(error)}`, {
        cause: error,
      });
    }
    const serverName = client.getServerVersion()?.name;
    if (this.config.name === undefined && serverName) this.name = serverName;
    return live;
  }

  /**
   * A Streamable HTTP response stream broke. The SDK would wait for the
   * answer until the timeout, so while calls are in flight, a ping asks
   * whether the server is still there.
   */
  #onTransportError(live: Live, error: Error): void {
    if (this.#inFlight === 0 || live.probing || live.lost.signal.aborted) return;
    if (!/SSE stream disconnected|reconnect/i.test(error.message)) return;
    live.probing = true;
    live.client
      .ping({ timeout: Math.min(PROBE_TIMEOUT_MS, this.timeoutMs) })
      .then(
        () => {},
        (pingError: unknown) => this.#drop(live, this.#goneError('during the call', pingError)),
      )
      .finally(() => (live.probing = false));
  }

  #drop(live: Live, reason: McpToolsError): void {
    if (!live.lost.signal.aborted) live.lost.abort(reason);
    void this.#live?.then(
      (current) => {
        if (current === live) this.#live = undefined;
      },
      () => {},
    );
    void live.client.close().catch(() => {});
  }

  #goneError(when: string, cause?: unknown): McpToolsError {
    const detail = cause === undefined ? '' : `: ${describeError(cause)}`;
    const again = 'command' in this.config ? 'starts it again' : 'reconnects';
    return new McpToolsError('server_gone', `${this.label} went away ${when}${detail}. The next call ${again}.`, {
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** `promise`, or the signal's reason as soon as it aborts (a reconnect may take up to the timeout). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function createTransport(config: McpServerConfig) {
  if ('url' in config) {
    return new StreamableHTTPClientTransport(new URL(config.url), {
      ...(config.headers ? { requestInit: { headers: config.headers } } : {}),
    });
  }
  return new StdioClientTransport({
    command: config.command,
    ...(config.args ? { args: config.args } : {}),
    ...(config.env ? { env: config.env } : {}),
    ...(config.cwd ? { cwd: config.cwd } : {}),
    stderr: config.stderr ?? 'inherit',
  });
}

/** The URL, or the command line, of a server. */
export function describeTarget(config: McpServerConfig): string {
  if ('url' in config) return String(config.url);
  return [config.command, ...(config.args ?? [])].join(' ');
}

/** An error's message with its cause's code (`fetch failed (ECONNREFUSED)`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
