import {
  createConversationState,
  encodeAgentEvent,
  reduce,
  PROTOCOL_VERSION,
  type AgentEvent,
  type ConversationState,
  type SessionInfo,
  type SessionMessages,
} from '@agent-chat/core';
import type { ModelOption, ServerFeatures } from '../client.js';

/**
 * A mock agent-chat server as a `fetch` function, for Storybook and tests:
 * give it to core's `ChatClient({ endpoint: '/api', fetch })` and the widget
 * runs its real client, SSE decoding and reducer over recorded event streams,
 * with no server. Not a conformance reference: it answers just what the
 * widget asks (docs/api.md has the real API).
 */
export interface MockScenario {
  /** Events already in the session's log when the page opens (answered as a snapshot). */
  history?: AgentEvent[];
  /** Events streamed to a subscriber after the history, e.g. the rest of a running turn. */
  live?: AgentEvent[];
  /** The turn each chat POST with text plays, in order; the last one repeats. Ids are made unique per play. */
  turns?: AgentEvent[][];
  /** The events after a chat POST with approvals. */
  afterApproval?: AgentEvent[];
  /** Pause between streamed events, in ms. Default 0. */
  delayMs?: number;
  /** `features` of `GET /health`. Default: undo and truncate on, attachments off. */
  features?: Partial<ServerFeatures>;
  /** `GET /config/model`. Without it the route answers 404, as an older server does. */
  models?: { model: string | null; models: ModelOption[] };
  /** Other sessions listed by `GET /sessions`. */
  sessions?: Array<Pick<SessionInfo, 'id' | 'title'> & Partial<SessionInfo>>;
  /** Session id of the scenario's conversation. Default `mock-session`. */
  sessionId?: string;
  /** Every chat POST answers this error instead (status, code, message). */
  chatError?: { status: number; code: string; message: string };
}

