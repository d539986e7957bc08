import type { ChatMessage } from '@agent-chat/core';
import '../../define.js';
import { longHistory, longMarkdownTurn, stateOf, tourComplete, tourStreaming, until, tourTurn, rightToLeft } from '../../__fixtures__/scenarios.js';
import { assert, assertEqual, assertMatch, waitFor } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';
import type { AgentChatEditMessageEvent } from '../../events/edit-message-event.js';
import type { AgentChatUndoEvent } from '../../events/undo-event.js';

const messagesOf = (events: Parameters<typeof stateOf>[0]) => stateOf(events).messages;
const next = <E extends Event>(el: EventTarget, type: string) =>
  new Promise<E>((resolve) => el.addEventListener(type, (e) => resolve(e as E), { once: true }));

describe('<agent-chat-messages>', () => {
  afterEach(cleanup);

  it('renders long markdown: headings, lists, tables, images, and code highlighted on demand with a copy button', async () => {
    const el = await mount('agent-chat-messages', { messages: messagesOf(longMarkdownTurn) }, 'height: 600px');
    const root = el.shadowRoot!;
    assert(root.querySelector('.markdown h1') && root.querySelector('.markdown table td') && root.querySelector('.markdown ul ul li'), 'blocks');
    const img = root.querySelector<HTMLImageElement>('.markdown img')!;
    assertEqual(img.alt, 'A chart of throughput', 'image alt');
    assert(img.src.startsWith('data:image/svg+xml'), 'image source kept');
    // highlight.js core and the languages come in by dynamic import.
    await waitFor(() => root.querySelector('.markdown pre code.language-ts.hljs .hljs-keyword'), 'TypeScript highlighting');
    await waitFor(() => root.querySelector('.markdown pre code.language-python.hljs .hljs-string'), 'Python highlighting');
    const copy = root.querySelector<HTMLButtonElement>('.markdown pre [part~="copy-code"]')!;
    assertEqual(copy.getAttribute('aria-label'), 'Copy code', 'labelled');
    let copied = '';
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void (copied = t) } });
    copy.click();
    await waitFor(() => copied, 'the clipboard');
    assertMatch(copied, /^export async function step1\(client: ChatClient\)/, 'copied the code only');
    await waitFor(() => copy.textContent === 'Copied', 'the Copied label');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('highlights many code blocks in idle slices, every one of them, none twice', async () => {
    const blocks = Array.from({ length: 60 }, (_, i) => `\`\`\`js\nconst value${i} = ${i} * 2; // block ${i}\n\`\`\``).join('\n\n');
    const message: ChatMessage = { id: 'm', role: 'assistant', parts: [{ type: 'text', text: `Code:\n\n${blocks}\n\nDone.`, state: 'done' }] };
    const el = await mount('agent-chat-messages', { messages: [message] }, 'height: 600px');
    const root = el.shadowRoot!;
    const codes = () => [...root.querySelectorAll('.markdown pre code.language-js')];
    await waitFor(() => codes().length === 60 && codes().every((c) => c.classList.contains('hljs')), 'all 60 blocks highlighted');
    for (const [i, code] of codes().entries()) {
      assertEqual(code.textContent, `const value${i} = ${i} * 2; // block ${i}\n`, `block ${i} keeps its text`);
      assert(code.querySelector('.hljs-keyword') && !code.querySelector('.hljs .hljs'), `block ${i} highlighted once`);
    }
  });

  it('sanitizes model output: no script, no event handlers, no javascript: links', async () => {
    const text = 'Hi <script>window.hacked = 1</script><img src="data:," onerror="window.hacked = 2"> [link](javascript:alert(1)) <a href="https://ok.example" onclick="x()">ok</a>\n\nend';
    const message: ChatMessage = { id: 'm', role: 'assistant', parts: [{ type: 'text', text, state: 'done' }] };
    const el = await mount('agent-chat-messages', { messages: [message] });
    const md = el.shadowRoot!.querySelector('.markdown')!;
    assert(!md.querySelector('script'), 'no script');
    assert(![...md.querySelectorAll('*')].some((n) => [...n.attributes].some((a) => a.name.startsWith('on'))), 'no handlers');
    assert(![...md.querySelectorAll('a')].some((a) => a.getAttribute('href')?.startsWith('javascript:')), 'no javascript: href');
    assertEqual((window as unknown as { hacked?: number }).hacked, undefined, 'nothing ran');
  });

  it('shows thinking open while it streams and folded when done', async () => {
    const el = await mount('agent-chat-messages', { messages: messagesOf(until(tourTurn, (e) => e.type === 'thinking_end')), running: true });
    const thinking = () => el.shadowRoot!.querySelector<HTMLDetailsElement>('[part~="thinking"]')!;
    assert(thinking().open && thinking().classList.contains('streaming'), 'open while streaming');
    el.messages = messagesOf(tourStreaming);
    await el.updateComplete;
    assertEqual(thinking().open, false, 'folded when done');
    assertEqual(thinking().querySelector('summary')!.textContent, 'Thoughts', 'summary');
  });

  it('offers copy on messages, and edit-and-regenerate and undo on user messages when enabled', async () => {
    const messages = [...messagesOf(tourComplete), ...messagesOf(rightToLeft)];
    const el = await mount('agent-chat-messages', { messages });
    const users = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="user-message"]')];
    assert(users().every((u) => u.querySelector('[data-action="copy"]')), 'copy on user messages');
    assert(el.shadowRoot!.querySelector('[part~="assistant-message"] [data-action="copy"]'), 'copy on answers');
    assert(!el.shadowRoot!.querySelector('[data-action="edit"], [data-action="undo"]'), 'nothing else unless the server offers it');

    el.canEdit = true;
    el.canUndo = true;
    await el.updateComplete;
    assertEqual(users()[0]!.querySelector('[data-action="undo"]'), null, 'undo only on the last user message');
    const undo = next<AgentChatUndoEvent>(el, 'agent-chat-undo');
    users()[1]!.querySelector<HTMLButtonElement>('[data-action="undo"]')!.click();
    assertEqual((await undo).detail.messageId, messages.filter((m) => m.role === 'user')[1]!.id, 'undo event');

    users()[0]!.querySelector<HTMLButtonElement>('[data-action="edit"]')!.click();
    await el.updateComplete;
    const area = users()[0]!.querySelector<HTMLTextAreaElement>('.edit textarea')!;
    assertEqual(area.value, 'What is (17 + 25) * 2? Look around the sandbox too.', 'original text');
    area.value = 'What is 6 * 7?';
    area.dispatchEvent(new InputEvent('input'));
    const edit = next<AgentChatEditMessageEvent>(el, 'agent-chat-edit-message');
    users()[0]!.querySelector<HTMLButtonElement>('[data-action="save-edit"]')!.click();
    const { detail } = await edit;
    assertEqual(`${detail.userMessageIndex}:${detail.text}`, '0:What is 6 * 7?', 'edit event');
    el.running = true;
    await el.updateComplete;
    assert(users().every((u) => u.querySelector<HTMLButtonElement>('[data-action="edit"]')!.disabled), 'disabled while a turn runs');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('sticks to the bottom as content grows, unless scrolled up; then offers "Jump to latest"', async () => {
    const history = (longHistory(30) as { messages: ChatMessage[] }).messages;
    const el = await mount('agent-chat-messages', { messages: history.slice(0, 20) }, 'height: 300px');
    const transcript = el.shadowRoot!.querySelector<HTMLElement>('[part~="transcript"]')!;
    const gap = () => transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight;
    assert(gap() < 48, `at the bottom (${gap()})`);
    el.messages = history.slice(0, 24);
    await el.updateComplete;
    await waitFor(() => gap() < 48, 'the view to follow new messages');
    assert(!el.shadowRoot!.querySelector('[part~="jump-button"]'), 'no jump button at the bottom');

    // The user scrolls up (a wheel turn, then the position).
    transcript.dispatchEvent(new WheelEvent('wheel', { deltaY: -2000, bubbles: true }));
    transcript.scrollTop = 0;
    await waitFor(() => el.shadowRoot!.querySelector('[part~="jump-button"]'), 'the jump button');
    el.messages = history.slice(0, 28);
    await el.updateComplete;
    assertEqual(transcript.scrollTop, 0, 'stayed where the user scrolled');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="jump-button"]')!.click();
    await waitFor(() => gap() < 48, 'the jump to the latest');
    await waitFor(() => !el.shadowRoot!.querySelector('[part~="jump-button"]'), 'the jump button to go');
  });

  it('keeps the DOM bounded with a 1,000-message history', async () => {
    const history = (longHistory(1000) as { messages: ChatMessage[] }).messages;
    const el = await mount('agent-chat-messages', { messages: history, windowSize: 40 }, 'height: 500px');
    assertEqual(el.shadowRoot!.querySelectorAll('[part~="message"]').length, 40, 'only the newest 40 in the DOM');
    const earlier = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="show-earlier"]')!;
    assertEqual(earlier.textContent!.trim(), 'Show 40 earlier messages', 'show earlier');
    earlier.click();
    await el.updateComplete;
    assertEqual(el.shadowRoot!.querySelectorAll('[part~="message"]').length, 80, '40 more');
    // A new turn slides the window instead of growing it.
    el.messages = [...history, { id: 'new', role: 'user', parts: [{ type: 'text', text: 'one more', state: 'done' }] }];
    await el.updateComplete;
    assertEqual(el.shadowRoot!.querySelectorAll('[part~="message"]').length, 80, 'bounded');
    assertEqual(getComputedStyle(el.shadowRoot!.querySelector('[part~="message"]')!).contentVisibility, 'auto', 'content-visibility on older messages');
    const all = el.shadowRoot!.querySelectorAll('[part~="message"]');
    assertEqual(getComputedStyle(all[all.length - 1]!).contentVisibility, 'visible', 'not on the newest');
  });
});
