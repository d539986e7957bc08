import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createConversationState, reduce, type AgentEvent } from '@agent-chat/core';
import { parseAgentEvent } from '@agent-chat/core/schemas';
import { parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema, type UIMessage, type UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { AgentChatToUIMessageChunks } from './to-ui-message-chunks.js';
import { toUIMessages } from './ui-messages.js';

const coreFixtures = fileURLToPath(new URL('../../../../core/src/__fixtures__/', import.meta.url));
const widgetScenarios = fileURLToPath(new URL('../../../../widget/src/__fixtures__/scenarios.ts', import.meta.url));

async function recordedStreams(): Promise<Array<[string, AgentEvent[]]>> {
  const streams: Array<[string, AgentEvent[]]> = [];
  for (const file of readdirSync(coreFixtures).filter((f) => f.endsWith('.json')).sort()) {
    const frames = JSON.parse(readFileSync(coreFixtures + file, 'utf8')) as Array<{ id?: number; event: AgentEvent }>;
    let last = 0;
    const events: AgentEvent[] = [];
    for (const frame of frames) {
      if (frame.id !== undefined && frame.id <= last) continue;
      if (frame.id !== undefined) last = frame.id;
      events.push(parseAgentEvent(frame.event)!);
    }
    streams.push([file, events]);
  }
  const scenarios = (await import(/* @vite-ignore */ widgetScenarios as string)) as Record<string, unknown>;
  const pick = (name: string) => (scenarios[name] as AgentEvent[]).map((e) => parseAgentEvent(e)!);
  streams.push(
    ['widget tourComplete', pick('tourComplete')],
    ['widget toolError', pick('toolError')],
    ['widget manyApprovals + resumed', [...pick('manyApprovals'), ...pick('manyApprovalsResumed')]],
    ['widget editedApproval', pick('editedApproval')],
    ['widget failedTurn', pick('failedTurn')],
    ['widget rightToLeft', pick('rightToLeft')],
  );
  return streams;
}

const streams = await recordedStreams();

/** The chunks as `DefaultChatTransport` reads them: SSE `data:` frames parsed and validated against the AI SDK's chunk schema. */
async function throughTransport(chunks: readonly UIMessageChunk[]): Promise<UIMessageChunk[]> {
  const body = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
  const stream = parseJsonEventStream({
    stream: new Response(body).body!,
    schema: uiMessageChunkSchema,
  });
  const out: UIMessageChunk[] = [];
  for await (const result of stream as unknown as AsyncIterable<{ success: boolean; value?: UIMessageChunk; error?: unknown }>) {
    if (!result.success) throw new Error(`invalid chunk: ${String(result.error)}`);
    out.push(result.value!);
  }
  return out;
}

/**
 * Reads the chunks as `useChat` does, one response at a time: a response
 * starts at `start`; one that continues the last message (a resumed turn)
 * is read on top of it, as the AI SDK's Chat passes the last message.
 */
async function readMessages(chunks: readonly UIMessageChunk[]): Promise<{ messages: UIMessage[]; errors: string[] }> {
  const responses: UIMessageChunk[][] = [];
  for (const chunk of chunks) {
    if (chunk.type === 'start' || responses.length === 0) responses.push([]);
    responses.at(-1)!.push(chunk);
  }
  const messages: UIMessage[] = [];
  const errors: string[] = [];
  for (const response of responses) {
    const start = response.find((c) => c.type === 'start');
    const previous = messages.at(-1);
    const continues = start?.messageId !== undefined && previous?.id === start.messageId;
    let last: UIMessage | undefined;
    for await (const message of readUIMessageStream({
      ...(continues ? { message: previous } : {}),
      stream: new ReadableStream<UIMessageChunk>({
        start(controller) {
          for (const c of response) controller.enqueue(c);
          controller.close();
        },
      }),
      onError: (error) => errors.push(String(error)),
      terminateOnError: false,
    })) {
      last = message;
    }
    if (!last) continue;
    if (continues) messages[messages.length - 1] = last;
    else messages.push(last);
  }
  return { messages, errors };
}

/** What a message shows: its text, reasoning and tool calls (with their outcome), in order; step markers and data parts aside. */
function shown(message: UIMessage): unknown[] {
  const out: unknown[] = [];
  for (const part of message.parts) {
    if (part.type === 'text' || part.type === 'reasoning') {
      const last = out.at(-1) as { kind: string; text: string } | undefined;
      // Adjacent runs of one kind read as one.
      if (last && last.kind === part.type) last.text += part.text;
      else out.push({ kind: part.type, text: part.text });
    } else if (part.type === 'dynamic-tool') {
      out.push({
        kind: 'tool',
        toolCallId: part.toolCallId,
        name: part.toolName,
        input: part.input,
        state: part.state,
        ...(part.state === 'output-available' ? { output: part.output } : {}),
        ...(part.state === 'output-error' ? { errorText: part.errorText } : {}),
      });
    }
  }
  return out;
}

describe('agent-chat -> AI SDK UI message stream', () => {
  it.each(streams)('%s: every chunk passes the AI SDK\'s schema, and readUIMessageStream builds our messages, each part once', async (name, events) => {
    const mapper = new AgentChatToUIMessageChunks();
    const chunks = events.flatMap((e) => mapper.map(e));
    const parsed = await throughTransport(chunks);
    expect(parsed).toHaveLength(chunks.length);
    const { messages, errors } = await readMessages(parsed);
    const failures = events.filter((e) => e.type === 'error').map((e) => `Error: ${(e as { message: string }).message}`);
    expect(errors).toEqual(failures);

    const state = events.reduce((s, e, i) => reduce(s, e, i + 1), createConversationState('s1'));
    if (events.find((e) => e.type !== 'ready')?.type === 'snapshot') {
      // A snapshot has no counterpart in the stream: what follows it continues the snapshot's message.
      expect(messages.map((m) => [m.id, shown(m)])).toEqual([['a1', [{ kind: 'text', text: 'wer' }]]]);
      return;
    }
    const expected = toUIMessages(state.messages).filter((m) => m.role === 'assistant');
    expect(messages.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    expect(messages.map(shown)).toEqual(expected.map(shown));
    // Each tool call once, each research agent's data part once.
    for (const message of messages) {
      const ids = message.parts.flatMap((p) => (p.type === 'dynamic-tool' ? [p.toolCallId] : 'id' in p && p.type.startsWith('data-') ? [`${p.type}:${String(p.id)}`] : []));
      expect(new Set(ids).size, name).toBe(ids.length);
    }
  });

  it('approvals: tool-approval-request, then the answered approval, tool-output-denied for a rejection', () => {
    const events = streams.find(([n]) => n === 'approval-rejected.json')![1];
    const mapper = new AgentChatToUIMessageChunks();
    const types = events.flatMap((e) => mapper.map(e)).map((c) => (c.type === 'tool-approval-request' || c.type === 'tool-approval-response' || c.type === 'tool-output-denied' ? `${c.type}:${'toolCallId' in c ? c.toolCallId : c.approvalId}` : c.type));
    expect(types).toEqual([
      'start', 'start-step',
      'tool-input-start', 'tool-input-available',
      'tool-approval-request:c1', 'data-approval',
      'tool-input-start', 'tool-input-available',
      'tool-approval-request:c2', 'data-approval',
      'finish-step', 'finish',
      'start', 'start-step',
      'tool-approval-response:c1', 'tool-output-denied:c1',
      'tool-approval-response:c2',
      'tool-output-available',
      'text-start', 'text-delta', 'text-end',
      'finish-step', 'finish',
    ]);
  });

  it('a stop is abort; usage and title are data parts', () => {
    const byName = (name: string) => {
      const mapper = new AgentChatToUIMessageChunks();
      return streams.find(([n]) => n === name)![1].flatMap((e) => mapper.map(e));
    };
    expect(byName('interrupted.json').at(-1)).toEqual({ type: 'abort', reason: 'interrupted' });
    expect(byName('usage.json').filter((c) => c.type === 'data-usage')).toHaveLength(3);
    expect(byName('snapshot-then-live.json')).toContainEqual({ type: 'data-title', data: { title: 'New title' }, transient: true });
  });
});
