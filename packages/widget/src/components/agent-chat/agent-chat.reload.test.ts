import '../../define.js';
import type { AgentChat } from '../../index.js';
import type { AgentChatApproveEvent } from '../../events/approve-event.js';
import { assert, assertEqual, assertMatch, deepQuery, deepQueryAll, waitFor } from '../../test-support/assert.js';

/*
 * Real page reloads: <agent-chat> in an iframe (test-support/reload-page.html)
 * against the demo server under /api, the frame reloaded with location.reload().
 * The frame shares this page's origin, so its localStorage and sessionStorage too.
 */

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const qa = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQueryAll<E>(el.shadowRoot!, selector);

let frame: HTMLIFrameElement | undefined;

/** Loads (or reloads) the page in the frame and resolves with its ready <agent-chat>. */
async function load(reload = false): Promise<AgentChat> {
  if (!frame) {
    frame = document.createElement('iframe');
    frame.style.cssText = 'width: 800px; height: 560px; border: 0';
    document.body.append(frame);
  }
  const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, { once: true }));
  if (reload) frame.contentWindow!.location.reload();
  else frame.src = '/packages/widget/src/test-support/reload-page.html';
  await loaded;
  const el = await waitFor(() => frame!.contentDocument?.querySelector('agent-chat') as AgentChat | null, 'the element');
  await waitFor(() => el.conversation?.sessionId && q<HTMLTextAreaElement>(el, '[part~="input"]')?.disabled === false, 'the session');
  return el;
}

const approvals = (el: AgentChat) => q(el, 'agent-chat-approvals')?.shadowRoot ?? null;

describe('<agent-chat> across a real reload', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => {
    frame?.remove();
    frame = undefined;
  });

  it('keeps an edited tool input, marked (edited), and approves the edit', async () => {
    let el = await load();
    void el.send('Write it my way');
    await waitFor(() => el.conversation.status === 'awaiting_approval' && approvals(el)?.querySelector('button[data-edit]'), 'the approval');
    approvals(el)!.querySelector<HTMLButtonElement>('button[data-edit]')!.click();
    const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="editor"]'), 'the editor');
    const original = JSON.parse(editor.value) as { path: string; content: string };
    editor.value = JSON.stringify({ ...original, path: 'notes/edited.md' });
    editor.dispatchEvent(new InputEvent('input'));
    q<HTMLButtonElement>(el, '[data-save]')!.click();
    await waitFor(() => approvals(el)?.querySelector('[data-edited]'), 'the (edited) badge');

    el = await load(true);
    await waitFor(() => el.conversation.status === 'awaiting_approval' && approvals(el)?.querySelector('button[data-approve]'), 'the approval after the reload');
    const row = approvals(el)!.querySelector('[part~="approval"]')!;
    assert(row.querySelector('[data-edited]'), 'still marked (edited) after the reload');
    assertMatch(row.textContent!, /notes\/edited\.md/, 'the edited path in the bar');

    const approved = new Promise<AgentChatApproveEvent>((resolve) => el.addEventListener('agent-chat-approve', (e) => resolve(e), { once: true }));
    approvals(el)!.querySelector<HTMLButtonElement>('button[data-approve]')!.click();
    assertEqual((((await approved).detail.approvals[0]!.input) as { path: string }).path, 'notes/edited.md', 'the edit is sent');
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the end of the turn');
    const write = el.conversation.messages.flatMap((m) => m.parts).find((p) => p.type === 'tool_call' && p.name === 'write_file');
    assertEqual(write?.type === 'tool_call' ? (write.input as { path: string }).path : undefined, 'notes/edited.md', 'the tool ran with the edit');
    assertEqual(Object.keys(sessionStorage).filter((k) => k.startsWith('agent-chat')).length, 0, 'nothing left in sessionStorage once sent');
  });

  it('after a reload with an approval waiting, the transcript shows its end above the approval bar', async () => {
    let el = await load();
    void el.send('Show me the tour');
    await waitFor(() => el.conversation.status === 'awaiting_approval' && approvals(el)?.querySelector('button[data-approve]'), 'the approval');
    el = await load(true);
    await waitFor(() => approvals(el)?.querySelector('button[data-approve]'), 'the approval bar after the reload');
    const transcript = q(el, '[part~="transcript"]')!;
    const card = await waitFor(() => qa(el, '[part~="tool-call"][data-state="awaiting_approval"]').at(-1), 'the pending card');
    // Give late growth (the lazily loaded bar, highlighted code) a few frames.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    const settle = async () => {
      for (let i = 0; i < 10; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    };
    const atEnd = (when: string) => {
      const gap = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight;
      assert(gap < 2, `${when}: the transcript is ${gap}px short of its end`);
      const input = card.querySelector('[part~="tool-input"]') ?? card;
      assert(input.getBoundingClientRect().bottom <= transcript.getBoundingClientRect().bottom + 1, `${when}: the pending card’s input is hidden`);
    };
    atEnd('after the reload');
    // The same whenever the transcript's own box shrinks under it (the bar arriving late, a smaller window, a taller composer).
    frame!.style.height = '420px';
    await settle();
    atEnd('after the frame shrank');
    const composer = q<HTMLTextAreaElement>(el, '[part~="input"]')!;
    composer.value = 'one\ntwo\nthree\nfour\nfive';
    composer.dispatchEvent(new InputEvent('input'));
    await settle();
    atEnd('after the composer grew');
  });

  it('a stopped answer keeps its “Stopped” mark after a reload (the server’s history has it)', async () => {
    let el = await load();
    void el.send('Start something long');
    await waitFor(() => el.conversation.messages.at(-1)?.parts.some((p) => p.type === 'text' && p.text.length > 20), 'the answer to stream');
    await el.stop();
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the stop');
    const mark = await waitFor(() => qa(el, '[part~="assistant-message"]').at(-1)?.querySelector('[part~="stopped-mark"]'), 'the mark');
    assertEqual(mark.textContent!.trim(), 'Stopped', 'the mark');
    el = await load(true);
    await waitFor(() => el.conversation.messages.length === 2, 'the history');
    assertEqual(el.conversation.messages[1]!.interrupted, true, 'the history says it was stopped');
    await waitFor(() => qa(el, '[part~="assistant-message"]').at(-1)?.querySelector('[part~="stopped-mark"]'), 'the mark after the reload');
  });
});
