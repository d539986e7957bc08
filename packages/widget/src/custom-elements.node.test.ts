import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * custom-elements.json (written by `npm run build -w @agent-chat/widget`, from
 * the JSDoc of each *.component.ts) is what Storybook's docs pages and controls,
 * editors and @agent-chat/react are built from. Here it is checked against the
 * SOURCE, read independently of the analyzer: every part a template sets, every
 * event an element dispatches, every slot, every `--agent-chat-*` its styles
 * read and every reactive property is listed, with a description, and nothing
 * is listed that the source no longer has.
 */
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(packageDir, 'src');
/** A source file without its comments (which name elements and parts in prose). */
const read = (file: string) =>
  readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

interface Entry {
  name: string;
  description?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  attribute?: string;
  fieldName?: string;
}
interface Declaration {
  tagName?: string;
  customElement?: boolean;
  description?: string;
  members?: Entry[];
  attributes?: Entry[];
  events?: Entry[];
  slots?: Entry[];
  cssParts?: Entry[];
  cssProperties?: Entry[];
}
const manifest = JSON.parse(read(join(packageDir, 'custom-elements.json'))) as { modules: { path: string; declarations?: Declaration[] }[] };
const elements = manifest.modules.flatMap((mod) =>
  (mod.declarations ?? []).filter((d) => d.customElement && d.tagName).map((declaration) => ({ file: join(packageDir, mod.path), declaration })),
);
const fileOfTag = new Map(elements.map((e) => [e.declaration.tagName!, e.file]));

/** Files a module imports by a relative specifier (`.js` written, `.ts` on disk). */
function relativeImports(file: string): string[] {
  // Static imports and `import()`s of modules loaded on need (code-blocks.ts sets parts too).
  return [...read(file).matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)\.js'/g)].map((m) => resolve(dirname(file), `${m[1]}.ts`)).filter((f) => existsSync(f));
}

