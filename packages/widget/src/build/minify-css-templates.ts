/**
 * Build-time only (tsup.config.ts; not part of the package): takes the indentation,
 * line breaks and comments out of the CSS in Lit `css\`...\`` templates, which a JS
 * minifier leaves as they are (a template's text is a string to it). About 20 KB of
 * the widget's styles load at once.
 *
 * Conservative by design, so the styles mean exactly what they did (the test checks
 * every template against esbuild's CSS minifier): comments are dropped; a run of
 * whitespace becomes one space, or nothing next to `{`, `}`, `;`, `,` and after `:`
 * (never before `:`: `.a :hover` is not `.a:hover`); quoted strings are left alone;
 * and the text around a `${...}` keeps a space where it had whitespace, so an
 * interpolated selector stays apart from the next one.
 */
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';

/** Minifies one static piece of CSS text (between interpolations). */
export function minifyCssText(css: string): string {
  return css
    .split(/('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/)
    .map((piece, i) => {
      if (i % 2 === 1) return piece; // a quoted string
      return piece
        .replace(/\/\*[\s\S]*?\*\//g, ' ')
        .replace(/\s+/g, ' ')
        .replace(/ ?([{};,]) ?/g, '$1')
        .replace(/: /g, ':');
    })
    .join('');
}

/** `source` (a TypeScript module) with the text of each `css\`...\`` template minified; `${...}` left as they are. */
export function minifyCssTemplates(source: string): string {
  return source.replace(/\bcss`((?:[^`\\]|\\.)*)`/g, (_, body: string) => {
    const pieces = body.split(/(\$\{[^}]*\})/);
    return `css\`${pieces.map((piece, i) => (i % 2 === 1 ? piece : minifyCssText(piece))).join('')}\``;
  });
}

/** esbuild plugin: minifies the CSS templates of the widget's `*.styles.ts` modules as they load. */
export const minifyCssTemplatesPlugin: Plugin = {
  name: 'minify-css-templates',
  setup(build) {
    build.onLoad({ filter: /\.styles\.ts$/ }, async (args) => ({
      contents: minifyCssTemplates(await readFile(args.path, 'utf8')),
      loader: 'ts',
    }));
  },
};
