import { describe, expect, it } from 'vitest';
import { Marked, type Tokens } from 'marked';
import { StreamingMarkdown } from './streaming-markdown.js';
import { imageUrl, linkUrl, safeMarkdown } from './safe-markdown.js';
import { createImagePolicy } from './image-policy.js';
import { HOSTILE_MARKDOWN } from './__fixtures__/hostile-markdown.js';
import { BASE, decodeEntities, problems } from './__fixtures__/html-allowlist.js';

/*
 * The markdown renderer in Node, with no DOM and no sanitizer: its HTML is
 * checked as a string. The same corpus goes through the real element in
 * Chromium in components/message-list/message-list.security.test.ts.
 */

/** The text a browser would show, roughly: tags dropped, references resolved. */
const textOf = (html: string) => decodeEntities(html.replace(/<br>/g, '\n').replace(/<[^>]*>/g, ''));
const render = (markdown: string) => new StreamingMarkdown().update(markdown).map((b) => b.html).join('');
/** Every remote image loads, as with `allowed-image-hosts="*"`. */
const renderAllImages = (markdown: string) =>
  new StreamingMarkdown({ imagePolicy: createImagePolicy({ allowedHosts: ['*'] }) }).update(markdown).map((b) => b.html).join('');

describe('safe markdown: the hostile corpus in Node, no DOM, no sanitizer', () => {
  it('the problem finder finds problems (so that finding none means something)', () => {
    const stock = new Marked({ gfm: true });
    for (const markdown of ['<img src=x onerror="alert(1)">', '[x](javascript:alert(1))', '[y](jav&#x09;ascript:x)', 'a <b style="x">b</b>', '![i](data:text/html,x)', 'a <code><i>']) {
      expect(problems(stock.parse(markdown) as string), markdown).not.toEqual([]);
      expect(problems(render(markdown)), markdown).toEqual([]);
    }
  });

  for (const { name, markdown, visible = [] } of HOSTILE_MARKDOWN) {
    it(`${name}: whole and streamed character by character`, () => {
      const whole = render(markdown);
      expect(problems(whole), whole).toEqual([]);
      for (const text of visible) expect(textOf(whole)).toContain(text);

      const streaming = new StreamingMarkdown();
      for (let i = 1; i <= markdown.length; i++) {
        const html = streaming.update(markdown.slice(0, i)).map((b) => b.html).join('');
        expect(problems(html), `prefix ${JSON.stringify(markdown.slice(0, i))}: ${html}`).toEqual([]);
      }
      // A reference definition does not reach a block completed before it arrived (see StreamingMarkdown).
      if (!/^\[[^\]]+\]:/m.test(markdown)) expect(streaming.blocks.map((b) => b.html).join('')).toBe(whole);
    });
  }
});