interface MockSession {
  info: SessionInfo;
  log: Array<{ id: number; event: AgentEvent }>;
  state: ConversationState;
  /** Resolves waiting subscribers when events are appended. */
  waiters: Array<() => void>;
  interrupted: boolean;
  live: AgentEvent[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function errorResponse(status: number, code: string, message: string): Response {
  return json({ error: { code, message } }, status);
}

/** Rewrites the ids of a recorded turn so that each play is a new turn with new messages. */
function freshIds(events: AgentEvent[], play: number, text?: string): AgentEvent[] {
  const suffix = `~${play}`;
  const idKeys = new Set(['turnId', 'messageId', 'assistantMessageId', 'toolCallId']);
  return events.map((event) => {
    const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    for (const key of Object.keys(copy)) if (idKeys.has(key) && typeof copy[key] === 'string') copy[key] += suffix;
    if (copy.type === 'processing' && copy.userMessage) {
      const user = copy.userMessage as { id: string; text: string };
      user.id += suffix;
      if (text !== undefined) user.text = text;
    }
    if (copy.type === 'approval_required') {
      for (const tool of copy.tools as Array<{ toolCallId: string }>) tool.toolCallId += suffix;
    }
    return copy as AgentEvent;
  });
}

function messagesOf(session: MockSession): SessionMessages {
  const s = session.state;
  return {
    messages: s.messages,
    pendingApprovals: s.pendingApprovals,
    processing: s.status !== 'idle',
    ...(s.turnId ? { turnId: s.turnId } : {}),
    ...(s.title ? { title: s.title } : {}),
    ...(s.usage.session ? { usage: s.usage.session } : {}),
    lastEventId: session.log.at(-1)?.id ?? 0,
  };
}

/** Creates the mock `fetch`. Each call of the returned function is one request to `{endpoint}/...` (any endpoint). */
export function createMockFetch(scenario: MockScenario = {}): typeof fetch & { sessions: Map<string, MockSession> } {
  const sessions = new Map<string, MockSession>();
  const delayMs = scenario.delayMs ?? 0;
  let plays = 0;
  let created = 0;

  function newSession(id: string, title?: string, extra: Partial<SessionInfo> = {}): MockSession {
    const session: MockSession = {
      info: { id, ...(title ? { title } : {}), createdAt: Date.now(), updatedAt: Date.now(), processing: false, awaitingApproval: false, messageCount: 0, lastEventId: 0, ...extra },
      log: [],
      state: createConversationState(id),
      waiters: [],
      interrupted: false,
      live: [],
    };
    sessions.set(id, session);
    return session;
  }

  function append(session: MockSession, event: AgentEvent): { id: number; event: AgentEvent } {
    const entry = { id: (session.log.at(-1)?.id ?? 0) + 1, event };
    session.log.push(entry);
    session.state = reduce(session.state, event, entry.id);
    session.info = { ...session.info, title: session.state.title ?? session.info.title, processing: session.state.status !== 'idle', lastEventId: entry.id, messageCount: session.state.messages.length };
    for (const wake of session.waiters.splice(0)) wake();
    return entry;
  }

  const main = newSession(scenario.sessionId ?? 'mock-session');
  for (const event of scenario.history ?? []) append(main, event);
  main.live = [...(scenario.live ?? [])];
  for (const other of scenario.sessions ?? []) newSession(other.id, other.title, other);

  /** Plays `events` into the session's log, paced, unless interrupted. */
  async function play(session: MockSession, events: AgentEvent[]): Promise<void> {
    session.interrupted = false;
    for (const event of events) {
      if (session.interrupted) return;
      if (delayMs > 0) await sleep(delayMs);
      if (session.interrupted) return;
      append(session, event);
    }
  }

  /** An SSE response of the session's log after `after`, live, until a terminal event (or forever with `follow`). */
  function stream(session: MockSession, after: number, signal: AbortSignal | undefined, withSnapshot: boolean): Response {
    const encoder = new TextEncoder();
    let cursor = after;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        send(encodeAgentEvent({ type: 'ready', protocolVersion: PROTOCOL_VERSION, sessionId: session.info.id, lastEventId: session.log.at(-1)?.id ?? 0 }));
        if (withSnapshot) {
          const snapshot = messagesOf(session);
          send(encodeAgentEvent({ type: 'snapshot', ...snapshot }, snapshot.lastEventId));
          cursor = snapshot.lastEventId;
        }
        for (;;) {
          if (signal?.aborted) return controller.close();
          const next = session.log.find((e) => e.id > cursor);
          if (next) {
            cursor = next.id;
            send(encodeAgentEvent(next.event, next.id));
            if (['turn_complete', 'approval_required', 'error', 'interrupted', 'shutdown'].includes(next.event.type)) {
              const later = session.log.some((e) => e.id > cursor) || session.live.length > 0;
              if (!later) return controller.close();
            }
            continue;
          }
          await new Promise<void>((resolve) => {
            session.waiters.push(resolve);
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
        }
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  }

  const mockFetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url, 'http://mock.invalid');
    const path = url.pathname.replace(/^.*?\/(health|config|session|sessions|chat|events|interrupt|undo|truncate)(\/|$)/, '/$1$2');
    const method = request.method;
    const body = method === 'GET' || method === 'DELETE' ? undefined : await request.text().then((t) => (t ? JSON.parse(t) : undefined));
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [route, id] = segments;
    const session = id ? sessions.get(id) : undefined;
    const signal = init.signal ?? undefined;

    if (route === 'health') {
      return json({
        status: 'ok',
        protocolVersion: PROTOCOL_VERSION,
        activeSessions: sessions.size,
        maxSessions: 100,
        features: { undo: true, truncate: true, compact: false, models: !!scenario.models, attachments: false, ...scenario.features },
      });
    }
    if (route === 'config' && segments[1] === 'model') {
      return scenario.models ? json(scenario.models) : errorResponse(404, 'not_found', 'No model configuration');
    }
    if (route === 'sessions') {
      return json({ sessions: [...sessions.values()].map((s) => s.info).reverse() });
    }
    if (route === 'session' && !id && method === 'POST') {
      return json(newSession(`mock-created-${++created}`).info);
    }
    if (route === 'session' && !session) return errorResponse(404, 'session_not_found', `No session ${id}`);
    if (route === 'session' && session && segments[2] === 'messages') return json(messagesOf(session));
    if (route === 'session' && session && segments[2] === 'model') {
      session.info = { ...session.info, model: (body as { model: string }).model };
      return json(session.info);
    }
    if (route === 'session' && session && method === 'DELETE') {
      sessions.delete(session.info.id);
      return new Response(null, { status: 204 });
    }
    if (route === 'session' && session) return json(session.info);
    if (!session) return errorResponse(404, 'session_not_found', `No session ${id}`);

    if (route === 'chat') {
      if (scenario.chatError) return errorResponse(scenario.chatError.status, scenario.chatError.code, scenario.chatError.message);
      if (session.state.status === 'running') return errorResponse(409, 'turn_running', 'A turn is already running');
      const after = session.log.at(-1)?.id ?? 0;
      const approvals = (body as { approvals?: unknown[] }).approvals;
      let events: AgentEvent[];
      if (approvals) {
        events = freshIds(scenario.afterApproval ?? [{ type: 'turn_complete', turnId: session.state.turnId ?? 't', stopReason: 'end_turn' }], 0)
          .map((e) => JSON.parse(JSON.stringify(e).replaceAll('~0', '')) as AgentEvent);
      } else {
        const turns = scenario.turns ?? [];
        const template = turns[Math.min(plays, turns.length - 1)] ?? [];
        events = freshIds(template, ++plays, (body as { text: string }).text);
      }
      const response = stream(session, after, signal, false);
      void play(session, events);
      return response;
    }
    if (route === 'events') {
      const lastEventId = request.headers.get('last-event-id');
      const response = stream(session, lastEventId === null ? 0 : Number(lastEventId), signal, lastEventId === null);
      if (session.live.length > 0) {
        const live = session.live.splice(0);
        void play(session, live);
      }
      return response;
    }
    if (route === 'interrupt') {
      const running = session.state.status !== 'idle';
      session.interrupted = true;
      if (running) append(session, { type: 'interrupted', turnId: session.state.turnId ?? 't' });
      return json({ interrupted: running });
    }
    if (route === 'undo' || route === 'truncate') {
      const users = session.state.messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
      const index = route === 'undo' ? users.at(-1) : users[(body as { userMessageIndex: number }).userMessageIndex];
      if (index === undefined) return errorResponse(409, 'nothing_to_undo', 'No user message to remove');
      const messages = session.state.messages.slice(0, index);
      append(session, { type: 'snapshot', messages, pendingApprovals: [], processing: false });
      return json(messagesOf(session));
    }
    return errorResponse(404, 'not_found', `${method} ${url.pathname}`);
  };
  return Object.assign(mockFetch, { sessions });
}
