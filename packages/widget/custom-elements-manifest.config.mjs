import { readFileSync } from 'node:fs';

/*
 * Read by `cem analyze` (npm run analyze) from this folder. Two fixes on what
 * the analyzer infers by itself, so custom-elements.json (and the Storybook
 * docs built from it) lists what each element really has:
 *
 * - `this.dispatchEvent(new AgentChatSendEvent({ text }))` makes the Lit plugin
 *   add an event with no name (or named after the argument, e.g. `detail`).
 *   The events are documented with `@event`; the guesses are dropped.
 * - Every element includes `themeStyles`, so every one reads the theme's
 *   custom properties. They are documented once, on `<agent-chat>`; each other
 *   element that includes the theme gets the entries for those the theme reads.
 */
const THEME_FILE = new URL('./src/styles/theme.styles.ts', import.meta.url);
const ROOT_TAG = 'agent-chat';

/** `--agent-chat-*` names read by a style source (`var(--agent-chat-x, ...)`). */
export function customPropertiesRead(source) {
  return [...new Set([...source.matchAll(/var\(\s*(--agent-chat-[\w-]+)/g)].map((m) => m[1]))];
}

function dropGuessedEvents(declaration) {
  if (!declaration.events) return;
  const documented = new Set(declaration.events.filter((e) => e.name && e.description).map((e) => e.type?.text));
  declaration.events = declaration.events.filter((e) => e.name && !(!e.description && documented.has(e.type?.text)));
}

/** @type {import('@custom-elements-manifest/analyzer').Plugin} */
const agentChatManifest = {
  name: 'agent-chat-manifest',
  packageLinkPhase({ customElementsManifest }) {
    const elements = customElementsManifest.modules.flatMap((mod) =>
      (mod.declarations ?? []).filter((d) => d.customElement).map((declaration) => ({ mod, declaration })),
    );
    const root = elements.find((e) => e.declaration.tagName === ROOT_TAG)?.declaration;
    const themeTokens = customPropertiesRead(readFileSync(THEME_FILE, 'utf8'));
    for (const { mod, declaration } of elements) {
      dropGuessedEvents(declaration);
      if (!root || declaration === root) continue;
      if (!readFileSync(new URL(mod.path, new URL('./', import.meta.url)), 'utf8').includes('themeStyles')) continue;
      const own = new Set((declaration.cssProperties ?? []).map((p) => p.name));
      const inherited = (root.cssProperties ?? []).filter((p) => themeTokens.includes(p.name) && !own.has(p.name));
      if (inherited.length > 0) declaration.cssProperties = [...(declaration.cssProperties ?? []), ...inherited.map((p) => ({ ...p }))];
    }
  },
};

export default {
  litelement: true,
  globs: ['src/**/*.component.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  plugins: [agentChatManifest],
};
