import type { AgentEvent, ChatMessage } from '@agent-chat/core';
import DOMPurify from 'dompurify';
import '../../define.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, mount, mountChat } from '../../test-support/mount.js';

/*
 * Issue 17: one message's text, however hostile, never breaks another
 * message or the element, never freezes the page, and never loads a remote
 * image by itself.
 */

const answer = (id: string, text: string, state: 'streaming' | 'done' = 'done'): ChatMessage => ({
  id,
  role: 'assistant',
  parts: [{ type: 'text', text, state }],
});

/** Records long tasks (over 50 ms of wall clock) while `run` runs, and after it until the page is idle for 300 ms. */
async function longTasks(run: () => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durations.push(Math.round(entry.duration));
  });
  observer.observe({ type: 'longtask' });
  await run();
  await new Promise((resolve) => setTimeout(resolve, 300));
  observer.disconnect();
  return durations;
}

describe('<agent-chat-messages> limits', () => {
  afterEach(cleanup);

  it('renders deeply nested markdown (the issue\'s inputs) without throwing, and the other messages too', async () => {
    const nested = ['> '.repeat(3000), '- '.repeat(2500) + 'x', '1. '.repeat(2000), '> - '.repeat(1000)];
    const messages = [answer('before', 'The **first** answer.'), ...nested.map((text, i) => answer(`nested-${i}`, text)), answer('after', 'The *last* answer.')];
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onError);
    const el = await mount('agent-chat-messages', { messages }, 'height: 600px');
    window.removeEventListener('error', onError);
    const root = el.shadowRoot!;
    assertEqual(root.querySelectorAll('[data-message-id]').length, messages.length, 'every message rendered');
    assertEqual(root.querySelector('[data-message-id="before"] .markdown strong')?.textContent, 'first', 'the first message');
    assertEqual(root.querySelector('[data-message-id="after"] .markdown em')?.textContent, 'last', 'the last message');
    for (let i = 0; i < nested.length; i++) {
      const markdown = root.querySelector(`[data-message-id="nested-${i}"] .markdown`)!;
      assert(markdown.textContent!.trim().length > 0, `nested ${i} shows its text`);
      let depth = 0;
      for (let node: Element | null = markdown.querySelector(':is(blockquote, ul, ol):not(:has(blockquote, ul, ol))'); node && node !== markdown; node = node.parentElement) {
        if (/^(blockquote|ul|ol)$/.test(node.localName)) depth++;
      }
      assert(depth <= 16, `nested ${i}: ${depth} levels`);
    }
    assertEqual(errors.length, 0, 'errors');
  });

  it('shows a message whose markdown fails as plain text; the others still render', async () => {
    const warn = console.warn;
    console.warn = () => {};
    try {
      const el = await mount(
        'agent-chat-messages',
        {
          messages: [answer('a', 'Fine **one**.'), answer('b', 'Breaks the <b>sanitizer</b> BOOM'), answer('c', 'Fine **three**.')],
          htmlSanitizer: (html) => {
            if (html.includes('BOOM')) throw new Error('boom');
            return html;
          },
        },
        'height: 600px',
      );
      const root = el.shadowRoot!;
      assertEqual(root.querySelector('[data-message-id="a"] .markdown strong')?.textContent, 'one', 'message before');
      assertEqual(root.querySelector('[data-message-id="c"] .markdown strong')?.textContent, 'three', 'message after');
      const broken = root.querySelector('[data-message-id="b"] .markdown')!;
      assert(broken.classList.contains('plain'), 'shown as plain text');
      assertEqual(broken.textContent!.trim(), 'Breaks the <b>sanitizer</b> BOOM', 'its text, as text');
      // It keeps streaming as text, and the element keeps working.
      el.messages = [...el.messages, answer('d', 'More **text**.')];
      await el.updateComplete;
      assertEqual(root.querySelector('[data-message-id="d"] .markdown strong')?.textContent, 'text', 'a later message');
    } finally {
      console.warn = warn;
    }
  });

  it('renders a 200,000-character line, and 40,000 characters of emphasis runs, in tasks of bounded length', async function () {
    this.timeout(60_000);
    const line = Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? '**word** ' : i % 11 === 0 ? '`x` ' : 'words ')).join('').slice(0, 200_000);
    const runs = '_a'.repeat(20_000);
    let el!: HTMLElementTagNameMap['agent-chat-messages'];
    const tasks = await longTasks(async () => {
      el = await mount('agent-chat-messages', { messages: [answer('line', line), answer('runs', runs), answer('after', 'Still **here**.')] }, 'height: 600px');
    });
    const root = el.shadowRoot!;
    const shown = root.querySelector('[data-message-id="line"] .markdown')!.textContent!.replace(/\s+/g, '');
    const expected = line.replace(/\*\*|`|\s+/g, '');
    assertEqual(shown.length, expected.length, 'the whole line is shown, formatted');
    assert(root.querySelector('[data-message-id="runs"] .markdown')!.textContent!.length >= 20_000, 'the runs are shown');
    assertEqual(root.querySelector('[data-message-id="after"] .markdown strong')?.textContent, 'here', 'the message after');
    // Before: one task of 11.5 s for the line. Each slice is about 12 ms of markdown plus one bounded step and the
    // DOM work; the bound is generous for a shared 2-core machine, where a 30 ms task can take 100 ms of wall clock.
    const longest = Math.max(0, ...tasks);
    console.log(`long tasks: ${tasks.length}, longest ${longest} ms`);
    assert(longest < 250, `longest task ${longest} ms (${tasks.join(', ')})`);
  });

  it('streams 12,000 characters of "_a" without long tasks (before: 57 long tasks, 4.3 s)', async function () {
    this.timeout(60_000);
    const text = '_a'.repeat(6000);
    const el = await mount('agent-chat-messages', { messages: [] }, 'height: 600px');
    const tasks = await longTasks(async () => {
      for (let end = 16; end < text.length; end += 16) {
        el.messages = [answer('u', text.slice(0, end), 'streaming')];
        await el.updateComplete;
        // A task per chunk, as network reads arrive (Lit's updates are microtasks: without this the
        // whole loop would be one task of the test's own making).
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      el.messages = [answer('u', text, 'done')];
      await el.updateComplete;
    });
    const longest = Math.max(0, ...tasks);
    console.log(`streaming "_a": long tasks: ${tasks.length}, longest ${longest} ms`);
    assert(longest < 250, `longest task ${longest} ms (${tasks.join(', ')})`);
    assertEqual(el.shadowRoot!.querySelector('.markdown')!.textContent!.replace(/\s/g, ''), text, 'all of it, as text');
  });

  it('streams a long line with work linear in its length', async function () {
    this.timeout(60_000);
    const text = '[`a_'.repeat(10_000);
    const el = await mount('agent-chat-messages', { messages: [] }, 'height: 600px');
    for (let end = 64; end < text.length; end += 64) {
      el.messages = [answer('s', text.slice(0, end), 'streaming')];
      await el.updateComplete;
    }
    el.messages = [answer('s', text, 'done')];
    await el.updateComplete;
    const { stats } = el.markdownRenderers.get('s:0')!;
    // Before: every update re-lexed the whole line (625 updates of up to 40,000 characters: 12.5 million).
    assert(stats.charsLexed < text.length * 8, `lexed ${stats.charsLexed} for ${text.length}`);
    assert(stats.inlineCharsLexed < text.length * 8, `inline-lexed ${stats.inlineCharsLexed} for ${text.length}`);
    assert(el.shadowRoot!.querySelector('.markdown')!.textContent!.replace(/\s/g, '').length >= 29_000, 'rendered');
  });
});