describe('safe markdown: each renderer method escapes what it writes', () => {
  it('shows raw HTML literally: inline as text, a block as a paragraph with its lines', () => {
    expect(render('a <b onclick="x()">b</b> &amp; c')).toBe('<p>a &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt; &amp; c</p>\n');
    expect(render('<div class="x">\n<script>alert(1)</script>\n</div>')).toBe(
      '<p>&lt;div class=&quot;x&quot;&gt;<br>&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;/div&gt;</p>\n',
    );
    // A block of raw HTML is shown exactly as written, references included; text between inline tags is markdown text.
    expect(render('<div>&amp;</div>')).toBe('<p>&lt;div&gt;&amp;amp;&lt;/div&gt;</p>\n');
    expect(render('a <span>&amp;</span>')).toBe('<p>a &lt;span&gt;&amp;&lt;/span&gt;</p>\n');
  });

  it('escapes text after a raw <code>, <pre>, <kbd> or <script> tag, which marked passes through', () => {
    const stock = new Marked({ gfm: true }).parse('x <code><img/src=x onerror=alert(1)></code>') as string;
    expect(stock).toContain('<img/src=x onerror=alert(1)>'); // the hole this closes
    expect(render('x <code><img/src=x onerror=alert(1)> &amp;</code>')).toBe(
      '<p>x &lt;code&gt;&lt;img/src=x onerror=alert(1)&gt; &amp;amp;&lt;/code&gt;</p>\n',
    );
  });

  it('code: escapes the text and the language in its class, even when a token claims to be escaped', () => {
    expect(render('```"><img src=x onerror=1>\n<b>&amp;</b>\n```')).toBe(
      '<pre><code class="language-&quot;&gt;&lt;img">&lt;b&gt;&amp;amp;&lt;/b&gt;\n</code></pre>\n',
    );
    const token: Tokens.Code = { type: 'code', raw: '', text: '<img src=x onerror=1>', lang: 'js', escaped: true };
    expect(safeMarkdown.parser([token])).toBe('<pre><code class="language-js">&lt;img src=x onerror=1&gt;\n</code></pre>\n');
    expect(render('`<b>&amp;</b>`')).toBe('<p><code>&lt;b&gt;&amp;amp;&lt;/b&gt;</code></p>\n');
  });

  it('links: title escaped, URL checked after resolving references, written fully escaped', () => {
    expect(render('[a](https://x.example/?a=1&amp;b=2 "say \\"hi\\" <now>")')).toBe(
      '<p><a href="https://x.example/?a=1&amp;b=2" title="say &quot;hi&quot; &lt;now&gt;">a</a></p>\n',
    );
    expect(render('[**bold** link](javascript:alert(1))')).toBe('<p><strong>bold</strong> link</p>\n');
    expect(render('<javascript:alert(1)>')).toBe('<p>javascript:alert(1)</p>\n');
    // Autolinks keep references literal, as CommonMark says.
    expect(render('<https://x.example/?a&amp;b>')).toBe('<p><a href="https://x.example/?a&amp;amp;b">https://x.example/?a&amp;amp;b</a></p>\n');
    expect(render('www.x.example/a?b=1&c=2')).toBe('<p><a href="http://www.x.example/a?b=1&amp;c=2">www.x.example/a?b=1&amp;c=2</a></p>\n');
  });

  it('images: alt and title escaped; a refused URL leaves the alt text', () => {
    expect(renderAllImages('![a "quoted" <alt>](https://x.example/a.png "t\\"itle")')).toBe(
      '<p><img src="https://x.example/a.png" alt="a &quot;quoted&quot; &lt;alt&gt;" title="t&quot;itle"></p>\n',
    );
    // Held back by default (remote), the same escaping on the placeholder.
    expect(render('![a "quoted" <alt>](https://x.example/a.png "t\\"itle")')).toBe(
      '<p><button type="button" class="load-image" part="load-image" data-load-image="https://x.example/a.png" ' +
        'data-alt="a &quot;quoted&quot; &lt;alt&gt;" title="t&quot;itle">Load image from x.example</button></p>\n',
    );
    expect(render('![the *alt* <b>](javascript:alert(1))')).toBe('<p>the alt &lt;b&gt;</p>\n');
  });

  it('tables, lists, task items and headings write only fixed attributes', () => {
    expect(render('| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |')).toBe(
      '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="center">b</th>\n<th align="right">c</th>\n</tr>\n</thead>\n' +
        '<tbody><tr>\n<td align="left">1</td>\n<td align="center">2</td>\n<td align="right">3</td>\n</tr>\n</tbody></table>\n',
    );
    expect(render('7. a\n8. b')).toBe('<ol start="7">\n<li>a</li>\n<li>b</li>\n</ol>\n');
    expect(render('- [x] done\n- [ ] todo')).toBe(
      '<ul>\n<li><input checked="" disabled="" type="checkbox"> done</li>\n<li><input disabled="" type="checkbox"> todo</li>\n</ul>\n',
    );
    expect(render('###### <i>h</i>')).toBe('<h6>&lt;i&gt;h&lt;/i&gt;</h6>\n');
  });

  it('renders markdown without raw HTML or refused URLs exactly as stock marked does', () => {
    const doc = [
      '# Title', '', 'Some **bold**, _em_, ~~del~~, `code`, a [link](https://x.example/a?b=1&c=2 "t"), <https://x.example>, www.x.example,',
      'a mail <me@x.example>, ![img](/a.png) and an entity &copy; &#169; & an ampersand.', '',
      '> quote', '', '1. one', '2. two', '', '- [ ] task', '', '```ts', 'const a = 1 < 2 && "x";', '```', '', '| a | b |', '|:-|-:|', '| 1 | 2 |', '', '***',
    ].join('\n');
    expect(render(doc)).toBe(new Marked({ gfm: true }).parse(doc));
  });
});

