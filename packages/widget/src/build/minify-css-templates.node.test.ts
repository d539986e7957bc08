import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { minifyCssTemplates, minifyCssText, minifyHtmlTemplates } from './minify-css-templates.js';

const srcDir = fileURLToPath(new URL('../', import.meta.url));
const stylesFiles = (readdirSync(srcDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.styles.ts')).map((f) => join(srcDir, f));
const templates = (source: string) => [...source.matchAll(/\bcss`((?:[^`\\]|\\.)*)`/g)].map((m) => m[1]!);

/**
 * What a stylesheet means, as esbuild's CSS minifier writes it. Interpolations become a class
 * selector (in theme.styles.ts a list of declarations is interpolated: it reads as a nested rule); the space esbuild keeps after `,` and `:` inside `var()` fallbacks and custom
 * property values, which the browser trims, is dropped on both sides.
 */
function meaning(css: string): string {
  // Wrapped in a rule (CSS nesting): a template may be a list of declarations, spliced into a rule by another.
  const wrapped = `.template{${css.replace(/\$\{[^}]*\}/g, '.interpolated')}}`;
  const code = transformSync(wrapped, { loader: 'css', minify: true, logLevel: 'silent' }).code;
  return code.replace(/([,:])\s+/g, '$1');
}

describe('minifyCssTemplates (build time)', () => {
  it('keeps the meaning of every css`` template of the widget, and makes each smaller', () => {
    expect(stylesFiles.length).toBeGreaterThan(8);
    for (const file of stylesFiles) {
      const source = readFileSync(file, 'utf8');
      const before = templates(source);
      const after = templates(minifyCssTemplates(source));
      expect(after.length, file).toBe(before.length);
      before.forEach((css, i) => {
        expect(meaning(after[i]!), `${file} template ${i}`).toBe(meaning(css));
        expect(after[i]!.length, `${file} template ${i}`).toBeLessThan(css.length);
      });
    }
  });

  it('keeps the space of a descendant combinator before a pseudo-class, and quoted strings whole', () => {
    expect(minifyCssText('.a :hover ,\n .b > .c {\n  content: "  /* x */  ";\n  color: red; /* note */\n}\n')).toBe(
      '.a :hover,.b > .c{content:"  /* x */  ";color:red;}',
    );
    expect(minifyCssText(`a::after { content: '› '; }`)).toBe(`a::after{content:'› ';}`);
  });

  it('keeps a space where an interpolated selector meets the next one', () => {
    expect(minifyCssTemplates('css`\n  ${unsafeCSS(host)} .x {\n    color: red;\n  }\n`')).toBe('css` ${unsafeCSS(host)} .x{color:red;}`');
    expect(minifyCssTemplates('css`${a}\n${b}`')).toBe('css`${a} ${b}`');
  });
});

describe('minifyHtmlTemplates (build time)', () => {
  it('takes the indentation out of html`` text, nested templates included, and leaves expressions alone', () => {
    const source = [
      'const t = html`<div>',
      '    <p class="a">${x ? html`<b>',
      '        ${y}</b>` : "keep\\n    this"}</p>',
      '  ${`plain\n    template`}',
      '</div>`;',
      'const other = css`\n    a {}`;',
    ].join('\n');
    expect(minifyHtmlTemplates(source)).toBe(
      [
        'const t = html`<div>',
        '<p class="a">${x ? html`<b>',
        '${y}</b>` : "keep\\n    this"}</p>',
        '${`plain\n    template`}',
        '</div>`;',
        'const other = css`\n    a {}`;',
      ].join('\n'),
    );
  });

  it('leaves every component module valid, with as many templates, and smaller', () => {
    const components = (readdirSync(srcDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.component.ts')).map((f) => join(srcDir, f));
    expect(components.length).toBeGreaterThan(8);
    for (const file of components) {
      const source = readFileSync(file, 'utf8');
      const after = minifyHtmlTemplates(source, file);
      expect(() => transformSync(after, { loader: 'ts', logLevel: 'silent' }), file).not.toThrow();
      expect(after.match(/\bhtml`/g)?.length, file).toBe(source.match(/\bhtml`/g)?.length);
      expect(after.length, file).toBeLessThan(source.length);
      // Only whitespace went.
      expect(after.replace(/\s+/g, ''), file).toBe(source.replace(/\s+/g, ''));
    }
  });
});
