/** Minimal assertions for browser tests (no assertion library is installed). */

export class AssertionError extends Error {
  readonly code = 'assertion_failed';
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEqual<T>(actual: T, expected: T, message = 'values differ'): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function assertMatch(actual: string, pattern: RegExp, message = 'no match'): void {
  if (!pattern.test(actual)) {
    throw new AssertionError(`${message}: ${JSON.stringify(actual.slice(0, 300))} does not match ${pattern}`);
  }
}

/**
 * Polls `probe` every animation frame until it returns a truthy value.
 * @throws {AssertionError} after `timeoutMs` milliseconds.
 */
export async function waitFor<T>(probe: () => T, message: string, timeoutMs = 8000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new AssertionError(`timed out waiting for ${message}`);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** Every element matching `selector` in `root` and in the shadow roots below it, in document order. */
export function deepQueryAll<E extends Element = HTMLElement>(root: ParentNode, selector: string): E[] {
  const found: E[] = [...root.querySelectorAll<E>(selector)];
  if (root instanceof Element && root.shadowRoot) found.push(...deepQueryAll<E>(root.shadowRoot, selector));
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot) found.push(...deepQueryAll<E>(element.shadowRoot, selector));
  }
  return found;
}

/** The first element matching `selector` in `root` or in any shadow root below it. */
export function deepQuery<E extends Element = HTMLElement>(root: ParentNode, selector: string): E | undefined {
  return deepQueryAll<E>(root, selector)[0];
}

/** The text of `root` including every shadow root below it. */
export function deepText(root: Node): string {
  let text = root instanceof Element && root.shadowRoot ? deepText(root.shadowRoot) : '';
  for (const node of root.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent ?? '';
    else text += deepText(node);
  }
  return text;
}

/** `value` as JSON with object keys sorted, to compare structures whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
