/** An element class that may name the elements it renders, to register them along with it. */
export interface ComposedElementClass extends CustomElementConstructor {
  /** Tags this element renders in its shadow DOM, with their classes. */
  dependencies?: Record<string, CustomElementConstructor>;
}

/**
 * Registers `tag` for `element`, after the elements it renders (under their
 * default tags, unless already taken). Does nothing for a tag already defined,
 * and nothing at all outside a browser: where there is no `document` (server-side
 * rendering, even with Lit's Node shim of `customElements`).
 */
export function defineElement(tag: string, element: ComposedElementClass): void {
  if (typeof document === 'undefined' || typeof customElements === 'undefined') return;
  for (const [dependencyTag, dependency] of Object.entries(element.dependencies ?? {})) {
    defineElement(dependencyTag, dependency);
  }
  if (!customElements.get(tag)) customElements.define(tag, element);
}