describe('link and image URL allowlists', () => {
  it('links: http, https, mailto and URLs without a scheme', () => {
    for (const url of ['https://x.example/a', 'http://x.example', 'HTTPS://X.EXAMPLE', 'mailto:a@x.example', '/path', 'page.html', '../up', '?q=1', '#frag', '//x.example/a', 'a/b:c', '']) {
      expect(linkUrl(url), url).toBeDefined();
    }
    expect(linkUrl('/a b')).toBe('/a%20b');
    expect(linkUrl('/%20already')).toBe('/%20already');
  });

  it('links: anything else, however spelled', () => {
    for (const url of [
      'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:x', 'data:text/html,x', 'data:image/png;base64,AAAA', 'file:///etc/passwd',
      'ftp://x.example', 'blob:https://x/1', 'tel:123', 'c:\\windows', '&#106;avascript:x', '&#x6a;avascript:x', 'javascript&colon;x',
      'java&Tab;script:x', 'jav&#x09;ascript:x',
    ]) {
      const result = linkUrl(url);
      // Either refused, or made into something without a scheme (the tab becomes %09: a relative path).
      expect(result === undefined || new URL(result, BASE).protocol === 'https:', `${url} -> ${result}`).toBe(true);
    }
    expect(linkUrl('javascript&colon;x')).toBeUndefined();
    expect(linkUrl('java&NewLine;script:x')).toBe('java%0Ascript:x');
    expect(linkUrl('\ud800')).toBeUndefined();
    // Autolinks take references literally.
    expect(linkUrl('javascript&colon;x', true)).toBe('javascript&colon;x');
  });

  it('images: http, https, no scheme, and base64 data URLs of images', () => {
    for (const url of ['https://x.example/a.png', 'http://x.example/a.png', '/a.png', 'a.png', ...['png', 'gif', 'jpeg', 'webp', 'avif', 'svg+xml'].map((t) => `data:image/${t};base64,AAAA`)]) {
      expect(imageUrl(url), url).toBeDefined();
    }
    for (const url of ['javascript:x', 'data:text/html;base64,AAAA', 'data:image/svg+xml,<svg onload=x>', 'data:image/png,raw', 'data:image/x-icon;base64,AA', 'file:///a.png', 'blob:https://x/1']) {
      expect(imageUrl(url), url).toBeUndefined();
    }
  });
});

describe('opt-in raw HTML through a sanitizer', () => {
  it('passes raw HTML to the sanitizer and inserts what it returns; markdown URLs are still checked', () => {
    const seen: string[] = [];
    const renderer = new StreamingMarkdown({
      sanitize: (html) => {
        seen.push(html);
        return html.replace(/ on\w+="[^"]*"/g, '');
      },
    });
    const blocks = renderer.update('a <b onclick="x()">b</b> [x](javascript:alert(1))\n\nnext');
    expect(seen).toEqual(['<p>a <b onclick="x()">b</b> x</p>\n', '<p>next</p>\n']);
    expect(blocks.map((b) => b.html)).toEqual(['<p>a <b>b</b> x</p>\n', '<p>next</p>\n']);
    expect(renderer.stats.blocksRendered).toBe(2);
  });

  it('without a sanitizer the same markdown shows the HTML as text', () => {
    expect(render('a <b onclick="x()">b</b>')).toBe('<p>a &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt;</p>\n');
  });
});
