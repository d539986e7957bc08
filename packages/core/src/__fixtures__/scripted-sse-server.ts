import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION, TERMINAL_EVENT_TYPES, type AgentEvent, type SequencedEvent } from '../events.js';
import { createConversationState, reduce } from '../reducer.js';
import { encodeAgentEvent, SSE_HEADERS } from '../sse.js';

/**
 * A small node:http server that speaks the agent-chat SSE protocol over a
 * prerecorded event log, and can drop connections on cue. Test support only:
 * it stands in for @agent-chat/server so that core's client is tested against
 * real sockets without depending on the server package.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** `performance.now()` when the request arrived, in ms. */
  at: number;
  /** Events written on this connection (the `ready` event not counted). */
  eventsSent: number;
  /** Resolves when the connection of this request closed, from either side. */
  closed: Promise<void>;
}

/** How one SSE connection behaves. */
export interface ConnectionScript {
  /** Destroy the socket after this many events (after `ready`); default: never. */
  dropAfter?: number;
  /** Before dropping, write the first half of the next frame, so the client sees a torn frame. */
  tearFrame?: boolean;
  /** Send the headers, then destroy the socket before the `ready` event. */
  dropBeforeReady?: boolean;
  /** Start the replay this many events before the cursor, as a misbehaving server or proxy might. */
  overlap?: number;
}

export interface ScriptedServerOptions {
  /** Events already in the log before the turn, ids 1..history.length. */
  history?: AgentEvent[];
  /** The turn a chat POST starts; its events follow the history in the log. */
  turn: AgentEvent[];
  /** Script of each successive SSE connection (POST /chat and GET /events alike). */
  connections?: ConnectionScript[];
  /** Pause between two events on a connection, in ms. */
  paceMs?: number;
  /** Answer a request yourself; return true when handled. */
  intercept?: (request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest) => boolean;
}

export interface ScriptedServer {
  /** Base endpoint, `http://127.0.0.1:<port>/api`. */
  endpoint: string;
  requests: RecordedRequest[];
  /** The full log: history then turn, with ids. */
  log: SequencedEvent[];
  close(): Promise<void>;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const history = options.history ?? [];
  const log: SequencedEvent[] = [...history, ...options.turn].map((event, i) => ({ id: i + 1, event }));
  const requests: RecordedRequest[] = [];
  let sseConnections = 0;

  const server = createServer(async (req, res) => {
    let markClosed!: () => void;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://x').pathname,
      headers: req.headers,
      body: undefined,
      at: performance.now(),
      eventsSent: 0,
      closed: new Promise((resolve) => (markClosed = resolve)),
    };
    res.on('close', () => markClosed());
    requests.push(recorded);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (chunks.length) recorded.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));

    if (options.intercept?.(req, res, recorded)) return;

    const chat = /^\/api\/chat\/([^/]+)$/.exec(recorded.path);
    const events = /^\/api\/events\/([^/]+)$/.exec(recorded.path);
    if (chat && recorded.method === 'POST') {
      const script = options.connections?.[sseConnections++] ?? {};
      const start = history.length;
      await stream(res, recorded, script, chat[1]!, start, log.slice(start), true);
    } else if (events && recorded.method === 'GET') {
      const script = options.connections?.[sseConnections++] ?? {};
      const header = req.headers['last-event-id'];
      const last = log.length;
      if (header === undefined) {
        let state = createConversationState(events[1]);
        for (const { id, event } of log) state = reduce(state, event, id);
        const snapshot: SequencedEvent = {
          id: last,
          event: {
            type: 'snapshot',
            messages: state.messages,
            pendingApprovals: state.pendingApprovals,
            processing: state.status !== 'idle',
            turnId: state.turnId,
          },
        };
        await stream(res, recorded, script, events[1]!, last, [snapshot], false);
      } else {
        const cursor = Math.max(0, Number(header) - (script.overlap ?? 0));
        await stream(res, recorded, script, events[1]!, last, log.slice(cursor), false);
      }
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'route_not_found', message: `No route ${recorded.path}` } }));
    }
  });

  async function stream(
    res: ServerResponse,
    recorded: RecordedRequest,
    script: ConnectionScript,
    sessionId: string,
    lastEventId: number,
    events: SequencedEvent[],
    endAtTerminal: boolean,
  ): Promise<void> {
    res.writeHead(200, SSE_HEADERS);
    if (script.dropBeforeReady) {
      res.flushHeaders();
      setTimeout(() => res.socket?.destroy(), 5);
      return;
    }
    res.write(encodeAgentEvent({ type: 'ready', protocolVersion: PROTOCOL_VERSION, sessionId, lastEventId }));
    for (const { id, event } of events) {
      if (res.destroyed) return;
      if (recorded.eventsSent === script.dropAfter) {
        const torn = script.tearFrame ? encodeAgentEvent(event, id).slice(0, 12) : '';
        res.write(torn, () => res.socket?.destroy());
        return;
      }
      if (options.paceMs) await delay(options.paceMs);
      res.write(encodeAgentEvent(event, id));
      recorded.eventsSent += 1;
      if (endAtTerminal && TERMINAL_EVENT_TYPES.has(event.type)) {
        res.end();
        return;
      }
    }
    if (recorded.eventsSent === script.dropAfter) {
      res.write('', () => res.socket?.destroy());
      return;
    }
    // A subscription stays open for the live tail; the client decides when to leave.
    if (!endAtTerminal) return;
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api`,
    requests,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
