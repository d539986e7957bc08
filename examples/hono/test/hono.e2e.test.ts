import { ChatClient, type AgentEvent, type StreamEvent } from '@agent-chat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInteropEndpoints } from '../../../test-support/interop-endpoints.js';
import { startExample, type RunningExample } from '../../../test-support/start-example.js';

async function collect(stream: AsyncGenerator<StreamEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const { event } of stream) events.push(event);
  return events;
}

/** examples/hono as a real process: the page, the widget bundle, and a whole demo turn over real HTTP. */
describe('examples/hono', () => {
  let example: RunningExample;

  beforeAll(async () => {
    example = await startExample(new URL('..', import.meta.url), { DEMO_CHUNK_DELAY_MS: '2' });
  });

  afterAll(async () => {
    await example?.stop();
  });

  it('serves the AG-UI endpoint at /api/ag-ui and the useChat endpoint at /api/ui-chat, under the API\'s policy', async () => {
    await expectInteropEndpoints(new URL('api', example.url).href);
  });

  it('serves the page and the widget bundle', async () => {
    const page = await fetch(example.url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<agent-chat endpoint="/api">');

    const bundle = await fetch(new URL('agent-chat/agent-chat.bundle.js', example.url));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await bundle.text()).toContain('agent-chat');
    expect((await fetch(new URL('agent-chat/..%2F..%2Fpackage.json', example.url))).status).toBe(404);
  });

  it('streams Server-Sent Events through Hono unbuffered', async () => {
    const client = new ChatClient({ endpoint: new URL('api', example.url).href });
    const { id } = await client.createSession();
    const response = await fetch(new URL(`api/events/${id}`, example.url), { headers: { accept: 'text/event-stream' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    await response.body?.cancel();
  });

  it('completes a demo turn: stream, approval, completion, history', async () => {
    const client = new ChatClient({ endpoint: new URL('api', example.url).href });
    const { id } = await client.createSession();

    const first = await collect(client.send(id, 'Hello Hono'));
    expect(first[0]?.type).toBe('ready');
    expect(first.filter((e) => e.type === 'assistant_chunk').length).toBeGreaterThan(5);
    const approval = first.at(-1);
    expect(approval?.type).toBe('approval_required');
    if (approval?.type !== 'approval_required') throw new Error('unreachable');

    const second = await collect(
      client.sendApprovals(
        id,
        approval.tools.map((t) => ({ toolCallId: t.toolCallId, decision: 'approve' as const })),
      ),
    );
    expect(second.at(-1)?.type).toBe('turn_complete');
    expect(second.some((e) => e.type === 'tool_output' && !e.isError)).toBe(true);

    const history = await client.getMessages(id);
    expect(history.processing).toBe(false);
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(history.messages[0]?.parts).toEqual([expect.objectContaining({ type: 'text', text: 'Hello Hono' })]);
  });
});
