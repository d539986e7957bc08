import type { AgentEvent, ChatMessage } from '@agent-chat/core';
import DOMPurify from 'dompurify';
import '../../define.js';
import { HOSTILE_MARKDOWN } from '../../markdown/__fixtures__/hostile-markdown.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { cleanup, mount, mountChat } from '../../test-support/mount.js';

/*
 * Model output a hostile or prompt-injected model might write, rendered by the
 * real <agent-chat-messages> in Chromium, whole and streamed prefix by prefix,
 * with no HTML sanitizer: only markdown's own elements and attributes may come
 * out, and only allowed URLs.
 */

/** Elements rendered markdown may contain (code blocks get a copy button and highlight.js spans), with their attributes. */
const ELEMENTS: Record<string, readonly string[]> = {
  p: [], h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], blockquote: [], hr: [], br: [],
  ul: [], ol: ['start'], li: [], input: ['checked', 'disabled', 'type'],
  pre: ['data-enhanced', 'part'], code: ['class'], span: ['class'],
  // The copy button of a code block, or the placeholder of a remote image held back (data-load-image).
  button: ['type', 'class', 'part', 'data-copy-code', 'aria-label', 'data-load-image', 'data-alt', 'title'],
  em: [], strong: [], del: [], a: ['href', 'title'], img: ['src', 'alt', 'title'],
  table: ['tabindex'], thead: [], tbody: [], tr: [], th: ['align'], td: ['align'],
};
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp|avif|svg\+xml);base64,/;

/** What is wrong under `root` (empty when nothing). */
function problems(root: Element): string[] {
  const found: string[] = [];
  for (const el of root.querySelectorAll('*')) {
    const allowed = ELEMENTS[el.localName];
    if (!allowed) found.push(`element <${el.localName}>`);
    for (const { name, value } of el.attributes) {
      if (name.startsWith('on')) found.push(`event handler ${name}="${value}" on <${el.localName}>`);
      else if (name === 'style') found.push(`style="${value}" on <${el.localName}>`);
      else if (allowed && !allowed.includes(name)) found.push(`attribute ${name} on <${el.localName}>`);
    }
    const placeholder = el.localName === 'button' && el.hasAttribute('data-load-image') && !el.hasAttribute('data-copy-code');
    if (placeholder) {
      const url = new URL(el.getAttribute('data-load-image')!, location.href);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') found.push(`held-back image from ${url.href}`);
      if (el.children.length > 0) found.push('markup inside an image placeholder');
    }
    if ((el.localName === 'span' && !el.closest('pre > code')) || (el.localName === 'button' && !placeholder && el.parentElement?.localName !== 'pre')) {
      found.push(`<${el.localName}> outside a code block`);
    }
    if (el instanceof HTMLInputElement && (el.type !== 'checkbox' || !el.disabled)) found.push('an input other than a disabled checkbox');
    if (el instanceof HTMLAnchorElement && el.hasAttribute('href') && !LINK_PROTOCOLS.has(new URL(el.href).protocol)) found.push(`link to ${el.href}`);
    if (el instanceof HTMLImageElement) {
      const protocol = new URL(el.src).protocol;
      if (protocol !== 'http:' && protocol !== 'https:' && !DATA_IMAGE.test(el.src)) found.push(`image from ${el.src}`);
    }
    if (el.shadowRoot) found.push(`a shadow root on <${el.localName}>`);
  }
  return found;
}

const answer = (id: string, text: string, state: 'streaming' | 'done'): ChatMessage => ({
  id,
  role: 'assistant',
  parts: [{ type: 'text', text, state }],
});

