import { sendKeys } from '@web/test-runner-commands';
import '../../define.js';
import type { AgentChat } from '../../index.js';
import { tourComplete, tourTurn } from '../../__fixtures__/scenarios.js';
import { mountChat } from '../../test-support/mount.js';
import { assert, assertEqual, deepActiveElement, deepQuery, deepQueryAll, waitFor } from '../../test-support/assert.js';

/*
 * The keyboard map of <agent-chat> against the real demo server (/api):
 * Escape leaves or closes what has focus and stops a turn only from the
 * composer, the composer is focused on load, and a shortcut reaches it.
 */

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const qa = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQueryAll<E>(el.shadowRoot!, selector);
const textarea = (el: AgentChat) => q<HTMLTextAreaElement>(el, '[part~="input"]')!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mount(attributes: Record<string, string> = {}): Promise<AgentChat> {
  const el = document.createElement('agent-chat');
  el.setAttribute('endpoint', '/api');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.style.height = '560px';
  el.style.display = 'flex';
  document.body.append(el);
  await waitFor(() => el.conversation.sessionId && !textarea(el)?.disabled, 'the session to be ready');
  return el;
}

async function send(el: AgentChat, text: string): Promise<void> {
  textarea(el).focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

/** Counts the element's calls of stop() (Escape used to call it from anywhere), still stopping for real. */
function countStops(el: AgentChat): { readonly count: number } {
  const counter = { count: 0 };
  const real = el.stop.bind(el);
  el.stop = () => {
    counter.count++;
    return real();
  };
  return counter;
}

describe('<agent-chat> keyboard', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('agent-chat')) el.remove();
  });

  it('Escape while an approval waits never interrupts: from the feedback field, the bar, the transcript, a tool card, the panel, the editor, the composer', async () => {
    const el = await mount();
    await send(el, 'Write it my way');
    await waitFor(() => el.conversation.status === 'awaiting_approval' && q(el, 'button[data-approve]'), 'the approval');
    const stops = countStops(el);

    const escapeFrom = async (target: HTMLElement | null, place: string) => {
      assert(target, `${place} exists`);
      target.focus();
      assertEqual(deepActiveElement(), target as Element, `${place} has focus`);
      await sendKeys({ press: 'Escape' });
      await sleep(50);
      assertEqual(stops.count, 0, `Escape from ${place} stopped the turn`);
      assertEqual(el.conversation.status, 'awaiting_approval', `still awaiting approval after Escape from ${place}`);
    };

    // The feedback field keeps what was typed and gives up focus.
    const feedback = q<HTMLInputElement>(el, '[part~="feedback"]')!;
    feedback.focus();
    await sendKeys({ type: 'not that file' });
    await escapeFrom(feedback, 'the feedback field');
    assertEqual(feedback.value, 'not that file', 'the feedback is kept');
    assert(deepActiveElement() !== feedback, 'Escape leaves the feedback field');

    await escapeFrom(q(el, 'button[data-reject]'), 'Reject');
    await escapeFrom(q(el, 'button[data-approve]'), 'Approve');
    await escapeFrom(q(el, '[part~="transcript"]'), 'the transcript');
    const openPanel = qa<HTMLButtonElement>(el, '[part~="open-panel"]').at(-1)!;
    await escapeFrom(openPanel, 'a tool card’s open-in-panel button');
    await escapeFrom(qa(el, '[part~="tool-header"]').at(-1)!, 'a tool card header');

    // The panel: Escape from inside it closes it, and nothing else.
    openPanel.click();
    const pin = await waitFor(() => q(el, 'agent-chat-code-panel')?.shadowRoot?.querySelector<HTMLButtonElement>('[data-pin]'), 'the panel');
    await escapeFrom(openPanel, 'the open-in-panel button with the panel open');
    assert(el.panelOpen, 'Escape outside the panel leaves it open');
    await escapeFrom(pin, 'the panel’s Pin button');
    await waitFor(() => !el.panelOpen, 'Escape in the panel to close it');

    // The editor: an edited draft survives Escape; an untouched one closes.
    q<HTMLButtonElement>(el, 'button[data-edit]')!.click();
    const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="editor"]'), 'the editor');
    await waitFor(() => deepActiveElement() === editor, 'the editor focused');
    await sendKeys({ press: 'End' });
    await sendKeys({ type: ' ' });
    const draft = editor.value;
    await escapeFrom(editor, 'the input editor with a changed draft');
    assert(editor.isConnected && editor.value === draft, 'the changed draft is kept');
    editor.focus();
    await sendKeys({ press: 'Backspace' });
    await escapeFrom(editor, 'the input editor back to its first text');
    await waitFor(() => !q(el, '[part~="editor"]'), 'an untouched editor to close');

    // The composer, with an approval waiting: the approval is the thing open.
    await escapeFrom(textarea(el), 'the composer while an approval waits');
    await sleep(300);
    assertEqual(el.conversation.pendingApprovals.length, 1, 'the approval is still there');
    const write = el.conversation.messages.flatMap((m) => m.parts).find((p) => p.type === 'tool_call' && p.name === 'write_file');
    assertEqual(write?.type === 'tool_call' ? write.state : undefined, 'awaiting_approval', 'the tool still waits');
  });

  it('Escape while streaming stops only from the composer', async () => {
    const el = await mount();
    // Escape anywhere but the composer while the demo turn streams: counted, never stopping.
    const stops = { count: 0 };
    el.stop = () => {
      stops.count++;
      return Promise.resolve();
    };
    await send(el, 'Tell me everything');
    await waitFor(() => el.conversation.status === 'running' && qa(el, '[part~="open-panel"]').length > 0, 'a tool card while running');
    for (const [place, target] of [
      ['the transcript', q(el, '[part~="transcript"]')],
      ['a tool card', qa(el, '[part~="open-panel"]').at(-1)],
      ['the Stop button', q(el, '[part~="stop-button"]')],
    ] as const) {
      target!.focus();
      await sendKeys({ press: 'Escape' });
      assertEqual(stops.count, 0, `Escape from ${place} stopped the turn`);
    }
    // The code panel opened while the turn runs: Escape closes it, nothing more.
    qa<HTMLButtonElement>(el, '[part~="open-panel"]').at(-1)!.click();
    const close = await waitFor(() => q(el, 'agent-chat-code-panel')?.shadowRoot?.querySelector<HTMLButtonElement>('[data-close]'), 'the panel');
    close.focus();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !el.panelOpen, 'Escape to close the panel');
    assertEqual(stops.count, 0, 'Escape from the panel stopped the turn');
    await waitFor(() => el.conversation.status === 'awaiting_approval' && q(el, 'button[data-approve]'), 'the approval');
    q<HTMLButtonElement>(el, 'button[data-approve]')!.click();
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the end of the turn');

    delete (el as { stop?: unknown }).stop;
    await send(el, 'Again');
    await waitFor(() => el.conversation.status === 'running' && q(el, '[part~="stop-button"]'), 'the second turn, shown');
    assertEqual(deepActiveElement(), textarea(el) as Element, 'the composer has focus');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'Escape in the composer to stop the turn');
  });

  it('focuses the composer on load when nothing else has focus and it is in view; focus-on-load="never" and a focused page field are left alone', async () => {
    (document.activeElement as HTMLElement | null)?.blur();
    const el = await mount();
    await waitFor(() => deepActiveElement() === textarea(el), 'the composer to be focused on load');
    el.remove();

    (document.activeElement as HTMLElement | null)?.blur();
    const never = await mount({ 'focus-on-load': 'never' });
    await sleep(200);
    assert(deepActiveElement() !== textarea(never), 'focus-on-load="never" leaves focus alone');
    never.remove();

    const search = document.createElement('input');
    search.setAttribute('aria-label', 'Search the page');
    document.body.append(search);
    search.focus();
    try {
      await mount();
      await sleep(200);
      assertEqual(document.activeElement, search as Element, 'a field the page focused keeps focus');
    } finally {
      search.remove();
    }
  });

  it('the first Tab reaches a skip link to the composer; "/" jumps there from anywhere but a field', async () => {
    const el = await mount({ 'focus-on-load': 'never' });
    await send(el, 'Hello');
    await waitFor(() => el.conversation.status === 'awaiting_approval' && q(el, 'button[data-approve]'), 'the approval');
    q<HTMLButtonElement>(el, 'button[data-approve]')!.click();
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming && q(el, '[data-action="copy"]'), 'the end of the turn');

    // From the top of the element, the first Tab.
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    const skip = deepActiveElement() as HTMLElement;
    assertEqual(skip.getAttribute('part'), 'skip-link', 'the first stop in the element is the skip link');
    assert(skip.getBoundingClientRect().width > 20 && getComputedStyle(skip).opacity !== '0', 'it shows when focused');
    await sendKeys({ press: 'Enter' });
    assertEqual(deepActiveElement(), textarea(el) as Element, 'Enter on it focuses the composer');
    before.remove();

    // "/" from a message action, a tool card, the transcript.
    for (const [place, target] of [
      ['a message action', q(el, '[data-action="copy"]')],
      ['a tool card', qa(el, '[part~="open-panel"]').at(-1)],
      ['the transcript', q(el, '[part~="transcript"]')],
    ] as const) {
      target!.focus();
      await sendKeys({ press: '/' });
      assertEqual(deepActiveElement(), textarea(el) as Element, `"/" from ${place} focuses the composer`);
      assertEqual(textarea(el).value, '', 'and types nothing');
    }
    // In a field "/" is a character.
    await sendKeys({ type: 'a/b' });
    assertEqual(textarea(el).value, 'a/b', '"/" types in the composer');
  });

  it('Escape in the message editor closes it only while the draft is untouched', async () => {
    const el = await mountChat({ history: tourComplete });
    try {
      const edit = await waitFor(() => q<HTMLButtonElement>(el, '[data-action="edit"]'), 'Edit on the user message');
      edit.click();
      const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '.edit textarea'), 'the message editor');
      await waitFor(() => deepActiveElement() === editor, 'the editor focused');
      await sendKeys({ type: ' and more' });
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      assert(editor.isConnected && /and more$/.test(editor.value), 'a changed draft stays open');
      for (let i = 0; i < ' and more'.length; i++) await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Escape' });
      await waitFor(() => !q(el, '.edit textarea'), 'the untouched editor to close');
    } finally {
      el.remove();
    }
  });

  it('Escape from the sessions sidebar, the skip link or a message action never stops a turn waiting for approval', async () => {
    const el = await mountChat({ history: tourTurn });
    const sidebar = document.createElement('agent-chat-sessions');
    sidebar.client = el.client;
    sidebar.setAttribute('for', 'keyboard-chat');
    el.id = 'keyboard-chat';
    document.body.prepend(sidebar);
    try {
      await waitFor(() => el.conversation.status === 'awaiting_approval' && q(el, 'button[data-approve]'), 'the approval');
      await waitFor(() => sidebar.sessions.length > 0, 'the list');
      await sidebar.updateComplete;
      let stops = 0;
      el.stop = () => {
        stops++;
        return Promise.resolve();
      };
      const places: Array<[string, HTMLElement | null | undefined]> = [
        ['the sidebar’s New chat', sidebar.shadowRoot!.querySelector<HTMLElement>('[part~="new-session"]')],
        ['a sidebar row', sidebar.shadowRoot!.querySelector<HTMLElement>('.pick')],
        ['the skip link', q<HTMLElement>(el, '[part~="skip-link"]')],
        ['a tool card header', qa(el, '[part~="tool-header"]')[0]],
        ['the composer', textarea(el)],
      ];
      for (const [place, target] of places) {
        assert(target, `${place} exists`);
        target.focus();
        await sendKeys({ press: 'Escape' });
        assertEqual(stops, 0, `Escape from ${place} stopped the turn`);
      }
      assertEqual(el.conversation.status, 'awaiting_approval', 'still waiting');
    } finally {
      sidebar.remove();
      el.remove();
    }
  });
});
