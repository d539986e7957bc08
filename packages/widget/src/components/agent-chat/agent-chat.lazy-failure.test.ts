import { ChatClient } from '@agent-chat/core';
import { defineElement } from '../../define-element.js';
import { tourTurn } from '../../__fixtures__/scenarios.js';
import { createMockFetch } from '../../testing/mock-fetch.js';
import type { AgentChatErrorEvent } from '../../events/error-event.js';
import { assertEqual, assertMatch, waitFor } from '../../test-support/assert.js';
import { AgentChat } from './agent-chat.component.js';

/*
 * A part whose file cannot be fetched (the server went away, a deploy removed
 * it): the error is reported once, not retried every frame.
 */

let approvalLoads = 0;
class OfflineChat extends AgentChat {
  static override lazyDependencies = {
    ...AgentChat.lazyDependencies,
    'agent-chat-approvals': () => {
      approvalLoads++;
      return Promise.reject(new TypeError('Failed to fetch dynamically imported module: parts/tool-parts.js'));
    },
  };
}
defineElement('offline-chat', OfflineChat);

describe('<agent-chat> when a part fails to load', () => {
  it('reports the failure once (agent-chat-error and the error line) and does not loop', async () => {
    const el = document.createElement('offline-chat') as OfflineChat;
    el.client = new ChatClient({ endpoint: '/mock-api', fetch: createMockFetch({ history: tourTurn }) });
    el.sessionId = 'mock-session';
    el.style.height = '600px';
    const errors: AgentChatErrorEvent[] = [];
    el.addEventListener('agent-chat-error', (e) => errors.push(e));
    document.body.append(el);

    await waitFor(() => el.conversation.status === 'awaiting_approval', 'the pending approval from history');
    await waitFor(() => errors.length > 0, 'the error event');
    assertMatch(errors[0]!.detail.message, /Failed to fetch dynamically imported module/, 'the message');
    await el.updateComplete;
    assertMatch(el.shadowRoot!.querySelector('[part~="error"]')!.textContent!, /Failed to fetch/, 'shown');

    // Renders go on (a stream is open while the turn waits); no new load, no new error.
    for (let i = 0; i < 10; i++) {
      el.requestUpdate();
      await new Promise((r) => requestAnimationFrame(r));
    }
    assertEqual(approvalLoads, 1, 'one load');
    assertEqual(errors.length, 1, 'one error');
    await waitFor(() => customElements.get('agent-chat-code-panel'), 'the code panel, prefetched with its own loader');
    el.remove();
  });
});
