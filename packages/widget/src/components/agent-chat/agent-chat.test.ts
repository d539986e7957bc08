import { sendKeys } from '@web/test-runner-commands';
import type { ToolCallPart } from '@agent-chat/core';
import '../../define.js';
import { AgentChat, sessionStorageKey } from '../../index.js';
import type { AgentChatApproveEvent } from '../../events/approve-event.js';
import type { AgentChatTurnCompleteEvent } from '../../events/turn-complete-event.js';
import type { AgentChatErrorEvent } from '../../events/error-event.js';
import { assert, assertEqual, assertMatch, deepActiveElement, deepQuery, deepQueryAll, waitFor } from '../../test-support/assert.js';

/*
 * These tests talk to a real agent-chat server (the demo agent, 3 ms per
 * chunk) that web-test-runner.config.mjs mounts under /api on the test page's origin.
 */

const ENDPOINT = '/api';

/** A view of the element's whole shadow tree (parts are elements with their own shadow roots). */
function shadow(el: AgentChat) {
  return {
    querySelector: <E extends Element = HTMLElement>(selector: string) => deepQuery<E>(el.shadowRoot!, selector),
    querySelectorAll: <E extends Element = HTMLElement>(selector: string) => deepQueryAll<E>(el.shadowRoot!, selector),
    get activeElement() {
      return deepActiveElement();
    },
  };
}

function textarea(el: AgentChat): HTMLTextAreaElement {
  return shadow(el).querySelector<HTMLTextAreaElement>('[part~="input"]')!;
}

function assistantText(el: AgentChat): string {
  return [...shadow(el).querySelectorAll('[part~="assistant-message"] .markdown')]
    .map((node) => node.textContent ?? '')
    .join('\n');
}

function toolCalls(el: AgentChat): ToolCallPart[] {
  return el.conversation.messages.flatMap((m) => m.parts.filter((p): p is ToolCallPart => p.type === 'tool_call'));
}

async function mount(attributes: Record<string, string> = {}): Promise<AgentChat> {
  const el = document.createElement('agent-chat');
  el.setAttribute('endpoint', ENDPOINT);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.style.height = '500px';
  document.body.append(el);
  await waitFor(() => el.conversation.sessionId && !textarea(el)?.disabled, 'the session to be ready');
  return el;
}

async function typeAndSend(el: AgentChat, text: string): Promise<void> {
  textarea(el).focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

function nextEvent<E extends Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as E), { once: true }));
}

