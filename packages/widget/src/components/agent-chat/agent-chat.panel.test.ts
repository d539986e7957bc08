import { type ToolCallPart } from '@agent-chat/core';
import '../../define.js';
import { tourResumed, tourTurn } from '../../__fixtures__/scenarios.js';
import { assert, assertEqual, deepQuery, waitFor } from '../../test-support/assert.js';
import { cleanup, mountChat } from '../../test-support/mount.js';
import type { AgentChat } from './agent-chat.component.js';

/*
 * What the code panel shows: the running tool, unless the user pinned a call;
 * a pin lasts for the turn it was made in, and the user's own pick always wins.
 */

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const panel = (el: AgentChat) => el.shadowRoot!.querySelector('agent-chat-code-panel');
const callsOfLastMessage = (el: AgentChat) =>
  el.conversation.messages.at(-1)!.parts.filter((p): p is ToolCallPart => p.type === 'tool_call');

describe('<agent-chat> code panel: following and pinning', () => {
  afterEach(cleanup);

  it('drops a pin from an earlier turn: the next turn’s running tool takes the panel', async () => {
    const el = await mountChat({ history: tourTurn, afterApproval: tourResumed, turns: [tourTurn], delayMs: 15 });
    // Edit on the approval opens the panel pinned on the pending write.
    (await waitFor(() => q<HTMLButtonElement>(el, '[part~="edit-button"]'), 'the Edit button')).click();
    await waitFor(() => panel(el)?.pinned, 'the panel pinned on the pending call');
    const write = el.panelToolCallId;
    (await waitFor(() => q<HTMLButtonElement>(el, '[part~="approve-button"]'), 'Approve')).click();
    await waitFor(() => el.conversation.status === 'idle', 'the turn to finish', 15_000);
    assertEqual(el.panelToolCallId, write, 'still on the pinned call while its turn lasts');

    const sending = el.send('Again, please');
    const seen = await waitFor(() => {
      const running = callsOfLastMessage(el).find((c) => c.state === 'running');
      return running && el.panelToolCallId === running.toolCallId ? running.name : undefined;
    }, 'the panel to follow a tool of the new turn', 15_000);
    assert(seen, 'followed');
    assertEqual(panel(el)!.pinned, false, 'the new turn is not pinned');
    await sending;
  });

  it('shows the call the user opens, even while another is pinned, and explains Pin', async () => {
    const el = await mountChat({ history: tourTurn });
    (await waitFor(() => q<HTMLButtonElement>(el, '[part~="edit-button"]'), 'the Edit button')).click();
    const codePanel = await waitFor(() => (panel(el)?.pinned ? panel(el) : null), 'the panel pinned');
    await codePanel.updateComplete;
    const unpinTitle = codePanel.shadowRoot!.querySelector<HTMLButtonElement>('[data-pin]')!.title;
    assert(unpinTitle.length > 20, `Unpin says what it does: "${unpinTitle}"`);

    const research = callsOfLastMessage(el).find((c) => c.name === 'research')!;
    const card = q(el, `[data-tool-call-id="${research.toolCallId}"]`)!;
    card.querySelector<HTMLButtonElement>('[part~="open-panel"]')!.click();
    await waitFor(() => el.panelToolCallId === research.toolCallId, 'the panel on the opened call');
    await el.updateComplete;
    await codePanel.updateComplete;
    assertEqual(codePanel.shadowRoot!.querySelector('.name')!.textContent, 'research', 'the panel shows it');

    codePanel.shadowRoot!.querySelector<HTMLButtonElement>('[data-pin]')!.click();
    await waitFor(() => !codePanel.pinned, 'unpinned');
    await codePanel.updateComplete;
    const pin = codePanel.shadowRoot!.querySelector<HTMLButtonElement>('[data-pin]')!;
    assert(pin.title.length > 20 && pin.title !== unpinTitle, `Pin says what it does: "${pin.title}"`);
    assertEqual(codePanel.shadowRoot!.querySelector('.name')!.textContent, 'research', 'unpinned, the call stays in view');
  });
});
