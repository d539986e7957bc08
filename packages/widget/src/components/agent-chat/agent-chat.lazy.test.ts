import { sendKeys } from '@web/test-runner-commands';
import { ChatClient, type ToolCallPart } from '@agent-chat/core';
// Registers <agent-chat> as the prebuilt bundle does, without @agent-chat/widget/define:
// the code panel, the approvals and the research list are left to load on first need.
import './agent-chat.js';
import { longMarkdownTurn } from '../../__fixtures__/scenarios.js';
import { createMockFetch } from '../../testing/mock-fetch.js';
import type { AgentChatApproveEvent } from '../../events/approve-event.js';
import { assert, assertEqual, assertMatch, deepActiveElement, deepQuery, waitFor } from '../../test-support/assert.js';
import type { AgentChat } from './agent-chat.component.js';

/*
 * The tool parts on first need, in a page where they are not defined yet
 * (web-test-runner gives each test file a page of its own; the tests run in order).
 * The dev server serves each module as a file, so tool-parts.ts is a request of its own.
 */

const TOOL_PARTS = ['agent-chat-tool-group', 'agent-chat-code-panel', 'agent-chat-approvals', 'agent-chat-research'];
const defined = () => TOOL_PARTS.filter((tag) => customElements.get(tag));
// The dev server serves every module as a request: keep them all (the default buffer holds 250).
performance.setResourceTimingBufferSize(100_000);
const requested = (pathEnd: string) => performance.getEntriesByType('resource').some((entry) => new URL(entry.name).pathname.endsWith(pathEnd));
const toolPartsRequested = () => requested('/components/tool-parts/tool-parts.ts');

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const toolCalls = (el: AgentChat) => el.conversation.messages.flatMap((m) => m.parts.filter((p): p is ToolCallPart => p.type === 'tool_call'));

async function send(el: AgentChat, text: string): Promise<void> {
  const input = await waitFor(() => {
    const textarea = q<HTMLTextAreaElement>(el, '[part~="input"]');
    return textarea && !textarea.disabled ? textarea : null;
  }, 'the composer');
  input.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

function nextEvent<E extends Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as E), { once: true }));
}

describe('<agent-chat> loads its tool parts on first need', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('agent-chat')) el.remove();
    localStorage.clear();
  });

  it('a chat without tools never loads them', async () => {
    assert(customElements.get('agent-chat'), '<agent-chat> is registered');
    assert(customElements.get('agent-chat-messages') && customElements.get('agent-chat-composer'), 'the parts every chat shows are registered with it');
    assertEqual(defined().join(), '', 'no tool part defined at first');

    const el = document.createElement('agent-chat');
    el.client = new ChatClient({ endpoint: '/mock-api', fetch: createMockFetch({ turns: [longMarkdownTurn] }) });
    el.sessionId = 'mock-session';
    el.style.height = '500px';
    document.body.append(el);
    await send(el, 'How do I migrate?');
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming && el.conversation.messages.length === 2, 'the answer');
    await waitFor(() => q(el, '.markdown pre code.hljs'), 'highlighted code (its own lazy load)');

    assertEqual(defined().join(), '', 'still no tool part defined');
    assert(requested('/highlight.js/lib/core.js'), 'requests made on demand are recorded (highlight.js here)');
    assert(!toolPartsRequested(), 'tool-parts.ts was never requested');
  });

  it('a turn with tools against the real server: research list, approval with focus, an edit in the code panel', async () => {
    const el = document.createElement('agent-chat');
    el.setAttribute('endpoint', '/api');
    el.style.height = '640px';
    document.body.append(el);
    await send(el, 'Show me everything');

    // The first tool call fetches the parts, before anything needs them.
    await waitFor(() => toolCalls(el).length > 0, 'the first tool call');
    await waitFor(() => toolPartsRequested(), 'tool-parts.ts to be requested');

    // The tool cards come with the tool parts.
    await waitFor(() => q(el, 'agent-chat-tool-group')?.shadowRoot?.querySelector('[part~="tool-call"]'), 'a tool card');

    // The research tool's sub-agents: <agent-chat-research> gets defined and lists them (the card renders
    // a new one inside its <details> once the call is over, hence the query each time).
    await waitFor(() => q(el, 'agent-chat-research')?.shadowRoot?.querySelectorAll('[part~="agent"]').length === 3, 'three research agents in the list');

    // The approval: the panel is there, focus on its first Approve button.
    await waitFor(() => el.conversation.status === 'awaiting_approval', 'the approval request');
    const approve = await waitFor(() => q<HTMLButtonElement>(el, 'button[data-approve]'), 'the Approve button');
    await waitFor(() => deepActiveElement() === approve, 'focus on the first Approve button');
    assertEqual(defined().join(), TOOL_PARTS.join(), 'every tool part defined by now');

    // Edit in the code panel: Edit opens it with the editor focused.
    q<HTMLButtonElement>(el, '[part~="edit-button"]')!.click();
    const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="editor"]'), 'the editor');
    await waitFor(() => deepActiveElement() === editor, 'focus in the editor');
    assert(el.panelOpen, 'the panel is open');
    const original = JSON.parse(editor.value) as { path: string; content: string };
    const edited = { ...original, content: 'Written lazily.\n' };
    editor.value = JSON.stringify(edited, null, 2);
    editor.dispatchEvent(new InputEvent('input'));
    q<HTMLButtonElement>(el, '[data-save]')!.click();
    await waitFor(() => deepQuery(q(el, 'agent-chat-approvals')!.shadowRoot!, '[data-edited]'), 'the (edited) badge on the approval');

    const approved = nextEvent<AgentChatApproveEvent>(el, 'agent-chat-approve');
    q<HTMLButtonElement>(el, 'button[data-approve]')!.click();
    assertEqual(JSON.stringify((await approved).detail.approvals[0]!.input), JSON.stringify(edited), 'the edit is sent');
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the turn to end');
    await el.updateComplete;
    const write = toolCalls(el).find((t) => t.name === 'write_file')!;
    assertEqual(write.state, 'done', 'write_file ran');
    assertEqual((write.input as { content: string }).content, 'Written lazily.\n', 'with the edit');
    assertMatch(el.shadowRoot!.querySelector('[role="status"]')!.textContent!, /Response complete/, 'announced');
  });
});
