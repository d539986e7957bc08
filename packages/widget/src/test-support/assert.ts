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

/** Every element matching `selector` in `root` and, recursively, in the shadow roots under it. */
export function deepQueryAll<E extends Element = Element>(root: ParentNode, selector: string): E[] {
  const found: E[] = [...root.querySelectorAll<E>(selector)];
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) found.push(...deepQueryAll<E>(el.shadowRoot, selector));
  }
  return found;
}

/** The first element matching `selector` in `root` or any shadow root under it, or null. */
export function deepQuery<E extends Element = Element>(root: ParentNode, selector: string): E | null {
  return deepQueryAll<E>(root, selector)[0] ?? null;
}

/** The deepest focused element, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
