import { createElement, StrictMode, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { ChatClient, type AgentEvent, type ChatMessage, type SessionMessages } from '@agent-chat/core';
import { useAgentChat, type UseAgentChatOptions, type UseAgentChatResult } from './index.js';
import { assert, assertEqual, assertMatch, canonicalJson, waitFor } from './test-support/assert.js';

/*
 * The headless hook against a real agent-chat server (the demo agent, 3 ms per
 * chunk) that web-test-runner.react.config.mjs mounts under /api.
 */

const client = new ChatClient({ endpoint: '/api' });

function textOf(message: ChatMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** A custom UI on the hook; exposes every result it rendered with. */
function mountChat(options: UseAgentChatOptions) {
  const renders: UseAgentChatResult[] = [];
  let committed = 0;
  function Chat() {
    const chat = useAgentChat(options);
    renders.push(chat);
    useEffect(() => {
      committed++;
    });
    return createElement(
      'section',
      { 'data-status': chat.status },
      createElement(
        'ol',
        null,
        chat.state.messages.map((message) =>
          createElement('li', { key: message.id, 'data-role': message.role }, textOf(message)),
        ),
      ),
    );
  }
  const host = document.createElement('div');
  document.body.append(host);
  const root: Root = createRoot(host);
  flushSync(() => root.render(createElement(StrictMode, null, createElement(Chat))));
  return {
    host,
    renders,
    get latest() {
      return renders.at(-1)!;
    },
    get commits() {
      return committed;
    },
    assistantText: () => [...host.querySelectorAll('li[data-role="assistant"]')].map((li) => li.textContent).join('\n'),
    unmount() {
      root.unmount();
      host.remove();
    },
  };
}

/** The conversation's messages as the server holds them, for exact comparison. */
async function serverMessages(sessionId: string): Promise<SessionMessages> {
  return client.getMessages(sessionId);
}

describe('useAgentChat', () => {
  beforeEach(() => localStorage.clear());

  it('streams a demo turn into a custom UI: send, approval, completion', async () => {
    const events: AgentEvent[] = [];
    const chat = mountChat({ endpoint: '/api', onEvent: (event) => events.push(event) });
    try {
      assertEqual(chat.renders[0]!.status, 'connecting', 'the first render is connecting');
      await waitFor(() => chat.latest.status === 'idle', 'the session');
      const sessionId = chat.latest.sessionId!;
      assertEqual(localStorage.getItem('agent-chat:session:/api'), sessionId, 'the session is remembered like <agent-chat> does');

      const lengths: number[] = [];
      const observer = new MutationObserver(() => {
        const length = chat.assistantText().length;
        if (length > 0 && length !== lengths.at(-1)) lengths.push(length);
      });
      observer.observe(chat.host, { subtree: true, childList: true, characterData: true });

      const sending = chat.latest.send('Hello from a hook');
      assertEqual(await chat.latest.send('a second message while the first one is posting'), false, 'one turn at a time');
      await waitFor(() => chat.latest.status === 'running', 'the turn to run');
      assert(chat.latest.streaming, 'a stream is open');
      assertEqual(await sending, true, 'send resolves true once the stream ends');
      observer.disconnect();

      assertEqual(chat.latest.status, 'awaiting_approval', 'the demo waits for approval');
      assert(lengths.length >= 3, `the answer rendered progressively (${lengths.join(', ')})`);
      assertMatch(chat.assistantText(), /Hello from the demo agent/, 'the answer is in the DOM');
      const pending = chat.latest.state.pendingApprovals;
      assertEqual(pending.map((p) => p.name).join(), 'write_file', 'the write waits');

      assertEqual(
        await chat.latest.approve(pending.map((p) => ({ toolCallId: p.toolCallId, decision: 'approve' as const }))),
        true,
        'approve resolves true',
      );
      await waitFor(() => chat.latest.status === 'idle' && !chat.latest.streaming, 'the turn to end');
      assert(events.some((e) => e.type === 'turn_complete'), 'onEvent saw turn_complete');
      assertEqual(chat.latest.error, undefined, 'no error');

      // The hook's view is the server's history, exactly.
      const history = await serverMessages(sessionId);
      assertEqual(canonicalJson(chat.latest.state.messages), canonicalJson(history.messages), 'same messages as the server');
      assertEqual(chat.latest.state.lastEventId, history.lastEventId, 'up to the last event');
      // Renders were coalesced: far fewer commits than events.
      assert(chat.commits < events.length, `${chat.commits} commits for ${events.length} events`);
    } finally {
      chat.unmount();
    }
  });

  it('resumes a running turn on mount: snapshot, then the events after it, once each', async () => {
    const { id } = await client.createSession();
    // Start a turn elsewhere and leave after the first chunk; the turn goes on on the server.
    for await (const { event } of client.send(id, 'Resume me')) {
      if (event.type === 'assistant_chunk') break;
    }

    const chat = mountChat({ sessionId: id });
    try {
      await waitFor(() => chat.latest.status === 'running', 'the running turn');
      // Waiting for approval, the hook keeps following the session (a decision may come from elsewhere).
      await waitFor(() => chat.latest.status === 'awaiting_approval', 'the turn to reach approval', 15_000);
      const history = await serverMessages(id);
      assertEqual(canonicalJson(chat.latest.state.messages), canonicalJson(history.messages), 'no gap, no duplicate');
      assertEqual(chat.latest.state.messages.filter((m) => m.role === 'user').length, 1, 'one user message');
      assertEqual(localStorage.getItem('agent-chat:session:/api'), null, 'an explicit session is not remembered');

      await chat.latest.stop();
      await waitFor(() => chat.latest.status === 'idle', 'the stop');
    } finally {
      chat.unmount();
    }
  });

  it('reports a session that cannot be opened as status error', async () => {
    const chat = mountChat({ sessionId: 'no-such-session' });
    try {
      await waitFor(() => chat.latest.status === 'error', 'the error status');
      assertEqual(chat.latest.error?.code, 'session_not_found', 'the server code');
      assertEqual(chat.latest.error?.status, 404, 'the status');
      assertEqual(await chat.latest.send('hello'), false, 'nothing is sent without a session');
    } finally {
      chat.unmount();
    }
  });
});