/** Elements that always render into the light DOM (no shadow root of their own, e.g. the attachment parts). */
const alwaysLightDom = (tag: string) => /createRenderRoot\(\)[^{]*\{\s*return this;/.test(read(fileOfTag.get(tag)!));

/** Child elements of our own that a template renders in light DOM (their parts, slots and styles become the parent's). */
function lightDomChildren(source: string): string[] {
  const marked = [...source.matchAll(/<(agent-chat-[\w-]+)\s+light-dom\b/g)].map((m) => m[1]!);
  const always = [...source.matchAll(/<(agent-chat-[\w-]+)[\s>]/g)].map((m) => m[1]!).filter((t) => fileOfTag.has(t) && alwaysLightDom(t));
  return [...new Set([...marked, ...always])];
}

/** Helpers (not other elements, not styles) a component imports, where a part may be set with setAttribute. */
function helperSources(file: string): string[] {
  const helpers = relativeImports(file).filter((f) => !f.endsWith('.component.ts') && !f.endsWith('.styles.ts') && f.startsWith(srcDir));
  // A controller's helpers are the component's too (the markdown cache loads code-blocks.ts).
  const ofControllers = helpers.filter((f) => f.startsWith(join(srcDir, 'controllers'))).flatMap(relativeImports);
  return [...new Set([...helpers, ...ofControllers])].map(read);
}

/** Reactive controllers a component uses: a template a controller renders (e.g. the markdown cache's) is the component's. */
function controllerSources(file: string): string[] {
  return relativeImports(file)
    .filter((f) => f.startsWith(join(srcDir, 'controllers')))
    .map(read);
}

function partsInSource(file: string): Set<string> {
  const source = read(file);
  const parts = new Set<string>();
  const add = (list: string) => list.split(/\s+/).filter(Boolean).forEach((p) => parts.add(p));
  for (const template of [source, ...controllerSources(file)]) for (const m of template.matchAll(/\spart="([^"$]+)"/g)) add(m[1]!);
  for (const m of source.matchAll(/\spart=\$\{([^}]*)\}/g)) for (const s of m[1]!.matchAll(/'([^']*)'/g)) add(s[1]!);
  for (const helper of [source, ...helperSources(file)]) for (const m of helper.matchAll(/setAttribute\(\s*'part',\s*'([^']+)'/g)) add(m[1]!);
  for (const m of source.matchAll(/\sexportparts="([^"]+)"/g)) {
    for (const entry of m[1]!.split(',')) parts.add(entry.split(':').at(-1)!.trim());
  }
  for (const child of lightDomChildren(source)) for (const p of partsInSource(fileOfTag.get(child)!)) parts.add(p);
  return parts;
}

const eventTypes = new Map(
  readdirSync(join(srcDir, 'events'))
    .filter((f) => f.endsWith('.ts') && !f.includes('.test.'))
    .flatMap((f) => [...read(join(srcDir, 'events', f)).matchAll(/export class (\w+) extends Event \{\s*static readonly type = '([^']+)'/g)])
    .map((m) => [m[1]!, m[2]!] as const),
);

/** Our elements a template renders (any of them, in light or shadow DOM). */
function childElements(file: string): string[] {
  const own = elements.find((e) => e.file === file)?.declaration.tagName;
  return [...new Set([...read(file).matchAll(/<(agent-chat(?:-[\w-]+)?)[\s>]/g)].map((m) => m[1]!))].filter((t) => t !== own && fileOfTag.has(t));
}

/**
 * What a host can listen to on the element: the events it dispatches, and those
 * of the parts it renders, which all bubble and are composed (checked below), so
 * they leave its shadow root.
 */
function eventsInSource(file: string): Set<string> {
  const names = new Set<string>();
  for (const m of read(file).matchAll(/new (AgentChat\w+Event)\(/g)) {
    const type = eventTypes.get(m[1]!);
    expect(type, `${m[1]} has a static type in src/events`).toBeDefined();
    names.add(type!);
  }
  for (const child of childElements(file)) for (const e of eventsInSource(fileOfTag.get(child)!)) names.add(e);
  return names;
}

function slotsInSource(file: string): Set<string> {
  const source = read(file);
  const slots = new Set([...source.matchAll(/<slot(?:\s+name="([^"]+)")?[\s>]/g)].map((m) => m[1] ?? ''));
  for (const child of lightDomChildren(source)) for (const s of slotsInSource(fileOfTag.get(child)!)) slots.add(s);
  return slots;
}

const customPropertiesRead = (source: string) => [...source.matchAll(/var\(\s*(--agent-chat-[\w-]+)/g)].map((m) => m[1]!);

function cssPropertiesInSource(file: string): Set<string> {
  const source = read(file);
  const props = new Set<string>();
  for (const styles of relativeImports(file).filter((f) => f.endsWith('.styles.ts'))) {
    // theme.styles.ts only counts where the element includes `themeStyles` (every one does today).
    if (styles.endsWith('theme.styles.ts') && !source.includes('themeStyles')) continue;
    for (const p of customPropertiesRead(read(styles))) props.add(p);
  }
  for (const child of lightDomChildren(source)) for (const p of cssPropertiesInSource(fileOfTag.get(child)!)) props.add(p);
  return props;
}

/** `static properties = { name: { ...options } }`: reactive properties that are not internal state, and their attribute. */
function reactiveProperties(file: string): Map<string, string | undefined> {
  const block = /static (?:override )?properties = \{([\s\S]*?)\n {2}\};/.exec(read(file))?.[1] ?? '';
  const result = new Map<string, string | undefined>();
  for (const m of block.matchAll(/^\s*(\w+): \{([^}]*)\}/gm)) {
    const [, name, options] = m as unknown as [string, string, string];
    if (/state:\s*true/.test(options)) continue;
    const attribute = /attribute:\s*false/.test(options)
      ? undefined
      : (/attribute:\s*'([^']+)'/.exec(options)?.[1] ?? name.toLowerCase());
    result.set(name, attribute);
  }
  return result;
}

const names = (entries: Entry[] | undefined) => new Set((entries ?? []).map((e) => e.name));
const sorted = (set: Set<string>) => [...set].sort();
/** What the source has and the manifest lacks, and the reverse: both empty when they agree. */
const compare = (listed: Set<string>, inSource: Set<string>) => ({
  missing: sorted(inSource).filter((n) => !listed.has(n)),
  stale: sorted(listed).filter((n) => !inSource.has(n)),
});
const agree = { missing: [], stale: [] };
const isPublicField = (m: Entry) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public' && !m.name.startsWith('#');

describe('custom-elements.json against the source', () => {
  it('every event bubbles and is composed (so the parts\' events reach the host of <agent-chat>)', () => {
    expect(eventTypes.size).toBeGreaterThan(10);
    for (const f of readdirSync(join(srcDir, 'events')).filter((f) => f.endsWith('-event.ts'))) {
      expect(read(join(srcDir, 'events', f)), f).toMatch(/bubbles: true, composed: true/);
    }
  });

  it('lists the eleven elements', () => {
    expect(sorted(new Set(fileOfTag.keys()))).toEqual([
      'agent-chat',
      'agent-chat-approvals',
      'agent-chat-attachments',
      'agent-chat-code-panel',
      'agent-chat-composer',
      'agent-chat-messages',
      'agent-chat-research',
      'agent-chat-sessions',
      'agent-chat-status',
      'agent-chat-tool-group',
      'agent-chat-uploads',
    ]);
  });

  for (const { file, declaration: d } of elements) {
    describe(`<${d.tagName}>`, () => {
      it('has a description', () => {
        expect(d.description?.trim()).toBeTruthy();
      });

      it('lists every CSS part its templates expose (own, exported from children, of light-DOM children), and no other', () => {
        expect(compare(names(d.cssParts), partsInSource(file))).toEqual(agree);
      });

      it('lists every event it dispatches, and no other', () => {
        expect(compare(names(d.events), eventsInSource(file))).toEqual(agree);
      });

      it('lists every slot, and no other', () => {
        expect(compare(names(d.slots), slotsInSource(file))).toEqual(agree);
      });

      it('lists every --agent-chat-* custom property its styles read, and no other', () => {
        expect(compare(names(d.cssProperties), cssPropertiesInSource(file))).toEqual(agree);
      });

      it('lists every reactive property with its attribute', () => {
        const fields = new Map((d.members ?? []).filter(isPublicField).map((m) => [m.name, m]));
        const attributes = new Map((d.attributes ?? []).map((a) => [a.name, a]));
        for (const [name, attribute] of reactiveProperties(file)) {
          expect(fields.has(name), `property ${name}`).toBe(true);
          if (attribute) {
            expect(fields.get(name)!.attribute, `attribute of ${name}`).toBe(attribute);
            expect(attributes.get(attribute)?.fieldName, `attribute ${attribute}`).toBe(name);
          }
        }
      });

      it('describes every public property, attribute, event, slot, part and custom property', () => {
        const undescribed = [
          ...(d.members ?? []).filter(isPublicField).map((m) => ['property', m] as const),
          ...(d.attributes ?? []).map((m) => ['attribute', m] as const),
          ...(d.events ?? []).map((m) => ['event', m] as const),
          ...(d.slots ?? []).map((m) => ['slot', m] as const),
          ...(d.cssParts ?? []).map((m) => ['part', m] as const),
          ...(d.cssProperties ?? []).map((m) => ['custom property', m] as const),
        ]
          .filter(([, e]) => !e.description?.trim())
          .map(([kind, e]) => `${kind} ${e.name}`);
        expect(undescribed).toEqual([]);
      });
    });
  }
});
