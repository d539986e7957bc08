import type { HLJSApi, LanguageFn } from 'highlight.js';

/**
 * Syntax highlighting with highlight.js, loaded on demand: its core and each
 * language are separate dynamic imports, so a page pays for them only when a
 * fenced code block shows up, and only for the languages it uses. Every
 * import is a literal so bundlers (esbuild, Vite, webpack) split each into a chunk.
 */
const LANGUAGES: Record<string, () => Promise<{ default: LanguageFn }>> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  css: () => import('highlight.js/lib/languages/css'),
  diff: () => import('highlight.js/lib/languages/diff'),
  go: () => import('highlight.js/lib/languages/go'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  php: () => import('highlight.js/lib/languages/php'),
  python: () => import('highlight.js/lib/languages/python'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  sql: () => import('highlight.js/lib/languages/sql'),
  swift: () => import('highlight.js/lib/languages/swift'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
};

const ALIASES: Record<string, string> = {
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  'c++': 'cpp',
  cs: 'csharp',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  kt: 'kotlin',
  md: 'markdown',
  html: 'xml',
  svg: 'xml',
  yml: 'yaml',
  golang: 'go',
};

/** The highlight.js name for a fence's info string, or undefined when no grammar is bundled for it. */
export function languageName(info: string): string | undefined {
  const name = info.trim().toLowerCase();
  const resolved = ALIASES[name] ?? name;
  return resolved in LANGUAGES ? resolved : undefined;
}

let core: Promise<HLJSApi> | undefined;
const registered = new Map<string, Promise<boolean>>();

async function loadLanguage(name: string): Promise<HLJSApi | undefined> {
  core ??= import('highlight.js/lib/core').then((m) => m.default);
  let ready = registered.get(name);
  if (!ready) {
    ready = Promise.all([core, LANGUAGES[name]!()]).then(
      ([hljs, language]) => {
        hljs.registerLanguage(name, language.default);
        return true;
      },
      () => false,
    );
    registered.set(name, ready);
  }
  return (await ready) ? core : undefined;
}

/**
 * Highlights `code` as `info` (a fence's language). Resolves to HTML whose
 * text is escaped by highlight.js (only `<span class="hljs-...">` is added),
 * or undefined when the language is unknown or its grammar failed to load.
 */
export async function highlight(code: string, info: string): Promise<string | undefined> {
  const name = languageName(info);
  if (!name) return undefined;
  const hljs = await loadLanguage(name);
  return hljs?.highlight(code, { language: name, ignoreIllegals: true }).value;
}
