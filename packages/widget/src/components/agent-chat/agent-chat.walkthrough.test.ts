import { sendKeys, setViewport } from '@web/test-runner-commands';
import { ChatClient } from '@agent-chat/core';
import '../../define.js';
import { tourResumed, tourTurn } from '../../__fixtures__/scenarios.js';
import { createMockFetch, type MockScenario } from '../../testing/mock-fetch.js';
import { assert, assertEqual, assertMatch, deepActiveElement, deepQuery, waitFor } from '../../test-support/assert.js';
import type { AgentChat } from './agent-chat.component.js';

/*
 * The person's path through a tool call that waits for approval (issue 16):
 * Edit -> "Use this input" -> Approve, on a phone (the code panel is a sheet
 * over the conversation) and on a desktop (beside it); where focus goes when
 * the panel or its editor closes; what the transcript and the status bar say.
 */

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const pendingId = () => (tourTurn.at(-1) as { tools: Array<{ toolCallId: string }> }).tools[0]!.toolCallId;
const edited = { path: 'notes/edited-on-the-go.md', content: '# Edited\n' };

/** An <agent-chat> filling a `width` x `height` viewport over the mock server, recording request bodies. */
async function page(width: number, height: number, scenario: MockScenario = { history: tourTurn, afterApproval: tourResumed }) {
  await setViewport({ width, height });
  const bodies: unknown[] = [];
  const mock = createMockFetch(scenario);
  const el = document.createElement('agent-chat') as AgentChat;
  el.className = 'walkthrough-host';
  el.style.cssText = 'position: fixed; inset: 0; height: auto;';
  el.client = new ChatClient({
    endpoint: '/mock-api',
    fetch: (input, init) => {
      if (init?.body) bodies.push(JSON.parse(String(init.body)));
      return mock(input, init);
    },
  });
  el.sessionId = 'mock-session';
  document.body.append(el);
  await waitFor(() => q(el, '[part~="approve-button"]'), 'the approval bar');
  await nextFrame();
  return { el, bodies };
}

/** Whether a click at the middle of `target` lands on it (nothing, such as the code panel, covers it). */
function reachable(target: Element): boolean {
  const r = target.getBoundingClientRect();
  const x = r.left + r.width / 2;
  const y = r.top + r.height / 2;
  let hit = document.elementFromPoint(x, y);
  while (hit?.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return !!hit && (hit === target || target.contains(hit));
}

/** Edit on the approval bar, then a new input typed in the code panel's editor. */
async function editFromApprovalBar(el: AgentChat): Promise<HTMLTextAreaElement> {
  q(el, `[data-tool-call-id="${pendingId()}"] [part~="edit-button"]`)!.click();
  const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="editor"]'), 'the editor');
  await waitFor(() => deepActiveElement() === editor, 'focus in the editor');
  editor.value = JSON.stringify(edited, null, 2);
  editor.dispatchEvent(new InputEvent('input'));
  return editor;
}

const approveButton = (el: AgentChat) => q<HTMLButtonElement>(el, `[data-tool-call-id="${pendingId()}"] [part~="approve-button"]`)!;
const card = (el: AgentChat) => q(el, `[part~="tool-call"][data-tool-call-id="${pendingId()}"]`)!;

