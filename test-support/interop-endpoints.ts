import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

/** The JSON of each `data:` frame of an SSE body (`[DONE]` as the string). */
async function dataFrames(response: Response): Promise<unknown[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

const json = { 'content-type': 'application/json' };

/**
 * Checks that an example serves the AG-UI endpoint at `{api}/ag-ui` and the AI
 * SDK UI message stream endpoint at `{api}/ui-chat` on the demo agent, over
 * real HTTP: a run to the demo's approval interrupt and its answer through
 * `resume[]`; a `useChat` request to its approval, the resume probe (204 while
 * the turn waits), and a cross-origin POST refused as the API refuses it.
 *
 * @param api The API's URL, e.g. `http://127.0.0.1:1234/api`.
 */
export async function expectInteropEndpoints(api: string): Promise<void> {
  // AG-UI: a run on a new thread, to the demo's write approval.
  const threadId = randomUUID();
  const input = (runId: string, extra: object) => ({ threadId, runId, tools: [], context: [], state: {}, forwardedProps: {}, ...extra });
  const run = await fetch(`${api}/ag-ui`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(input('run-1', { messages: [{ id: 'u1', role: 'user', content: 'What is 6 * 7?' }] })),
  });
  expect(run.status).toBe(200);
  expect(run.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = (await dataFrames(run)) as Array<{ type: string; outcome?: { type: string; interrupts?: Array<{ id: string }> } }>;
  expect(events[0]?.type).toBe('RUN_STARTED');
  expect(events.some((e) => e.type === 'TEXT_MESSAGE_CONTENT')).toBe(true);
  const interrupted = events.at(-1)!;
  expect(interrupted).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } });
  // Denied through resume[]: the turn ends.
  const resumed = await fetch(`${api}/ag-ui`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(input('run-2', { messages: [], resume: interrupted.outcome!.interrupts!.map((i) => ({ interruptId: i.id, status: 'cancelled' })) })),
  });
  const after = (await dataFrames(resumed)) as Array<{ type: string; outcome?: { type: string } }>;
  expect(after.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
  // The thread is the session: the API knows it by the same id.
  expect((await fetch(`${api}/session/${threadId}`)).status).toBe(200);

  // useChat's endpoint: a chat request, answered as a UI message stream, to the approval.
  const chatId = `chat-${randomUUID().slice(0, 8)}`;
  const chat = await fetch(`${api}/ui-chat`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ id: chatId, trigger: 'submit-message', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] }] }),
  });
  expect(chat.status).toBe(200);
  expect(chat.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
  const chunks = (await dataFrames(chat)) as Array<{ type: string } | string>;
  expect(chunks[0]).toMatchObject({ type: 'start' });
  expect(chunks.some((c) => typeof c === 'object' && c.type === 'tool-approval-request')).toBe(true);
  expect(chunks.at(-1)).toBe('[DONE]');
  // Nothing streams while the turn waits for the user: the resume probe says so.
  expect((await fetch(`${api}/ui-chat/${chatId}/stream`)).status).toBe(204);

  // Another site's page may not post to either endpoint, as it may not post to the API.
  const forged = { ...json, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
  const refused = await fetch(`${api}/ui-chat`, { method: 'POST', headers: forged, body: JSON.stringify({ id: chatId, messages: [] }) });
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: 'cross_origin_forbidden' } });
  expect((await fetch(`${api}/ag-ui`, { method: 'POST', headers: forged, body: '{}' })).status).toBe(403);
}
