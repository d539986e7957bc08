// Markdown limits of the widget (issue 17; docs/benchmarks.md, "Widget"): the
// renderer on hostile model output, in Node (no DOM): deep nesting, a
// 200,000-character line, pathological inline runs, streamed and whole.
// Reports time and the renderer's own counters (characters lexed), and for a
// whole text the longest single update when given a deadline of 8 ms (what
// <agent-chat-messages> does per task).
//   npm run build -w @agent-chat/widget && node bench/widget/markdown-limits.mjs [--quick] [--json] [--module path/to/module.js]
// `--module` loads `StreamingMarkdown` from another build (e.g. an older one) to compare.
import { fileURLToPath } from 'node:url';
import { report, size } from '../lib/args.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const moduleArg = process.argv.indexOf('--module');
const modulePath = moduleArg > 0 ? process.argv[moduleArg + 1] : `${root}packages/widget/dist/index.js`;
const { StreamingMarkdown } = await import(modulePath);

const ms = (t) => Math.round(t * 10) / 10;

function whole(text) {
  const renderer = new StreamingMarkdown();
  const started = performance.now();
  try {
    renderer.update(text, { done: true });
  } catch (error) {
    return { error: String(error).slice(0, 60), ms: ms(performance.now() - started) };
  }
  return { ms: ms(performance.now() - started), charsLexed: renderer.stats.charsLexed, blocks: renderer.blocks.length };
}

/** As <agent-chat-messages> renders a finished message: updates with an 8 ms deadline until nothing is pending. */
function sliced(text) {
  const renderer = new StreamingMarkdown();
  let longest = 0;
  let updates = 0;
  const started = performance.now();
  try {
    do {
      const t = performance.now();
      renderer.update(text, { done: true, deadline: t + 8 });
      longest = Math.max(longest, performance.now() - t);
      updates++;
    } while (renderer.pending === true);
  } catch (error) {
    return { error: String(error).slice(0, 60) };
  }
  return { updates, longestUpdateMs: ms(longest), totalMs: ms(performance.now() - started) };
}

function streamed(text, chunk) {
  const renderer = new StreamingMarkdown();
  let longest = 0;
  const started = performance.now();
  try {
    for (let end = chunk; end < text.length + chunk; end += chunk) {
      const t = performance.now();
      renderer.update(text.slice(0, end));
      longest = Math.max(longest, performance.now() - t);
    }
  } catch (error) {
    return { error: String(error).slice(0, 60) };
  }
  return { ms: ms(performance.now() - started), longestUpdateMs: ms(longest), charsLexed: renderer.stats.charsLexed, lexedPerChar: Math.round((renderer.stats.charsLexed / text.length) * 10) / 10 };
}

const line = size(200_000, 30_000);
const mixedLine = Array.from({ length: line / 6 }, (_, i) => (i % 7 === 0 ? '**word** ' : i % 11 === 0 ? '`x` ' : 'words ')).join('').slice(0, line);
// Warm up the JIT, as a page that has rendered a first answer has.
whole('# a\n\nSome **b** _c_ `d` [e](https://x.example)\n\n- f\n\n> g\n');

report({
  module: modulePath.replace(root, ''),
  nested: {
    'quote x3000': whole('> '.repeat(3000)),
    'bullet x2500': whole('- '.repeat(2500) + 'x'),
    'ordered x2000': whole('1. '.repeat(2000)),
    'quoted bullet x1000': whole('> - '.repeat(1000)),
  },
  [`${line} chars, one line`]: { whole: whole(mixedLine), sliced: sliced(mixedLine) },
  [`${line} chars of "_a"`]: { whole: whole('_a'.repeat(line / 2)), sliced: sliced('_a'.repeat(line / 2)) },
  'streamed 12,000 chars of "_a", 4 a chunk': streamed('_a'.repeat(6000), 4),
  'streamed 8,000 of "[" x 40,000, 4 a chunk': streamed('['.repeat(8000), 4),
  'streamed 8,000 of "`a" x 20,000, 4 a chunk': streamed('`a'.repeat(4000), 4),
  'streamed 30,000-char code fence, 4 a chunk': streamed('```js\n' + 'const a = 1; // x\n'.repeat(size(1650, 400)), 4),
});
