import {
  createConversationState,
  reduce,
  type ConversationState,
  type EventOf,
  type StreamEvent,
} from '@agent-chat/core';
import { compactResultSchema, sessionMessagesSchema } from '@agent-chat/core/schemas';
import { describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { expectError, useServers, type SuiteServer } from '../__fixtures__/conformance-suite.js';
import { readEvents, types, waitFor } from '../__fixtures__/harness.js';
import type { Agent } from '../agents/agent.js';
import { estimateTokens } from './estimate-tokens.js';

const start = useServers(nodeFactory);

async function turns(s: SuiteServer, id: string, texts: string[]): Promise<void> {
  for (const text of texts) await readEvents(await s.post(`/chat/${id}`, { text }));
}

async function messages(s: SuiteServer, id: string) {
  return sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json());
}

/** A subscriber that follows the session and reduces what it sees, as a widget does. */
function follow(s: SuiteServer, id: string) {
  const controller = new AbortController();
  const seen: StreamEvent[] = [];
  let state: ConversationState = createConversationState(id);
  const done = (async () => {
    const response = await s.call(`/events/${id}`, { signal: controller.signal });
    await readEvents(response, (event) => {
      seen.push(event);
      state = reduce(state, event.event, event.id);
      return false;
    }).catch(() => {});
  })();
  return {
    seen,
    get state() {
      return state;
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

const userTexts = (list: readonly { role: string; parts: readonly { type: string; text?: string }[] }[]) =>
  list.filter((m) => m.role === 'user').map((m) => m.parts[0]!.text);

describe('undo and truncate', () => {
  it('undo removes the last turn, appends a snapshot, and every subscriber converges on it', async () => {
    const s = await start();
    const id = await s.createSession();
    await turns(s, id, ['one', 'two', 'three']);
    const watcher = follow(s, id);
    await waitFor(() => watcher.seen.some((e) => e.event.type === 'snapshot'));
    const lastBefore = (await messages(s, id)).lastEventId;

    const undone = sessionMessagesSchema.parse(await (await s.post(`/undo/${id}`)).json());
    expect(userTexts(undone.messages)).toEqual(['one', 'two']);
    expect(undone.messages).toHaveLength(4);
    expect(undone.lastEventId).toBe(lastBefore + 1);
    await waitFor(() => watcher.state.lastEventId === undone.lastEventId);
    const live = watcher.seen.at(-1)!;
    expect(live).toMatchObject({ id: lastBefore + 1, event: { type: 'snapshot', processing: false, pendingApprovals: [] } });
    expect(watcher.state.messages).toEqual(undone.messages);
    await watcher.stop();

    // The agent's next turn sees the history without the undone turn.
    await turns(s, id, ['four']);
    expect(userTexts(s.agent.histories.at(-1)!)).toEqual(['one', 'two']);
    expect(userTexts((await messages(s, id)).messages)).toEqual(['one', 'two', 'four']);
  });

  it('truncate drops user message N and everything after; N past the end is 422 and changes nothing', async () => {
    const s = await start();
    const id = await s.createSession();
    await turns(s, id, ['a', 'b', 'c']);
    const before = await messages(s, id);
    const bad = await expectError(await s.post(`/truncate/${id}`, { userMessageIndex: 3 }), 422, 'invalid_body');
    expect(bad.error.issues?.[0]).toMatchObject({ path: ['userMessageIndex'] });
    expect(await messages(s, id)).toEqual(before);

    const cut = sessionMessagesSchema.parse(await (await s.post(`/truncate/${id}`, { userMessageIndex: 1 })).json());
    expect(userTexts(cut.messages)).toEqual(['a']);
    // Edit and regenerate: truncate, then send the edited text.
    await turns(s, id, ['b, edited']);
    expect(userTexts((await messages(s, id)).messages)).toEqual(['a', 'b, edited']);

    const empty = sessionMessagesSchema.parse(await (await s.post(`/truncate/${id}`, { userMessageIndex: 0 })).json());
    expect(empty.messages).toEqual([]);
    await expectError(await s.post(`/undo/${id}`), 409, 'nothing_to_undo');
  });

  it('keeps title and usage across an undo', async () => {
    const s = await start();
    const id = await s.createSession();
    await turns(s, id, ['one', 'two']);
    await s.post('/title', { text: 'one', sessionId: id });
    const undone = sessionMessagesSchema.parse(await (await s.post(`/undo/${id}`)).json());
    expect(undone.title).toBe('Chat about one');
  });
});

describe('compact', () => {
  it('folds all but the last 2 turns with agent.summarize and reports estimated tokens', async () => {
    const s = await start();
    const id = await s.createSession();
    await turns(s, id, ['first '.repeat(100), 'second '.repeat(100), 'third', 'fourth']);
    const before = await messages(s, id);
    const watcher = follow(s, id);
    await waitFor(() => watcher.seen.some((e) => e.event.type === 'snapshot'));

    const result = compactResultSchema.parse(await (await s.post(`/compact/${id}`)).json());
    const after = await messages(s, id);
    expect(s.agent.summarized).toHaveLength(1);
    expect(s.agent.summarized[0]!.map((m) => m.id)).toEqual(before.messages.slice(0, 4).map((m) => m.id));
    expect(after.messages).toHaveLength(5);
    expect(after.messages[0]).toMatchObject({ role: 'assistant', summary: true, parts: [{ type: 'text', text: 'SUMMARY of 4 messages', state: 'done' }] });
    expect(after.messages.slice(1)).toEqual(before.messages.slice(4));
    expect(result).toEqual({ tokensBefore: estimateTokens(before.messages), tokensAfter: estimateTokens(after.messages) });
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore);

    await waitFor(() => watcher.state.lastEventId === after.lastEventId);
    const compacted = watcher.seen.at(-1)!.event as EventOf<'compacted'>;
    expect(compacted).toMatchObject({ type: 'compacted', ...result });
    expect(watcher.state.messages).toEqual(after.messages);
    await watcher.stop();

    // Nothing older than the last 2 turns left: a second compaction changes nothing.
    const again = compactResultSchema.parse(await (await s.post(`/compact/${id}`)).json());
    expect(again.tokensBefore).toBe(again.tokensAfter);
    expect((await messages(s, id)).lastEventId).toBe(after.lastEventId);
  });

  it('without agent.summarize uses the deterministic extractive summary', async () => {
    const s = await start({ agentOptions: { bare: true } });
    const id = await s.createSession();
    await turns(s, id, ['alpha question', 'beta', 'gamma']);
    await s.post(`/compact/${id}`);
    const summary = (await messages(s, id)).messages[0]!;
    expect(summary.summary).toBe(true);
    expect(summary.parts[0]).toMatchObject({
      type: 'text',
      text: 'Summary of the earlier conversation (2 messages):\n- User: alpha question\n- Assistant: echo: alpha question',
    });
  });

  it('a failing summarize answers 502 summarize_failed without details, and changes nothing', async () => {
    const s = await start({ agentOptions: { failSummarize: true } });
    const id = await s.createSession();
    await turns(s, id, ['one', 'two', 'three']);
    const before = await messages(s, id);
    const body = await expectError(await s.post(`/compact/${id}`), 502, 'summarize_failed');
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(await messages(s, id)).toEqual(before);
    expect(s.logger.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('no turn starts while a compaction runs; an interrupt abandons it and changes nothing', async () => {
    let releaseSummary!: () => void;
    const slowSummary = new Promise<void>((resolve) => (releaseSummary = resolve));
    const s = await start();
    const agent = s.agent as Agent & { summarize: NonNullable<Agent['summarize']> };
    agent.summarize = async ({ signal }) => {
      await Promise.race([slowSummary, new Promise((resolve) => signal.addEventListener('abort', resolve))]);
      return 'late summary';
    };
    const id = await s.createSession();
    await turns(s, id, ['one', 'two', 'three']);
    const before = await messages(s, id);
    const compacting = s.post(`/compact/${id}`);
    await waitFor(() => s.chat.sessions.get(id, 'ann')!.runner.busy);
    await expectError(await s.post(`/chat/${id}`, { text: 'now' }), 409, 'turn_running');
    await expectError(await s.post(`/undo/${id}`), 409, 'turn_running');
    expect(await (await s.post(`/interrupt/${id}`)).json()).toEqual({ interrupted: true });
    await expectError(await compacting, 409, 'interrupted');
    releaseSummary();
    expect(await messages(s, id)).toEqual(before);
    await turns(s, id, ['after']);
    expect(userTexts((await messages(s, id)).messages)).toEqual(['one', 'two', 'three', 'after']);
  });

  it('compacts on its own before a turn whose history is over the threshold', async () => {
    const s = await start({ compaction: { thresholdTokens: 50, keepLastTurns: 1 } });
    const id = await s.createSession();
    // One long turn: over the threshold, but with one turn kept there is nothing to fold.
    await turns(s, id, ['long '.repeat(60), 'short']);
    expect((await messages(s, id)).messages.some((m) => m.summary)).toBe(false);
    // History before this third turn is over 50 tokens: compacted first.
    const events = await readEvents(await s.post(`/chat/${id}`, { text: 'third' }));
    expect(types(events).slice(0, 3)).toEqual(['ready', 'processing', 'compacted']);
    const compacted = events[2]!.event as EventOf<'compacted'>;
    expect(compacted.tokensAfter).toBeLessThan(compacted.tokensBefore);
    const after = await messages(s, id);
    expect(after.messages[0]).toMatchObject({ summary: true, parts: [{ text: 'SUMMARY of 2 messages' }] });
    expect(userTexts(after.messages)).toEqual(['short', 'third']);
    // The agent was given the folded history.
    expect(s.agent.histories.at(-1)!.map((m) => m.id)).toEqual(after.messages.slice(0, 3).map((m) => m.id));
    expect(events.at(-1)!.event.type).toBe('turn_complete');
    // A client reducing the chat stream alone holds the same conversation.
    const reduced = events.reduce((state, e) => reduce(state, e.event, e.id), createConversationState(id));
    expect(reduced.messages).toEqual(after.messages);
  });
});
