import { nothing } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';
import type { ArgTypes, Args } from '@storybook/web-components-vite';

/*
 * Storybook controls for our elements, from custom-elements.json (the
 * `@property`s and JSDoc tags of each *.component.ts), and the directive that
 * applies a story's args to the element it sits on. An arg's key says where it
 * goes:
 *   `sessionId`, `theme`, ...     a property (its attribute follows when it reflects)
 *   `--agent-chat-accent`, ...    an inline custom property on the element
 *   `slot:header`                 text in that slot (a <div slot="header">)
 *   `onAgentChatSend`, ...        an action logged for that event (`agent-chat-send`)
 *   `attr:session-id`, `part:bubble`   listed in the docs table only (the property row has the control)
 */

interface ManifestEntry {
  name: string;
  description?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  default?: string;
  attribute?: string;
  fieldName?: string;
  type?: { text?: string };
}
interface ManifestDeclaration {
  tagName?: string;
  members?: ManifestEntry[];
  attributes?: ManifestEntry[];
  events?: ManifestEntry[];
  slots?: ManifestEntry[];
  cssParts?: ManifestEntry[];
  cssProperties?: ManifestEntry[];
}
/** The part of a custom-elements.json (schema 2.x) read here. */
export interface CustomElementsManifest {
  modules: { declarations?: ManifestDeclaration[] }[];
}

/** `onAgentChatSend` for `agent-chat-send`: the arg Storybook binds an action to. */
export const eventArg = (event: string) => `on${event.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;
/** `agent-chat-send` for `onAgentChatSend`. */
const eventOfArg = (key: string) => key.slice(2).replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `-${c}`).toLowerCase());

/** Custom properties whose value is a color (a color picker); the others (font, radius, size, shadow) get a text field. */
const COLOR_PROPERTY = /background|foreground|muted|border|surface|accent|danger|success|warning|focus-ring/;
/** Property types no control can edit (functions, clients, maps, files). */
const NOT_EDITABLE = /=>|Client|Sanitizer|Map<|File|unknown/;

function controlOf(type: string | undefined): ArgTypes[string]['control'] | false {
  const text = (type ?? '').trim();
  if (text === 'boolean') return { type: 'boolean' };
  if (text === 'number') return { type: 'number' };
  if (/^string( \| undefined)?$/.test(text)) return { type: 'text' };
  if (!text || NOT_EDITABLE.test(text)) return false;
  return { type: 'object' };
}

/** `'dark' | 'light' | undefined` -> ['dark', 'light']; undefined when the type is not a union of string literals. */
function literalOptions(type: string | undefined): string[] | undefined {
  const members = (type ?? '').split('|').map((m) => m.trim()).filter((m) => m !== 'undefined');
  return members.length > 0 && members.every((m) => /^'[^']*'$/.test(m)) ? members.map((m) => m.slice(1, -1)) : undefined;
}

/**
 * argTypes of `tag` from the manifest: one row per property (with a control when
 * its type has one), attribute, event (an action), slot (a text control), CSS
 * part and `--agent-chat-*` custom property (a color or text control), grouped
 * by kind in the docs table. `{}` for a tag the manifest does not have.
 */
export function argTypesFromManifest(manifest: CustomElementsManifest, tag: string): ArgTypes {
  const d = manifest.modules.flatMap((m) => m.declarations ?? []).find((x) => x.tagName === tag);
  if (!d) return {};
  const argTypes: ArgTypes = {};
  const row = (category: string, e: ManifestEntry, extra: Partial<ArgTypes[string]> = {}) => ({
    name: e.name,
    description: e.description ?? '',
    table: {
      category,
      type: e.type?.text ? { summary: e.type.text } : undefined,
      defaultValue: e.default !== undefined && e.default !== 'undefined' ? { summary: e.default } : undefined,
    },
    ...extra,
  });
  for (const m of d.members ?? []) {
    if (m.kind !== 'field' || m.static || (m.privacy ?? 'public') !== 'public' || m.name.startsWith('#')) continue;
    if (m.readonly) {
      argTypes[m.name] = row('properties (read-only)', m, { control: false });
      continue;
    }
    const options = literalOptions(m.type?.text);
    argTypes[m.name] = options
      ? row('properties', m, {
          control: { type: 'inline-radio', labels: { undefined: 'unset' } },
          options: [undefined, ...options] as string[],
        })
      : row('properties', m, { control: controlOf(m.type?.text) });
  }
  for (const a of d.attributes ?? []) {
    argTypes[`attr:${a.name}`] = row('attributes', a, {
      control: false,
      description: `${a.description ?? ''}${a.fieldName ? ` (property \`${a.fieldName}\`)` : ''}`,
    });
  }
  // The type column says how each is used: the event's class, `slot="…"`, `::part(…)`, a color or a CSS value.
  for (const e of d.events ?? []) argTypes[eventArg(e.name)] = row('events', e, { action: e.name, control: false });
  for (const s of d.slots ?? []) argTypes[`slot:${s.name}`] = row('slots', { ...s, type: { text: `slot="${s.name}"` } }, { control: { type: 'text' } });
  for (const p of d.cssParts ?? []) argTypes[`part:${p.name}`] = row('css shadow parts', { ...p, type: { text: `${tag}::part(${p.name})` } }, { control: false });
  for (const p of d.cssProperties ?? []) {
    const color = COLOR_PROPERTY.test(p.name);
    argTypes[p.name] = row('css custom properties', { ...p, type: { text: color ? '<color>' : 'CSS value' } }, { control: { type: color ? 'color' : 'text' } });
  }
  return argTypes;
}

const unquote = (value: string | undefined) => (value === undefined || value === 'undefined' ? undefined : value.replace(/^'(.*)'$/, '$1'));

/**
 * The defaults the manifest gives the boolean, number and string properties of
 * `tag`, as args: their controls then start where the element does (a switch,
 * not a "Set boolean" button). Objects and unset properties are left out.
 */
export function defaultArgs(manifest: CustomElementsManifest, tag: string): Args {
  const d = manifest.modules.flatMap((m) => m.declarations ?? []).find((x) => x.tagName === tag);
  const result: Args = {};
  for (const m of d?.members ?? []) {
    if (m.kind !== 'field' || m.static || m.readonly || (m.privacy ?? 'public') !== 'public' || m.name.startsWith('#')) continue;
    const value = unquote(m.default);
    const type = m.type?.text ?? '';
    if (value === undefined) continue;
    if (type === 'boolean' && (value === 'true' || value === 'false')) result[m.name] = value === 'true';
    else if (type === 'number' && Number.isFinite(Number(value))) result[m.name] = Number(value);
    else if (/^string( \| undefined)?$/.test(type) && /^[^'`(){}[\]]*$/.test(value)) result[m.name] = value;
  }
  return result;
}

