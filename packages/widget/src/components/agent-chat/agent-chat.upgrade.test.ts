import { ChatClient, type AgentEvent } from '@agent-chat/core';
// <agent-chat> as the prebuilt bundle registers it: the tool parts left to load on first need.
import './agent-chat.js';
import { tourResumed, tourTurn } from '../../__fixtures__/scenarios.js';
import { createMockFetch } from '../../testing/mock-fetch.js';
import type { AgentChatApproveEvent } from '../../events/approve-event.js';
import { assert, assertEqual, assertMatch, deepActiveElement, deepQuery, waitFor } from '../../test-support/assert.js';
import type { AgentChat } from './agent-chat.component.js';

/*
 * The approval arrives before its panel's code: <agent-chat> renders
 * <agent-chat-approvals> while the tag is not defined yet, with its properties
 * set on a plain element, and must see them rendered and focused once the part
 * loads. The mock streams the tool call and the approval request together, so
 * both land in one render, before the part's file (a request to the dev server)
 * can have arrived; the test checks that it had not.
 */

const firstTool = tourTurn.findIndex((e) => e.type === 'tool_call');
const approvalAt = tourTurn.findIndex((e) => e.type === 'approval_required');
/** The tour up to its first tool call (a turn running, no tool yet), then the write and its approval request at once. */
const history: AgentEvent[] = tourTurn.slice(0, firstTool);
const live: AgentEvent[] = tourTurn.slice(approvalAt - 1, approvalAt + 1);

describe('<agent-chat> with the approval panel not loaded yet', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('agent-chat')) el.remove();
  });

  it('keeps the properties set before the upgrade, renders them and focuses Approve', async () => {
    assertEqual(live.map((e) => e.type).join(), 'tool_call,approval_required', 'the scenario');
    assertEqual(customElements.get('agent-chat-approvals'), undefined, 'not defined at first');

    const el = document.createElement('agent-chat') as AgentChat;
    el.client = new ChatClient({ endpoint: '/mock-api', fetch: createMockFetch({ history, live, afterApproval: tourResumed }) });
    el.sessionId = 'mock-session';
    el.style.height = '600px';

    // The moment the panel first enters the shadow DOM (a microtask after that render).
    let firstSeen: { defined: boolean; ownProperties: string[] } | undefined;
    const observer = new MutationObserver(() => {
      const panel = el.shadowRoot!.querySelector('agent-chat-approvals');
      if (panel && !firstSeen) {
        firstSeen = {
          defined: customElements.get('agent-chat-approvals') !== undefined,
          ownProperties: ['approvals', 'edits', 'busy', 'strings'].filter((p) => Object.hasOwn(panel, p)),
        };
      }
    });
    document.body.append(el);
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });

    const approve = await waitFor(() => deepQuery<HTMLButtonElement>(el.shadowRoot!, 'button[data-approve]'), 'the Approve button');
    observer.disconnect();
    assert(firstSeen, 'the panel was seen');
    assertEqual(firstSeen.defined, false, 'the panel was rendered before its class was defined');
    assertEqual(firstSeen.ownProperties.join(), 'approvals,edits,busy,strings', 'Lit set the properties on the plain element');

    const panel = el.shadowRoot!.querySelector('agent-chat-approvals')!;
    assert(customElements.get('agent-chat-approvals') && panel.approvals.length === 1, 'upgraded, with the pending call');
    assertEqual(Object.hasOwn(panel, 'approvals'), false, 'the saved property went to the reactive accessor');
    assertMatch(panel.shadowRoot!.querySelector('[part~="approval-name"]')!.textContent!, /write_file/, 'rendered');
    await waitFor(() => deepActiveElement() === approve, 'focus on Approve once the panel is there');

    const approved = new Promise<AgentChatApproveEvent>((resolve) =>
      el.addEventListener('agent-chat-approve', (e) => resolve(e), { once: true }),
    );
    approve.click();
    assertEqual((await approved).detail.approvals[0]?.decision, 'approve', 'the decision');
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the turn to end');
    assertEqual(el.conversation.pendingApprovals.length, 0, 'nothing pending');
  });
});
