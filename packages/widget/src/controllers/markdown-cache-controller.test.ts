import { LitElement, html } from 'lit';
import { assert, assertEqual, waitFor } from '../test-support/assert.js';
import type { HtmlSanitizer } from '../markdown/streaming-markdown.js';
import { MarkdownCacheController } from './markdown-cache-controller.js';

interface Part {
  key: string;
  text: string;
  done: boolean;
}

class MarkdownHost extends LitElement {
  static override properties = { parts: { attribute: false } };
  declare parts: Part[];
  sanitize: HtmlSanitizer | undefined;
  readonly markdown = new MarkdownCacheController(
    this,
    () => ({ sanitize: this.sanitize }),
    () => ({ copyCode: 'Copy code', copied: 'Copied' }),
  );

  constructor() {
    super();
    this.parts = [];
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.markdown.pending && this.isConnected) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      result = await super.getUpdateComplete();
    }
    return result;
  }

  protected override render() {
    return html`${this.parts.map((p) => this.markdown.render(p.key, p.text, p.done))}`;
  }
}
customElements.define('markdown-cache-host', MarkdownHost);

async function mountHost(parts: Part[]): Promise<MarkdownHost> {
  const el = document.createElement('markdown-cache-host') as MarkdownHost;
  el.parts = parts;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('MarkdownCacheController', () => {
  afterEach(() => document.querySelectorAll('markdown-cache-host').forEach((el) => el.remove()));

  it('keeps one renderer per part across renders: a completed block is rendered once and its DOM kept', async () => {
    const el = await mountHost([{ key: 'm1:0', text: '# Title\n\nFirst', done: false }]);
    const renderer = el.markdown.renderers.get('m1:0');
    assert(renderer, 'a renderer for the part');
    const heading = el.shadowRoot!.querySelector('h1');
    assertEqual(heading?.textContent, 'Title', 'rendered');
    for (const text of ['# Title\n\nFirst para', '# Title\n\nFirst paragraph.\n\n- a', '# Title\n\nFirst paragraph.\n\n- a\n- b']) {
      el.parts = [{ key: 'm1:0', text, done: false }];
      await el.updateComplete;
    }
    assertEqual(el.markdown.renderers.get('m1:0'), renderer, 'the same renderer');
    assertEqual(el.shadowRoot!.querySelector('h1'), heading, 'the completed heading’s node is kept');
    assertEqual(el.shadowRoot!.querySelectorAll('li').length, 2, 'the open block follows the text');
  });

  it('spreads a long answer over several tasks, then finishes it; completed code gets its copy button', async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `Paragraph ${i} with *emphasis* and \`code\`.`).join('\n\n');
    const el = document.createElement('markdown-cache-host') as MarkdownHost;
    el.parts = [
      { key: 'a:0', text: long, done: true },
      { key: 'b:0', text: 'Code:\n\n```js\nconst x = 1;\n```', done: true },
    ];
    document.body.append(el);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    assert(el.markdown.pending || el.shadowRoot!.querySelectorAll('p').length < 3000, 'not all in the first task');
    await el.updateComplete;
    assertEqual(el.markdown.pending, false, 'finished');
    assertEqual(el.shadowRoot!.querySelectorAll('[data-key="a:0"] p').length, 3000, 'every paragraph');
    await waitFor(() => el.shadowRoot!.querySelector('[data-key="b:0"] pre [part~="copy-code"]'), 'the copy button of the finished code block');
  });

  it('a part whose markdown throws shows as plain text; the others render', async () => {
    const el = document.createElement('markdown-cache-host') as MarkdownHost;
    el.sanitize = (h) => {
      if (h.includes('boom')) throw new Error('sanitizer failed');
      return h;
    };
    el.parts = [
      { key: 'a:0', text: 'Say **boom**', done: true },
      { key: 'b:0', text: 'Say **hello**', done: true },
    ];
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      document.body.append(el);
      await el.updateComplete;
    } finally {
      console.warn = warn;
    }
    assertEqual(el.shadowRoot!.querySelector('[data-key="a:0"]')!.className, 'markdown plain', 'plain text');
    assertEqual(el.shadowRoot!.querySelector('[data-key="a:0"]')!.textContent, 'Say **boom**', 'as written');
    assertEqual(el.shadowRoot!.querySelector('[data-key="b:0"] strong')?.textContent, 'hello', 'the other part renders');
    assertEqual(warnings.length, 1, 'warned once');
  });

  it('prune drops the renderers of parts no longer in the conversation once there are many; clear drops all', async () => {
    const parts = Array.from({ length: 30 }, (_, i) => ({ key: `m${i}:0`, text: `Message ${i}`, done: true }));
    const el = await mountHost(parts);
    assertEqual(el.markdown.renderers.size, 30, 'one per part');
    el.markdown.prune([{ id: 'm0', role: 'assistant', parts: [] }, { id: 'm1', role: 'assistant', parts: [] }]);
    assertEqual([...el.markdown.renderers.keys()].join(','), 'm0:0,m1:0', 'only the parts still there');
    el.markdown.clear();
    assertEqual(el.markdown.renderers.size, 0, 'cleared');
  });
});
