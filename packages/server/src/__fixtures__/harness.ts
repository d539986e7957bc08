import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConversationState, decodeEventStream, reduce, type ConversationState, type StreamEvent } from '@agent-chat/core';
import { expect } from 'vitest';
import { createNodeListener } from '../adapters/node.js';
import { createChatServer, type ChatServer, type ChatServerOptions } from '../http/chat-server.js';
import { demoAgent } from '../agents/demo/demo-agent.js';

/** A logger that keeps what it is told, so tests stay quiet and can assert on it. */
export function recordingLogger() {
  const lines: { level: 'warn' | 'error' | 'info'; args: unknown[] }[] = [];
  return {
    lines,
    warn: (...args: unknown[]) => void lines.push({ level: 'warn', args }),
    error: (...args: unknown[]) => void lines.push({ level: 'error', args }),
    info: (...args: unknown[]) => void lines.push({ level: 'info', args }),
  };
}

/** A temporary sandbox folder with two small files. */
export async function makeSandbox(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'agent-chat-sandbox-'));
  await writeFile(path.join(dir, 'a-readme.md'), '# Sandbox\n\nHello from the sandbox.\n');
  await mkdir(path.join(dir, 'docs'));
  await writeFile(path.join(dir, 'docs', 'guide.txt'), 'guide');
  return dir;
}

export interface TestServer {
  /** `http://127.0.0.1:port/api` */
  base: string;
  origin: string;
  chat: ChatServer;
  http: Server;
  sandbox: string;
  logger: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

/** A real node:http server on an ephemeral port serving a chat server with the demo agent (unless another is given). */
export async function startTestServer(
  options: Partial<ChatServerOptions> & { chunkDelayMs?: number } = {},
): Promise<TestServer> {
  const sandbox = await makeSandbox();
  const logger = recordingLogger();
  const { chunkDelayMs = 0, ...rest } = options;
  const chat = createChatServer({
    agent: demoAgent({ sandboxDir: sandbox, chunkDelayMs }),
    logger,
    keepAliveMs: 0,
    ...rest,
  });
  const http = createServer(createNodeListener(chat));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    base: `${origin}${chat.basePath}`,
    chat,
    http,
    sandbox,
    logger,
    async close() {
      await chat.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await rm(sandbox, { recursive: true, force: true });
    },
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

export async function createSession(base: string): Promise<string> {
  const response = await fetch(`${base}/session`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`create session: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export function postChat(base: string, sessionId: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}/chat/${sessionId}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body), ...init });
}

/** Reads SSE events until the stream ends, or until `until` returns true for an event (then cancels). */
export async function readEvents(
  response: Response,
  until?: (event: StreamEvent, all: StreamEvent[]) => boolean,
): Promise<StreamEvent[]> {
  if (!response.body) throw new Error(`no body (status ${response.status})`);
  const reader = decodeEventStream(response.body).getReader();
  const events: StreamEvent[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return events;
    events.push(value);
    if (until?.(value, events)) {
      await reader.cancel().catch(() => {});
      return events;
    }
  }
}

/** Polls `check` every few ms until it is true (or fails after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('waitFor timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function types(events: StreamEvent[]): string[] {
  return events.map((e) => e.event.type);
}

/**
 * The ids of a stream that resumed after `after` and ends at `last`: a replay sends each run of
 * chunks of one message as one frame with the run's last id, so the ids strictly increase, start
 * after `after` and end at `last`; every id in `contiguousFrom..last` (the live tail) is there.
 */
export function expectResumedIds(actual: number[], after: number, last: number, contiguousFrom = last): void {
  expect(actual[0]).toBeGreaterThan(after);
  expect(actual.at(-1)).toBe(last);
  for (let i = 1; i < actual.length; i++) expect(actual[i]).toBeGreaterThan(actual[i - 1]!);
  for (let id = contiguousFrom; id <= last; id++) expect(actual).toContain(id);
}

/** The conversation a client's reducer builds from these stream events. */
export function reducedMessages(sessionId: string, events: StreamEvent[]): ConversationState['messages'] {
  return events.reduce((state, e) => reduce(state, e.event, e.id), createConversationState(sessionId)).messages;
}