type Target = HTMLElement & Record<string, unknown>;

class ArgsDirective extends Directive {
  /** Each property's value before a story arg first set it, put back when the arg goes. */
  #original = new Map<string, unknown>();
  #listeners = new Map<string, { event: string; listener: EventListener }>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('args() goes on an element: <agent-chat ${args(args)}>');
  }

  render(_args: Args) {
    return nothing;
  }

  override update(part: ElementPart, [args]: [Args]) {
    const el = part.element as Target;
    const seen = new Set<string>();
    for (const [key, value] of Object.entries(args)) {
      seen.add(key);
      if (key.startsWith('attr:') || key.startsWith('part:')) continue;
      if (key.startsWith('--')) {
        if (value === undefined || value === '') el.style.removeProperty(key);
        else el.style.setProperty(key, String(value));
      } else if (key.startsWith('slot:')) {
        this.#slot(el, key.slice(5), value);
      } else if (/^on[A-Z]/.test(key)) {
        this.#listen(el, key, value);
      } else if (value !== undefined) {
        if (!this.#original.has(key)) this.#original.set(key, el[key]);
        if (el[key] !== value) el[key] = value;
      } else if (this.#original.has(key)) {
        el[key] = this.#original.get(key);
        this.#original.delete(key);
      }
    }
    for (const [key, original] of this.#original) {
      if (!seen.has(key)) {
        el[key] = original;
        this.#original.delete(key);
      }
    }
    for (const key of [...this.#listeners.keys()]) if (!seen.has(key)) this.#listen(el, key, undefined);
    return nothing;
  }

  #slot(el: Target, name: string, value: unknown) {
    let child = [...el.children].find((c) => c.getAttribute('data-story-slot') === name);
    if (value === undefined || value === '') {
      child?.remove();
      return;
    }
    if (!child) {
      child = document.createElement('div');
      child.setAttribute('data-story-slot', name);
      if (name) child.slot = name;
      el.append(child);
    }
    child.textContent = String(value);
  }

  #listen(el: Target, key: string, value: unknown) {
    const current = this.#listeners.get(key);
    if (current) el.removeEventListener(current.event, current.listener);
    this.#listeners.delete(key);
    if (typeof value !== 'function') return;
    const entry = { event: eventOfArg(key), listener: value as EventListener };
    el.addEventListener(entry.event, entry.listener);
    this.#listeners.set(key, entry);
  }
}

/**
 * Applies a story's args to the element it is written on, so every control
 * changes the live element (properties, custom properties, slot text, event
 * actions) without re-creating it: `<agent-chat .client=${client} ${args(context)}>`.
 */
export const args = directive(ArgsDirective);
