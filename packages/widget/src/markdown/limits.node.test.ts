import { describe, expect, it, vi } from 'vitest';
import { Marked } from 'marked';
import { StreamingMarkdown } from './streaming-markdown.js';

/*
 * The markdown renderer's bounds (issue 17): nesting depth, work per block
 * and per update, linear cost of streaming, whatever the model writes.
 * Timing bounds are generous (a loaded 2-core machine); linearity is checked
 * with the renderer's own counters.
 */

/** Text of the blocks, tags removed: what a reader sees. */
function visible(renderer: StreamingMarkdown): string {
  return renderer.blocks.map((b) => b.html.replace(/<[^>]*>/g, '')).join('');
}

/** Renders `text` whole, all at once (no time slicing), as for a finished message. */
function renderWhole(text: string): StreamingMarkdown {
  const renderer = new StreamingMarkdown();
  renderer.update(text, { done: true });
  return renderer;
}

/** Streams `text` in chunks of `size` characters, one update per chunk, then marks it done. */
function stream(text: string, size: number): StreamingMarkdown {
  const renderer = new StreamingMarkdown();
  for (let end = size; end < text.length; end += size) renderer.update(text.slice(0, end));
  renderer.update(text, { done: true });
  return renderer;
}

const NESTED: Record<string, string> = {
  'block quotes': '> '.repeat(3000),
  'bullet items': '- '.repeat(2500) + 'x',
  'bullet items, thematic break': '- '.repeat(2500),
  'ordered items': '1. '.repeat(2000),
  'quoted items': '> - '.repeat(1000),
  'ordered in quotes, deeper': '> 1. '.repeat(20_000),
  'indented items': Array.from({ length: 400 }, (_, i) => `${' '.repeat(2 * i)}- item ${i}`).join('\n'),
  'emphasis': '*a '.repeat(5000) + 'b' + ' c*'.repeat(5000),
  'strong': '**a '.repeat(5000) + 'b' + ' c**'.repeat(5000),
  'underscores': '_a '.repeat(5000) + 'b' + ' c_'.repeat(5000),
  'strikethrough': '~~a '.repeat(5000) + 'b' + ' c~~'.repeat(5000),
  'images in alt text': '!['.repeat(5000) + 'a' + '](x)'.repeat(5000),
  'links in link text': '['.repeat(5000) + 'a' + '](x)'.repeat(5000),
};