describe('<agent-chat> against a real server', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  afterEach(() => {
    for (const el of document.querySelectorAll('agent-chat')) el.remove();
  });

  it('is registered and typed', () => {
    assert(document.createElement('agent-chat') instanceof AgentChat, 'agent-chat is an AgentChat');
  });

  it('runs a whole turn: Enter sends, text streams, thinking folds, tools, approval, completion', async () => {
    const el = await mount();
    const sent: string[] = [];
    el.addEventListener('agent-chat-send', (e) => sent.push(e.detail.text));
    const turnComplete = nextEvent<AgentChatTurnCompleteEvent>(el, 'agent-chat-turn-complete');

    // Every Lit render is one batch of shadow DOM mutations: count them against frames.
    let renders = 0;
    let frames = 0;
    const observer = new MutationObserver(() => renders++);
    observer.observe(el.shadowRoot!.querySelector('agent-chat-messages')!, { subtree: true, childList: true, characterData: true, attributes: true });

    await typeAndSend(el, 'Hello agent');
    assertEqual(sent.join('|'), 'Hello agent', 'send event');
    assertEqual(textarea(el).value, '', 'composer cleared');
    assert(shadow(el).activeElement === textarea(el), 'focus stays on the composer after sending');

    // Sample every frame until approval: the answer must grow over several frames,
    // and the thinking block must be open while it streams, closed after.
    const lengths = new Set<number>();
    let thinkingSeenOpen = false;
    const seen: { heading?: Element } = {};
    await waitFor(() => {
      frames++;
      lengths.add(assistantText(el).length);
      const thinking = shadow(el).querySelector<HTMLDetailsElement>('details[part~="thinking"]');
      if (thinking?.classList.contains('streaming') && thinking.open) thinkingSeenOpen = true;
      // Once a later block exists the heading is complete; from then on its node must stay.
      const heading = shadow(el).querySelector('.markdown h1, .markdown h2');
      if (heading?.nextElementSibling) seen.heading ??= heading;
      return el.conversation.status === 'awaiting_approval';
    }, 'the approval request');
    assert(lengths.size >= 4, `answer grew over only ${lengths.size} frames`);
    observer.disconnect();
    // A few renders happen outside the stream (typing, sending, the stream opening and closing).
    assert(renders <= frames + 6, `${renders} renders in ${frames} frames: not batched per frame`);
    assert(thinkingSeenOpen, 'thinking was open while streaming');
    await waitFor(() => shadow(el).querySelector('button[data-approve]'), 'the approve button');
    const thinking = shadow(el).querySelector<HTMLDetailsElement>('details[part~="thinking"]')!;
    assertEqual(thinking.open, false, 'thinking collapsed when done');

    // Completed markdown blocks keep their DOM nodes while later text streams in.
    assert(seen.heading, 'a heading was rendered');
    assert(seen.heading.isConnected, 'the first heading node was never replaced');
    assert(shadow(el).querySelector('.markdown ul li') && shadow(el).querySelector('.markdown pre code'), 'list and code');

    const byName = new Map(toolCalls(el).map((t) => [t.name, t]));
    for (const name of ['list_files', 'read_file', 'calculate']) assertEqual(byName.get(name)?.state, 'done', name);
    const listCard = shadow(el).querySelector(`[data-tool-call-id="${byName.get('list_files')!.toolCallId}"]`)!;
    assertMatch(listCard.querySelector('[part~="tool-output"] pre')!.textContent!, /numbers\.txt/, 'list_files output');
    const calcCard = shadow(el).querySelector(`[data-tool-call-id="${byName.get('calculate')!.toolCallId}"]`)!;
    assertMatch(calcCard.querySelector('[part~="badge"]')!.textContent!, /Done/, 'badge');

    // Approval: focus moved to Approve, the announcement says why.
    const approveButton = shadow(el).querySelector<HTMLButtonElement>('button[data-approve]')!;
    assert(shadow(el).activeElement === approveButton, 'focus on the first Approve button');
    assertMatch(shadow(el).querySelector('[role="status"]')!.textContent!, /Approval needed: write_file/);
    assertEqual(byName.get('write_file')?.state, 'awaiting_approval', 'write_file waits');

    const approved = nextEvent<AgentChatApproveEvent>(el, 'agent-chat-approve');
    approveButton.click();
    assertEqual((await approved).detail.approvals[0]?.decision, 'approve', 'approve event');
    const complete = await turnComplete;
    assert(complete.detail.turnId.length > 0, 'turn id');
    await waitFor(() => !el.streaming && shadow(el).querySelector('[part~="send-button"]'), 'the turn to end');

    assertEqual(toolCalls(el).find((t) => t.name === 'write_file')?.state, 'done', 'write_file ran');
    assertMatch(assistantText(el), /whole tour/, 'closing paragraph');
    assertEqual(shadow(el).querySelectorAll('[part~="user-message"]').length, 1, 'one user message');
    assertEqual(shadow(el).querySelector('[role="status"]')!.textContent, 'Response complete', 'announced');
    assert(shadow(el).querySelector('[part~="usage"]'), 'usage line');
    assertEqual(shadow(el).querySelector('[part~="transcript"]')!.getAttribute('role'), 'log', 'log role');
  });

  it('Stop interrupts a running turn', async () => {
    const el = await mount();
    await typeAndSend(el, 'Start something long');
    await waitFor(() => assistantText(el).length > 0, 'the answer to start');
    assertEqual(el.conversation.status, 'running', 'running');
    const stop = shadow(el).querySelector<HTMLButtonElement>('[part~="stop-button"]')!;
    assertEqual(stop.getAttribute('aria-label'), 'Stop the response', 'labelled');
    stop.click();
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the turn to stop');
    await el.updateComplete;
    assert(shadow(el).querySelector('[part~="send-button"]'), 'Send is back');
    assertEqual(el.conversation.pendingApprovals.length, 0, 'no approval after stop');
    assert(!/whole tour/.test(assistantText(el)), 'the turn did not finish');
    assertEqual(shadow(el).querySelector('[role="status"]')!.textContent, 'Response stopped', 'announced');

    // Escape stops too.
    await typeAndSend(el, 'Again');
    // Escape in the composer stops once the composer shows the turn running (Stop in place of Send).
    await waitFor(() => el.conversation.status === 'running' && shadow(el).querySelector('[part~="stop-button"]'), 'second turn');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'Escape to stop the turn');
    assertEqual(el.conversation.messages.filter((m) => m.role === 'user').length, 2, 'two turns');
  });

  it('a second element mounted mid-turn shows the conversation once and follows it live', async () => {
    const first = await mount();
    await typeAndSend(first, 'Tell me everything');
    await waitFor(() => assistantText(first).length > 40 && first.conversation.status === 'running', 'streaming');

    const second = await mount();
    assertEqual(second.conversation.sessionId, first.conversation.sessionId, 'same remembered session');
    await waitFor(() => second.conversation.status === 'awaiting_approval', 'the second element to reach approval');
    await waitFor(() => first.conversation.status === 'awaiting_approval', 'the first element to reach approval');
    await waitFor(() => assistantText(second) === assistantText(first), 'both to show the same text');

    const approve = await waitFor(() => shadow(first).querySelector<HTMLButtonElement>('button[data-approve]'), 'approve');
    approve.click();
    await waitFor(() => /whole tour/.test(assistantText(second)) && second.conversation.status === 'idle', 'live continuation');
    await waitFor(() => first.conversation.status === 'idle' && !first.streaming && !second.streaming, 'both done');
    await Promise.all([first.updateComplete, second.updateComplete]);

    assertEqual(assistantText(second), assistantText(first), 'identical transcripts');
    assertEqual(second.conversation.messages.length, first.conversation.messages.length, 'message count');
    assertEqual(shadow(second).querySelectorAll('[part~="user-message"]').length, 1, 'user message once');
    const heading = /Hello from the demo agent/g;
    assertEqual(assistantText(second).match(heading)?.length, 1, 'heading once');
    assertEqual(toolCalls(second).map((t) => `${t.name}:${t.state}`).join(','), toolCalls(first).map((t) => `${t.name}:${t.state}`).join(','), 'same tool calls');
  });

  it('rejecting with feedback settles the call as rejected and ends the turn', async () => {
    const el = await mount();
    await typeAndSend(el, 'Write nothing');
    const input = await waitFor(
      () => shadow(el).querySelector<HTMLInputElement>('[part~="approval"] input'),
      'the feedback field',
    );
    assertEqual(input.getAttribute('aria-label'), 'Feedback for write_file (optional)', 'labelled');
    input.focus();
    await sendKeys({ type: 'not today' });
    const approved = nextEvent<AgentChatApproveEvent>(el, 'agent-chat-approve');
    shadow(el).querySelector<HTMLButtonElement>('button[data-reject]')!.click();
    const { approvals } = (await approved).detail;
    assertEqual(JSON.stringify(approvals.map(({ decision, feedback }) => ({ decision, feedback }))), '[{"decision":"reject","feedback":"not today"}]', 'decision');
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the turn to end');
    await el.updateComplete;
    const write = toolCalls(el).find((t) => t.name === 'write_file')!;
    assertEqual(write.state, 'rejected', 'state');
    assertMatch(shadow(el).querySelector(`[data-tool-call-id="${write.toolCallId}"]`)!.textContent!, /not today/, 'feedback shown');
  });

  it('edits a pending input in the code panel, validated by the server’s schema, and the tool runs with it', async () => {
    const el = await mount();
    await typeAndSend(el, 'Write it my way');
    const edit = await waitFor(() => shadow(el).querySelector<HTMLButtonElement>('[part~="edit-button"]'), 'the Edit button');
    edit.click();
    const editor = await waitFor(() => shadow(el).querySelector<HTMLTextAreaElement>('[part~="editor"]'), 'the editor');
    const original = JSON.parse(editor.value) as { path: string; content: string };
    editor.value = JSON.stringify({ ...original, path: '' });
    editor.dispatchEvent(new InputEvent('input'));
    shadow(el).querySelector<HTMLButtonElement>('[data-save]')!.click();
    const issues = await waitFor(() => shadow(el).querySelector('[part~="validation"]'), 'the schema error');
    assertMatch(issues.textContent!, /\/path must have at least 1 characters/, 'validated against inputSchema');
    editor.value = JSON.stringify({ ...original, content: 'Edited by the user.\n' }, null, 2);
    editor.dispatchEvent(new InputEvent('input'));
    shadow(el).querySelector<HTMLButtonElement>('[data-save]')!.click();
    await waitFor(() => shadow(el).querySelector('[part~="approvals"] [data-edited], agent-chat-approvals [data-edited]') ?? el.shadowRoot!.querySelector('agent-chat-approvals')?.shadowRoot?.querySelector('[data-edited]'), 'the (edited) badge');
    const approved = nextEvent<AgentChatApproveEvent>(el, 'agent-chat-approve');
    shadow(el).querySelector<HTMLButtonElement>('button[data-approve]')!.click();
    assertEqual(JSON.stringify((await approved).detail.approvals[0]!.input), JSON.stringify({ ...original, content: 'Edited by the user.\n' }), 'edit sent');
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the turn to end');
    const write = toolCalls(el).find((t) => t.name === 'write_file')!;
    assertEqual(write.state, 'done', 'ran');
    assertEqual((write.input as { content: string }).content, 'Edited by the user.\n', 'ran with the edit');
    assert(write.originalInput !== undefined, 'the original is kept');
    await el.updateComplete;
    assert(shadow(el).querySelector(`[data-tool-call-id="${write.toolCallId}"] [part~="edited-badge"]`), '(edited) on the card');
  });

  it('sticks to the bottom while streaming, unless the user scrolled up', async () => {
    const el = await mount();
    el.style.height = '340px';
    await typeAndSend(el, 'Scroll test');
    const transcript = shadow(el).querySelector<HTMLElement>('[part~="transcript"]')!;
    const gap = () => transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight;
    await waitFor(() => el.conversation.status === 'running' && transcript.scrollHeight > transcript.clientHeight * 2, 'enough content to scroll');
    await waitFor(() => gap() < 48, 'the view to follow the stream');

    transcript.dispatchEvent(new WheelEvent('wheel', { deltaY: -2000, bubbles: true }));
    transcript.scrollTop = 0;
    const height = transcript.scrollHeight;
    let grew = false;
    let moved = false;
    // Sampled while the turn streams (reaching approval moves focus, and so the view, to Approve).
    await waitFor(() => {
      if (el.conversation.status !== 'running') return true;
      if (transcript.scrollHeight > height + 50) grew = true;
      if (transcript.scrollTop !== 0) moved = true;
      return false;
    }, 'the turn to reach approval');
    assert(grew, 'content grew while scrolled up');
    assert(!moved, 'stayed where the user scrolled');
    await el.stop();
    await waitFor(() => el.conversation.status === 'idle', 'stopped');
  });

  it('reports an unknown explicit session as an error', async () => {
    const el = document.createElement('agent-chat');
    const error = nextEvent<AgentChatErrorEvent>(el, 'agent-chat-error');
    el.setAttribute('session-id', 'no-such-session');
    document.body.append(el);
    const { detail } = await error;
    assertEqual(detail.status, 404, 'status');
    await el.updateComplete;
    assert(shadow(el).querySelector('[part~="error"][role="alert"]'), 'error line');
    assertEqual(localStorage.getItem(sessionStorageKey(ENDPOINT)), null, 'nothing remembered');
  });

  it('Shift+Enter inserts a newline instead of sending', async () => {
    const el = await mount();
    let sends = 0;
    el.addEventListener('agent-chat-send', () => sends++);
    textarea(el).focus();
    await sendKeys({ type: 'line one' });
    await sendKeys({ press: 'Shift+Enter' });
    await sendKeys({ type: 'line two' });
    assertEqual(textarea(el).value, 'line one\nline two', 'textarea value');
    assertEqual(sends, 0, 'nothing sent');
    assertEqual(el.conversation.messages.length, 0, 'no message');
  });

  it('a cancelled agent-chat-send keeps the text and sends nothing', async () => {
    const el = await mount();
    el.addEventListener('agent-chat-send', (e) => e.preventDefault());
    await typeAndSend(el, 'vetoed');
    await new Promise((r) => setTimeout(r, 50));
    assertEqual(textarea(el).value, 'vetoed', 'text kept');
    assertEqual(el.conversation.status, 'idle', 'no turn');
    assertEqual(el.conversation.messages.length, 0, 'no message');
  });

  it('replaces a remembered session the server no longer knows', async () => {
    localStorage.setItem(sessionStorageKey(ENDPOINT), 'gone-session');
    const el = await mount();
    assert(el.conversation.sessionId !== 'gone-session', 'a new session');
    assertEqual(localStorage.getItem(sessionStorageKey(ENDPOINT)), el.conversation.sessionId, 'remembered');
    assert(!shadow(el).querySelector('[part~="error"]'), 'no error shown');
  });

  it('themes: dark attribute, custom properties and replaceable strings', async () => {
    const el = await mount({ theme: 'light' });
    const light = getComputedStyle(el).backgroundColor;
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    const dark = getComputedStyle(el).backgroundColor;
    assert(light !== dark, `dark differs from light (${light})`);
    el.style.setProperty('--agent-chat-background', 'rgb(1, 2, 3)');
    assertEqual(getComputedStyle(el).backgroundColor, 'rgb(1, 2, 3)', 'custom property wins');
    el.strings = { send: 'Envoyer', inputLabel: 'Votre message' };
    await el.updateComplete;
    assertMatch(shadow(el).querySelector('[part~="send-button"]')!.textContent!, /Envoyer/);
    assertEqual(textarea(el).labels?.[0]?.textContent, 'Votre message', 'label');
  });
});
