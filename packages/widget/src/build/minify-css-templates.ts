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
import ts from 'typescript';

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

/**
 * `source` (a TypeScript module) with the indentation taken out of the static text of each
 * Lit `html\`...\`` template, nested ones included: a line break followed by spaces or tabs
 * becomes the line break alone. A run of whitespace still stays whitespace, so the DOM
 * renders the same (the widget's templates put no indented text inside `<pre>` or
 * `white-space: pre*` elements); the expressions in `${...}` are left as they are. Found
 * with TypeScript's parser, not a regular expression, because templates nest.
 */
export function minifyHtmlTemplates(source: string, fileName = 'module.ts'): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  /** [start, end) ranges of template text to rewrite. */
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'html') {
      const template = node.template;
      if (ts.isNoSubstitutionTemplateLiteral(template)) ranges.push([template.getStart() + 1, template.end - 1]);
      else {
        ranges.push([template.head.getStart() + 1, template.head.end - 2]);
        for (const span of template.templateSpans) {
          const literal = span.literal;
          ranges.push([literal.getStart() + 1, literal.end - (ts.isTemplateTail(literal) ? 1 : 2)]);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) {
    out = out.slice(0, start) + out.slice(start, end).replace(/\n[ \t]+/g, '\n') + out.slice(end);
  }
  return out;
}

/** esbuild plugin: minifies the CSS templates of the widget's `*.styles.ts` modules and the indentation of the `html` templates of its `*.component.ts` modules as they load. */
export const minifyCssTemplatesPlugin: Plugin = {
  name: 'minify-css-templates',
  setup(build) {
    build.onLoad({ filter: /\.styles\.ts$/ }, async (args) => ({
      contents: minifyCssTemplates(await readFile(args.path, 'utf8')),
      loader: 'ts',
    }));
    build.onLoad({ filter: /\.component\.ts$/ }, async (args) => ({
      contents: minifyHtmlTemplates(await readFile(args.path, 'utf8'), args.path),
      loader: 'ts',
    }));
  },
};