const xss = () => (window as unknown as { __xss?: unknown }).__xss;
/** Gives image loads, focus and toggles (what raw HTML handlers would hook) time to fire. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('<agent-chat-messages> with hostile model output', () => {
  afterEach(cleanup);

  it('renders every case whole: markdown elements only, allowed URLs only, raw HTML visible as text, nothing runs', async () => {
    const messages = HOSTILE_MARKDOWN.map((c, i) => answer(`case-${i}`, c.markdown, 'done'));
    const el = await mount('agent-chat-messages', { messages, windowSize: messages.length }, 'height: 600px');
    const root = el.shadowRoot!;
    // Code blocks are highlighted after a dynamic import: check the DOM once highlight.js has written into it.
    await waitFor(() => root.querySelector('.markdown pre code.language-html.hljs .hljs-tag'), 'the HTML fence to be highlighted');
    HOSTILE_MARKDOWN.forEach(({ name, visible = [] }, i) => {
      const markdown = root.querySelector(`[data-message-id="case-${i}"] .markdown`);
      assert(markdown, `${name}: rendered`);
      assertEqual(problems(markdown).join('\n'), '', name);
      for (const text of visible) assert(markdown.textContent!.includes(text), `${name}: ${JSON.stringify(text)} is not visible in ${JSON.stringify(markdown.textContent)}`);
    });
    const fence = root.querySelector('.markdown pre code.language-html')!;
    assert(fence.textContent!.includes(`<img src=x onerror="window.__xss = 'fence'">`), 'highlighted code keeps its text as text');
    await settle();
    assertEqual(xss(), undefined, 'a payload ran');
  });

  it('renders every case streamed character by character, checking the DOM after each', async function () {
    this.timeout(120_000);
    const el = await mount('agent-chat-messages', { messages: [] }, 'height: 600px');
    for (const [i, { name, markdown }] of HOSTILE_MARKDOWN.entries()) {
      for (let end = 1; end <= markdown.length; end++) {
        el.messages = [answer(`stream-${i}`, markdown.slice(0, end), end < markdown.length ? 'streaming' : 'done')];
        await el.updateComplete;
        const found = problems(el.shadowRoot!.querySelector('.markdown')!);
        assertEqual(found.join('\n'), '', `${name}, prefix ${JSON.stringify(markdown.slice(0, end))}`);
      }
    }
    await settle();
    assertEqual(xss(), undefined, 'a payload ran');
  });

  it('renders raw HTML through the host sanitizer when one is set (opt-in), and as text again when it is unset', async () => {
    const text = 'Some <b>bold</b> <img src="x" onerror="window.__xss = \'opt-in\'"> and [a link](javascript:alert(1)).';
    const sanitized: string[] = [];
    const el = await mount('agent-chat-messages', {
      messages: [answer('m', text, 'done')],
      htmlSanitizer: (html) => (sanitized.push(html), DOMPurify.sanitize(html)),
    });
    const markdown = () => el.shadowRoot!.querySelector('.markdown')!;
    assertEqual(markdown().querySelector('b')?.textContent, 'bold', 'raw HTML kept');
    assert(markdown().querySelector('img') && !markdown().querySelector('img')!.hasAttribute('onerror'), 'the sanitizer removed the handler');
    assert(!markdown().querySelector('a'), 'markdown links still go through the allowlist');
    assertEqual(sanitized.length, 1, 'one block through the sanitizer');

    el.htmlSanitizer = undefined;
    await el.updateComplete;
    assertEqual(markdown().querySelector('b, img'), null, 'no raw HTML without the sanitizer');
    assert(markdown().textContent!.includes('Some <b>bold</b> <img src="x"'), 'shown as text');
    await settle();
    assertEqual(xss(), undefined, 'a payload ran');
  });

  it('<agent-chat> hands its htmlSanitizer to the transcript', async () => {
    const history: AgentEvent[] = [
      { type: 'processing', turnId: 't', assistantMessageId: 'a', userMessage: { id: 'u', text: 'Say hi', createdAt: 1_767_225_600_000 } },
      { type: 'assistant_chunk', messageId: 'a', delta: 'Some <b>bold</b> <img src=x onerror="window.__xss = \'chat\'">' },
      { type: 'assistant_stream_end', messageId: 'a' },
      { type: 'turn_complete', turnId: 't', stopReason: 'end_turn' },
    ];
    const chat = await mountChat({ history });
    const markdown = () => chat.shadowRoot!.querySelector('[data-message-id="a"] .markdown');
    await waitFor(() => markdown()?.textContent!.includes('Some <b>bold</b> <img src=x'), 'raw HTML shown as text');
    assertEqual(markdown()!.querySelector('b, img'), null, 'no raw HTML by default');
    chat.htmlSanitizer = (html) => DOMPurify.sanitize(html);
    await waitFor(() => markdown()?.querySelector('b'), 'raw HTML through the sanitizer');
    assert(!markdown()!.querySelector('img')!.hasAttribute('onerror'), 'sanitized');
    await settle();
    assertEqual(xss(), undefined, 'a payload ran');
  });
});