describe('<agent-chat> the person’s path: edit, then approve', () => {
  afterEach(async () => {
    for (const el of document.querySelectorAll('.walkthrough-host')) el.remove();
    localStorage.clear();
    sessionStorage.clear();
    await setViewport({ width: 800, height: 600 });
  });

  it('on a phone, "Use this input" closes the sheet and puts focus on Approve, which nothing covers', async () => {
    const { el, bodies } = await page(390, 844);
    await editFromApprovalBar(el);
    assert(!reachable(approveButton(el)), 'the sheet covers the approval bar while editing (the layout this test is about)');
    q(el, '[data-save]')!.click();
    await waitFor(() => !el.panelOpen, 'the sheet to close');
    await nextFrame();
    const approve = approveButton(el);
    await waitFor(() => deepActiveElement() === approve, 'focus on Approve');
    assert(reachable(approve), 'Approve can be tapped');
    assert(q(el, 'agent-chat-approvals')!.shadowRoot!.querySelector('[data-edited]'), 'the approval says (edited)');
    assertEqual(card(el).querySelector('[part~="edited-badge"]')?.textContent, '(edited)', 'the transcript’s card says (edited)');
    assertMatch(card(el).querySelector('[part~="tool-input"] pre')!.textContent!, /edited-on-the-go\.md/, 'and shows the edited input');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the turn to finish', 15_000);
    const sent = bodies.find((b): b is { approvals: Array<{ input?: unknown }> } => !!(b as { approvals?: unknown }).approvals)!;
    assertEqual(JSON.stringify(sent.approvals[0]!.input), JSON.stringify(edited), 'the edited input was approved');
  });

  it('on a desktop, "Use this input" keeps the panel open beside the conversation and puts focus on Approve', async () => {
    const { el } = await page(1280, 800);
    await editFromApprovalBar(el);
    assert(reachable(approveButton(el)), 'beside the conversation, the panel covers nothing');
    await sendKeys({ press: 'Control+Enter' });
    await waitFor(() => deepActiveElement() === approveButton(el), 'focus on Approve');
    assert(el.panelOpen, 'the panel stays open, showing the diff');
    assert(q(el, '[part~="diff"] [data-diff="add"]'), 'the diff');
    assertMatch(card(el).querySelector('[part~="tool-input"] pre')!.textContent!, /edited-on-the-go\.md/, 'the card shows the edited input');
  });

  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    it(`gives focus back where the user was when the editor or the panel closes (${width}x${height})`, async () => {
      const { el } = await page(width, height);
      const editButton = q<HTMLButtonElement>(el, `[data-tool-call-id="${pendingId()}"] [part~="edit-button"]`)!;
      editButton.focus();
      await sendKeys({ press: 'Enter' });
      const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="editor"]'), 'the editor');
      await waitFor(() => deepActiveElement() === editor, 'focus in the editor');
      const panel = el.shadowRoot!.querySelector('agent-chat-code-panel')!;

      // Cancel: back to the panel's Edit button, not to the page.
      panel.shadowRoot!.querySelector<HTMLButtonElement>('[data-cancel]')!.click();
      await waitFor(() => deepActiveElement() === panel.shadowRoot!.querySelector('[data-edit]'), 'focus on the panel’s Edit after Cancel');

      // Escape closes the panel: focus goes back to the button that opened it, on the approval bar.
      await sendKeys({ press: 'Escape' });
      await waitFor(() => !el.panelOpen, 'the panel to close');
      await waitFor(() => deepActiveElement() === editButton, 'focus back on the approval’s Edit button');
      assertEqual(el.conversation.status, 'awaiting_approval', 'Escape stopped nothing');

      // Opened from a transcript card, closed with ✕: back to that card's button.
      const open = card(el).querySelector<HTMLButtonElement>('[part~="open-panel"]')!;
      open.focus();
      await sendKeys({ press: 'Enter' });
      const close = await waitFor(() => el.shadowRoot!.querySelector('agent-chat-code-panel')?.shadowRoot?.querySelector<HTMLButtonElement>('[data-close]'), 'the panel');
      close.focus();
      await sendKeys({ press: 'Enter' });
      await waitFor(() => !el.panelOpen, 'the panel to close');
      await waitFor(() => deepActiveElement() === open, 'focus back on the card’s button');
    });
  }
});

describe('<agent-chat> status when no session opens', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('.walkthrough-host')) el.remove();
    localStorage.clear();
  });

  it('says "Connecting…", then "Not connected" when the session cannot be opened, never "Ready"', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const fetch: typeof globalThis.fetch = async () => {
      await held;
      return new Response(JSON.stringify({ error: { code: 'server_busy', message: 'Too many sessions on the server.' } }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    };
    const el = document.createElement('agent-chat') as AgentChat;
    el.className = 'walkthrough-host';
    el.style.height = '500px';
    el.client = new ChatClient({ endpoint: '/mock-api', fetch });
    document.body.append(el);
    const status = () => q(el, '[part~="status-bar"]')!;
    await waitFor(() => q(el, '[part~="status-bar"]'), 'the status bar');
    assertEqual(status().dataset.activity, 'connecting', 'connecting');
    assertEqual(status().querySelector('.label')!.textContent, 'Connecting…');
    release();
    await waitFor(() => q(el, '[part~="connect-failed"]'), 'the connect-failed line');
    await el.updateComplete;
    await waitFor(() => status().dataset.activity === 'offline', 'the status to say so');
    assertEqual(status().querySelector('.label')!.textContent, 'Not connected');
  });

  it('keeps "Try again" and "Open my latest conversation" whole and on screen on a phone', async () => {
    await setViewport({ width: 390, height: 844 });
    try {
      const fetch: typeof globalThis.fetch = async () =>
        new Response(JSON.stringify({ error: { code: 'session_limit', message: 'You have too many conversations open.' } }), {
          status: 429,
          headers: { 'content-type': 'application/json' },
        });
      const el = document.createElement('agent-chat') as AgentChat;
      el.className = 'walkthrough-host';
      el.style.cssText = 'position: fixed; inset: 0; height: auto;';
      el.client = new ChatClient({ endpoint: '/mock-api', fetch });
      document.body.append(el);
      await waitFor(() => q(el, '[part~="open-latest"]'), 'the way out');
      await nextFrame();
      for (const part of ['retry', 'open-latest']) {
        const button = q(el, `[part~="${part}"]`)!;
        const b = button.getBoundingClientRect();
        const line = parseFloat(getComputedStyle(button).lineHeight) || 20;
        assert(b.height < line * 1.6 + 16, `${part} on one line (${b.height.toFixed(0)} px high)`);
        assert(b.left >= 0 && b.right <= 390, `${part} on screen (${b.left.toFixed(0)}–${b.right.toFixed(0)})`);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
