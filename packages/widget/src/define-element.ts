/** Loads an element class on demand, typically `() => import('./x.component.js').then((m) => m.X)`. */
export type ElementLoader = () => Promise<CustomElementConstructor>;

/** An element class that may name the elements it renders, to register them along with it. */
export interface ComposedElementClass extends CustomElementConstructor {
  /** Tags this element renders in its shadow DOM, with their classes: registered along with it. */
  dependencies?: Record<string, CustomElementConstructor>;
  /**
   * Tags this element renders only in some states (a tool call, an approval), with a loader
   * each: registered on first need, when the element calls {@link ensureDefined}.
   */
  lazyDependencies?: Record<string, ElementLoader>;
}

/** Loaders recorded by {@link defineElement}, by tag. */
const loaders = new Map<string, ElementLoader>();
/** Loads under way or done, by tag: each part is fetched once. */
const loading = new Map<string, Promise<CustomElementConstructor | undefined>>();

function inBrowser(): boolean {
  return typeof document !== 'undefined' && typeof customElements !== 'undefined';
}

/**
 * Registers `tag` for `element`, after the elements it renders (under their
 * default tags, unless already taken), and records the loaders of the ones it
 * renders only on need (`lazyDependencies`) for {@link ensureDefined}. Does
 * nothing for a tag already defined, and nothing at all outside a browser:
 * where there is no `document` (server-side rendering, even with Lit's Node
 * shim of `customElements`).
 */
export function defineElement(tag: string, element: ComposedElementClass): void {
  if (!inBrowser()) return;
  for (const [dependencyTag, dependency] of Object.entries(element.dependencies ?? {})) {
    defineElement(dependencyTag, dependency);
  }
  for (const [dependencyTag, loader] of Object.entries(element.lazyDependencies ?? {})) {
    if (!loaders.has(dependencyTag)) loaders.set(dependencyTag, loader);
  }
  if (!customElements.get(tag)) customElements.define(tag, element);
}

/**
 * Registers `tag` to be loaded on first need: {@link ensureDefined}`(tag)` then
 * imports it with `loader` and defines it. For an element no composed element
 * names in its `lazyDependencies` (the prebuilt bundle does this for
 * `<agent-chat-sessions>`). A loader already recorded for `tag` is kept.
 */
export function defineLazyElement(tag: string, loader: ElementLoader): void {
  if (!loaders.has(tag)) loaders.set(tag, loader);
}

/**
 * Makes sure `tag` is defined and resolves with its class once it is: at once
 * when it already is; by loading it when an element registered with
 * {@link defineElement} renders it on need (`lazyDependencies`; the load starts
 * on the first call, later calls share it); otherwise when the page defines it
 * (`customElements.whenDefined`). Outside a browser it resolves with undefined.
 * Rejects when the part's file cannot be loaded (a later call tries again).
 *
 * In the prebuilt bundle `<agent-chat-approvals>`, `<agent-chat-code-panel>`,
 * `<agent-chat-research>` and `<agent-chat-sessions>` load this way:
 * `await ensureDefined('agent-chat-sessions')` before creating one from script
 * (one written in the page's HTML is defined as soon as the bundle runs).
 */
export function ensureDefined(tag: string): Promise<CustomElementConstructor | undefined> {
  if (!inBrowser()) return Promise.resolve(undefined);
  const defined = customElements.get(tag);
  if (defined) return Promise.resolve(defined);
  const loader = loaders.get(tag);
  if (!loader) return customElements.whenDefined(tag);
  let pending = loading.get(tag);
  if (!pending) {
    pending = loader().then(
      (element) => {
        defineElement(tag, element);
        return customElements.get(tag);
      },
      (error: unknown) => {
        loading.delete(tag);
        throw error;
      },
    );
    loading.set(tag, pending);
  }
  return pending;
}
