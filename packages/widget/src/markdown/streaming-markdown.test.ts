import { Marked } from 'marked';
import DOMPurify from 'dompurify';
import { StreamingMarkdown } from './streaming-markdown.js';
import { assert, assertEqual, assertMatch } from '../test-support/assert.js';

const DOC = [
  '# Release notes',
  '',
  'Some **bold** text and `code`, then a [link](https://example.com).',
  '',
  '- first item',
  '- second item',
  '  continued lazily',
  '',
  '```ts',
  'const a = 1;',
  '',
  'const b = 2;',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  'Setext title',
  '------------',
  '',
  '> quoted',
  '',
  'Last paragraph.',
].join('\n');

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = size; i < text.length + size; i += size) out.push(text.slice(0, i));
  return out;
}

/** Stock marked on the whole text: the safe renderer differs from it only on raw HTML and refused URLs, which DOC has none of. */
function wholeHtml(text: string): string {
  return new Marked({ gfm: true }).parse(text) as string;
}

function normalize(html: string): string {
  return html.replace(/\s+/g, ' ').replace(/> </g, '><').trim();
}

describe('StreamingMarkdown', () => {
  it('renders streamed text exactly as the whole text at once', () => {
    for (const size of [1, 3, 17]) {
      const renderer = new StreamingMarkdown();
      for (const prefix of chunks(DOC, size)) renderer.update(prefix);
      const html = renderer.blocks.map((b) => b.html).join('');
      assertEqual(normalize(html), normalize(wholeHtml(DOC)), `chunk size ${size}`);
    }
  });

  it('never re-renders a completed block: same objects, one render per update', () => {
    const renderer = new StreamingMarkdown();
    const seen = new Map<number, object>();
    let rendered = 0;
    for (const prefix of chunks(DOC, 2)) {
      const before = renderer.blocks.filter((b) => b.complete).length;
      const blocks = renderer.update(prefix);
      const completed = blocks.filter((b) => b.complete);
      // Only the open block and blocks completed by this update are rendered.
      assert(renderer.stats.blocksRendered - rendered <= 1 + completed.length - before, 'rendered too much');
      rendered = renderer.stats.blocksRendered;
      for (const block of completed) {
        const previous = seen.get(block.key);
        if (previous) assert(previous === block, `completed block ${block.key} was replaced`);
        seen.set(block.key, block);
      }
    }
    assertEqual(renderer.stats.resets, 0, 'resets');
    assert(seen.size >= 7, `expected the document's blocks to complete, got ${seen.size}`);
  });

  it('keeps a growing block under one key until it completes', () => {
    const renderer = new StreamingMarkdown();
    const first = renderer.update('Hello')[0]!;
    const grown = renderer.update('Hello world')[0]!;
    assertEqual(grown.key, first.key, 'key while open');
    assertEqual(grown.complete, false, 'still open');
    const [done, next] = renderer.update('Hello world\n\nNext');
    assertEqual(done!.key, first.key, 'key once complete');
    assertEqual(done!.complete, true, 'complete');
    assertEqual(next!.complete, false, 'next block open');
    assertMatch(done!.html, /<p>Hello world<\/p>/);
  });

  it('keeps an unclosed code fence with blank lines as one open block', () => {
    const renderer = new StreamingMarkdown();
    const blocks = renderer.update('```js\nlet a;\n\n\nlet b;');
    assertEqual(blocks.length, 1, 'one block');
    assertEqual(blocks[0]!.complete, false, 'open');
    assertMatch(blocks[0]!.html, /let a;\n\n\nlet b;/, 'code kept verbatim');
  });

  it('does work linear in the text length', () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
    const text = Array.from({ length: 300 }, (_, i) => `${paragraph}${i}\n\n`).join('');
    const renderer = new StreamingMarkdown();
    let naive = 0;
    for (const prefix of chunks(text, 4)) {
      renderer.update(prefix);
      naive += prefix.length;
    }
    // Re-lexing only the open block costs about (block length / chunk size) per character.
    assert(renderer.stats.charsLexed < text.length * 20, `lexed ${renderer.stats.charsLexed} chars`);
    assert(renderer.stats.charsLexed * 100 < naive, 'not quadratic');
    assertEqual(renderer.blocks.length, 300, 'blocks');
  });

  it('is safe without a sanitizer: raw HTML shows as text, javascript: links become text', () => {
    const renderer = new StreamingMarkdown();
    const blocks = renderer.update(
      'Hi <script>window.__pwned = 1</script>\n\n<img src="x" onerror="window.__pwned = 1">\n\n[x](javascript:alert(1))\n\nend',
    );
    const template = document.createElement('template');
    template.innerHTML = blocks.map((b) => b.html).join('');
    const elements = [...template.content.querySelectorAll('*')].map((e) => e.localName);
    assertEqual(elements.join(','), 'p,p,p,p', 'only paragraphs');
    assertMatch(template.content.textContent!, /Hi <script>window.__pwned = 1<\/script>/, 'the script shown as text');
    assertMatch(template.content.textContent!, /<img src="x" onerror="window.__pwned = 1">/, 'the image shown as text');
    assertMatch(template.content.textContent!, /^x$/m, 'the link as its text');
  });

  it('with a sanitizer, keeps raw HTML and inserts what the sanitizer returns', () => {
    const given: string[] = [];
    const renderer = new StreamingMarkdown({ sanitize: (html) => (given.push(html), DOMPurify.sanitize(html)) });
    const blocks = renderer.update('Some <b>bold</b> <img src="x" onerror="window.__pwned = 1"> [x](javascript:alert(1))\n\nend');
    assertEqual(given[0], '<p>Some <b>bold</b> <img src="x" onerror="window.__pwned = 1"> x</p>\n', 'raw HTML reaches the sanitizer');
    assertEqual(blocks[0]!.html, '<p>Some <b>bold</b> <img src="x"> x</p>\n', 'its output is used');
  });

  it('starts over when the text is replaced rather than extended', () => {
    const renderer = new StreamingMarkdown();
    renderer.update('# One\n\nTwo');
    const blocks = renderer.update('Different\n\ntext');
    assertEqual(renderer.stats.resets, 1, 'resets');
    assertEqual(blocks.map((b) => b.html).join(''), '<p>Different</p>\n<p>text</p>\n', 'html');
  });
});