describe('StreamingMarkdown limits', () => {
  for (const [name, text] of Object.entries(NESTED)) {
    it(`renders deeply nested ${name} (${text.length} chars) without throwing, the deep part as text`, () => {
      const started = performance.now();
      const renderer = renderWhole(text);
      const html = renderer.blocks.map((b) => b.html).join('');
      expect(html.length).toBeGreaterThan(0);
      // Nesting is bounded: no more than 16 containers open at once.
      const depth = Math.max(...[...html.matchAll(/<(\/?)(blockquote|ul|ol|em|strong|del|a)\b/g)].reduce<number[]>((acc, m) => {
        acc.push((acc.at(-1) ?? 0) + (m[1] ? -1 : 1));
        return acc;
      }, []), 0);
      expect(depth).toBeLessThanOrEqual(16);
      // Generous: a loaded machine; these took seconds, or threw, before.
      expect(performance.now() - started).toBeLessThan(2000);
      // Streamed, it never throws either.
      const streamed = stream(text.slice(0, 6000), 97);
      expect(streamed.blocks.length).toBeGreaterThan(0);
    });
  }

  it('windows and segments never cut ordinary emphasis, code or links in two', () => {
    const sentence = (i: number) => `Some **bold words ${i}** and \`a code span\` and [a link with words](https://x.example/${i} "a title") and _an emphasis_ too.`;
    // Under one segment: exactly stock marked, although lexed in windows.
    const short = Array.from({ length: 30 }, (_, i) => sentence(i)).join(' ');
    expect(short.length).toBeLessThan(4096);
    expect(renderWhole(short).blocks.map((b) => b.html).join('')).toBe(new Marked({ gfm: true }).parse(short));
    // Over it: cut into paragraphs, every span whole.
    const long = Array.from({ length: 150 }, (_, i) => sentence(i)).join(' ');
    const html = renderWhole(long).blocks.map((b) => b.html).join('');
    for (const tag of ['strong', 'code', 'a', 'em']) expect(html.match(new RegExp(`<${tag}[ >]`, 'g'))?.length, tag).toBe(150);
    expect(html).not.toMatch(/\*\*|`|\]\(/);
  });

  it('shows the markers past the depth limit as text', () => {
    const renderer = renderWhole('> '.repeat(40) + 'deep');
    expect(visible(renderer)).toMatch(/&gt; &gt; .*deep/);
    expect(renderer.blocks.map((b) => b.html).join('')).toMatch(/^(<blockquote>\n){16}/);
  });

  it('keeps ordinary nesting intact', () => {
    const renderer = renderWhole('> quoted\n> - item\n>   - nested\n>     1. deeper\n\n- a\n  - b\n    - c\n      - d\n');
    const html = renderer.blocks.map((b) => b.html).join('');
    expect(html).toContain('<blockquote>');
    expect(html.match(/<ul>/g)?.length).toBe(6);
    expect(html).toContain('<ol>');
  });
});

/** Lines and runs whose lexing was superlinear in marked, or that are merely long. */
const PATHOLOGICAL: Record<string, (n: number) => string> = {
  'letters': (n) => 'a'.repeat(n),
  'words': (n) => 'word '.repeat(n / 5),
  'underscore runs': (n) => '_a'.repeat(n / 2),
  'asterisk runs': (n) => '*a'.repeat(n / 2),
  'tildes': (n) => '~a'.repeat(n / 2),
  'brackets': (n) => '['.repeat(n),
  'backticks': (n) => '`a'.repeat(n / 2),
  'angle brackets': (n) => '<a'.repeat(n / 2),
  'backslashes': (n) => '\\'.repeat(n),
  'link openers': (n) => '[a]('.repeat(n / 4),
  'image openers': (n) => '![a'.repeat(n / 3),
  'pipes': (n) => '|a'.repeat(n / 2),
  'emphasis and strong': (n) => '**a*'.repeat(n / 4),
  'table rows': (n) => '| a | b |\n|---|---|\n' + '| x | y |\n'.repeat(n / 10),
  'quote lines': (n) => '> line\n'.repeat(n / 7),
  'list lines': (n) => '- item\n'.repeat(n / 7),
  'open fence': (n) => '```js\n' + 'let a = 1;\n'.repeat(n / 11),
};

describe('StreamingMarkdown cost', () => {
  for (const [name, make] of Object.entries(PATHOLOGICAL)) {
    it(`renders 200,000 characters of ${name} whole in bounded time, in updates of bounded work`, () => {
      const text = make(200_000);
      const started = performance.now();
      const renderer = renderWhole(text);
      const elapsed = performance.now() - started;
      expect(renderer.blocks.length).toBeGreaterThan(0);
      // Lexing is linear: every character is lexed a bounded number of times.
      expect(renderer.stats.charsLexed).toBeLessThan(text.length * 4);
      expect(renderer.stats.inlineCharsLexed).toBeLessThanOrEqual(text.length);
      // Generous for a shared machine; 100,000 underscores alone took 5.6 s before.
      expect(elapsed).toBeLessThan(3000);
    });

    it(`streams 40,000 characters of ${name} with linear lexing`, () => {
      const text = make(40_000);
      const renderer = stream(text, 4);
      // Before: 1,000 characters lexed per character streamed for one long block.
      expect(renderer.stats.charsLexed).toBeLessThan(text.length * 16);
      expect(renderer.stats.inlineCharsLexed).toBeLessThan(text.length * 16);
    });
  }

  it('streamed, a long block shows its newest text as plain text between re-lexes, and renders exactly once done', () => {
    const paragraph = Array.from({ length: 60 }, (_, i) => `Some **bold ${i}** and \`code\` and [a link](https://x.example/${i}).`).join(' ');
    const text = `${paragraph}\n\n\`\`\`js\n${'const a = 1;\n'.repeat(300)}\`\`\`\n\n${paragraph}`;
    const renderer = new StreamingMarkdown();
    let sawPlain = false;
    for (let end = 4; end < text.length; end += 4) {
      const html = renderer.update(text.slice(0, end)).map((b) => b.html).join('');
      // The text not lexed yet is escaped: markdown syntax shows, markup never does.
      if (/\*\*bold \d+$|\*\*bold \d+\*\*<\/p>/.test(html.replace(/\n$/, ''))) sawPlain = true;
    }
    expect(sawPlain).toBe(true);
    renderer.update(text, { done: true });
    expect(renderer.blocks.map((b) => b.html).join('')).toBe(renderWhole(text).blocks.map((b) => b.html).join(''));
    expect(renderer.blocks.map((b) => b.html).join('')).not.toContain('**');
  });

  it('streamed at reading pace, a long block is rendered in full on every update (no plain-text tail)', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Some **bold ${i}** and [a link](https://x.example/${i}).`).join(' ');
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      const renderer = new StreamingMarkdown();
      for (let end = 3; end < text.length; end += 3) {
        clock += 300; // a few updates a second, as a model streams
        const html = renderer.update(text.slice(0, end)).map((b) => b.html).join('');
        expect(html).toBe(renderWhole(text.slice(0, end)).blocks.map((b) => b.html).join(''));
      }
    } finally {
      now.mockRestore();
    }
  });

  it('bounds the work of one update with a deadline: it stops and resumes where it left off', () => {
    const text = '_a'.repeat(100_000);
    const renderer = new StreamingMarkdown();
    let calls = 0;
    let longest = 0;
    do {
      const started = performance.now();
      renderer.update(text, { done: true, deadline: started + 10 });
      longest = Math.max(longest, performance.now() - started);
      calls++;
    } while (renderer.pending && calls < 10_000);
    expect(renderer.pending).toBe(false);
    expect(calls).toBeGreaterThan(1);
    // One step of at most a few segments past the deadline, however long the text.
    expect(longest).toBeLessThan(250);
    const whole = renderWhole(text);
    expect(renderer.blocks.map((b) => b.html).join('')).toBe(whole.blocks.map((b) => b.html).join(''));
  });
});