describe('<agent-chat-messages> remote images', () => {
  afterEach(cleanup);

  /** An image URL on another origin of the test server (127.0.0.1 vs localhost), unique to the test. */
  function remoteImage(tag: string): { url: string; host: string; requested: () => boolean } {
    const other = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
    const host = `${other}:${location.port}`;
    const url = `http://${host}/__h1-pixel-${tag}-${Math.random().toString(36).slice(2)}.png?secret=conversation-data`;
    return { url, host, requested: () => performance.getEntriesByType('resource').some((e) => e.name === url) };
  }

  it('does not request a remote image until the user clicks its placeholder, which names the host', async () => {
    const image = remoteImage('click');
    const el = await mount('agent-chat-messages', { messages: [answer('m', `Here: ![a pixel](${image.url} "the title") and ![local](/missing-local.png)`)] });
    const root = el.shadowRoot!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert(!image.requested(), 'the remote image was requested before any click');
    assertEqual(root.querySelector(`img[src="${image.url}"]`), null, 'no <img> with the remote URL');
    assert(root.querySelector('img[src="/missing-local.png"]'), 'a same-origin image loads');
    const button = root.querySelector<HTMLButtonElement>('.markdown button[data-load-image]')!;
    assertEqual(button.textContent, `Load image from ${image.host}`, 'the placeholder names the host');
    assertEqual(button.getAttribute('part'), 'load-image', 'part');
    button.click();
    const img = await waitFor(() => root.querySelector<HTMLImageElement>(`img[src="${image.url}"]`), 'the image after the click');
    assertEqual(img.alt, 'a pixel', 'alt');
    assertEqual(img.title, 'the title', 'title');
    await waitFor(() => image.requested(), 'the request after the click');
    // The user's choice holds when the message renders again.
    el.messages = [answer('m', `Here: ![a pixel](${image.url} "the title") and more`)];
    await el.updateComplete;
    assert(root.querySelector(`img[src="${image.url}"]`), 'still loaded after a re-render');
  });

  it('loads images from allowed hosts (allowed-image-hosts), and from every host with *', async () => {
    const allowed = remoteImage('allowed');
    const el = await mount('agent-chat-messages', {});
    el.setAttribute('allowed-image-hosts', `cdn.example.com, ${allowed.host.split(':')[0]}`);
    el.messages = [answer('m', `![ok](${allowed.url}) ![no](https://other.example/x.png)`)];
    await el.updateComplete;
    assertEqual(el.allowedImageHosts.join(' '), `cdn.example.com ${allowed.host.split(':')[0]}`, 'parsed');
    const root = el.shadowRoot!;
    assert(root.querySelector(`img[src="${allowed.url}"]`), 'the allowed host loads');
    assert(root.querySelector('button[data-load-image="https://other.example/x.png"]'), 'another host waits');
    el.allowedImageHosts = ['*'];
    await el.updateComplete;
    assert(root.querySelector('img[src="https://other.example/x.png"]'), '* loads every host');
  });

  it('holds back <img> in raw HTML too when a sanitizer opts in to raw HTML', async () => {
    const raw = remoteImage('raw');
    const el = await mount('agent-chat-messages', {
      messages: [answer('m', `Raw <img src="${raw.url}" alt="raw alt"> and <b>bold</b>`)],
      htmlSanitizer: (html) => DOMPurify.sanitize(html),
    });
    const root = el.shadowRoot!;
    assertEqual(root.querySelector('.markdown b')?.textContent, 'bold', 'raw HTML kept');
    assertEqual(root.querySelector(`img`), null, 'no <img>');
    const button = root.querySelector<HTMLButtonElement>(`button[data-load-image="${raw.url}"]`)!;
    assertEqual(button.dataset.alt, 'raw alt', 'alt kept for later');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert(!raw.requested(), 'the raw <img> was requested');
    button.click();
    await waitFor(() => raw.requested(), 'the request after the click');
  });

  it('the label is a replaceable string', async () => {
    const el = await mount('agent-chat-messages', {
      messages: [answer('m', '![x](https://other.example/x.png)')],
      strings: { loadImage: 'Bild von {host} laden' },
    });
    assertEqual(el.shadowRoot!.querySelector('button[data-load-image]')?.textContent, 'Bild von other.example laden', 'label');
  });

  it('<agent-chat> holds remote images back too, and passes allowed-image-hosts down', async () => {
    const held = remoteImage('chat');
    const history: AgentEvent[] = [
      { type: 'processing', turnId: 't', assistantMessageId: 'a', userMessage: { id: 'u', text: 'Show me', createdAt: 1_767_225_600_000 } },
      { type: 'assistant_chunk', messageId: 'a', delta: `![chart](${held.url}) ![cdn](https://cdn.example.com/c.png)` },
      { type: 'assistant_stream_end', messageId: 'a' },
      { type: 'turn_complete', turnId: 't', stopReason: 'end_turn' },
    ];
    const chat = await mountChat({ history });
    const markdown = () => chat.shadowRoot!.querySelector('[data-message-id="a"] .markdown');
    await waitFor(() => markdown()?.querySelectorAll('button[data-load-image]').length === 2, 'two placeholders');
    assert(!markdown()!.querySelector('img'), 'no image by default');
    chat.setAttribute('allowed-image-hosts', 'cdn.example.com');
    await waitFor(() => markdown()?.querySelector('img[src="https://cdn.example.com/c.png"]'), 'the allowed host loads');
    assert(markdown()!.querySelector(`button[data-load-image="${held.url}"]`), 'the other still waits');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert(!held.requested(), 'never requested');
  });
});
