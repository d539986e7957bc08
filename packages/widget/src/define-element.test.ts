import { defineElement, ensureDefined } from './define-element.js';
import { assert, assertEqual, assertMatch } from './test-support/assert.js';

/* Registration on first need: `lazyDependencies` recorded by defineElement, loaded by ensureDefined. */

class Leaf extends HTMLElement {}
class Part extends HTMLElement {
  static dependencies = { 'test-leaf': Leaf };
}

describe('defineElement and ensureDefined', () => {
  it('records lazy dependencies, loads each once on first need, with the dependencies of what it loads', async () => {
    let loads = 0;
    class Host extends HTMLElement {
      static lazyDependencies = {
        'test-part': async () => {
          loads++;
          await new Promise((r) => setTimeout(r, 10));
          return Part;
        },
      };
    }
    defineElement('test-host', Host);
    assertEqual(customElements.get('test-host'), Host, 'the host is defined');
    assertEqual(customElements.get('test-part'), undefined, 'the lazy part is not');
    assertEqual(loads, 0, 'nor loaded');

    const [first, second] = await Promise.all([ensureDefined('test-part'), ensureDefined('test-part')]);
    assertEqual(loads, 1, 'one load for both calls');
    assert(first === Part && second === Part, 'both resolve with the class');
    assertEqual(customElements.get('test-part'), Part, 'defined');
    assertEqual(customElements.get('test-leaf'), Leaf, 'with its own dependencies');
    assertEqual(await ensureDefined('test-part'), Part, 'at once when defined');
    assertEqual(loads, 1, 'no further load');
  });

  it('rejects when the load fails, and loads again on the next call', async () => {
    let loads = 0;
    class Flaky extends HTMLElement {}
    class Host extends HTMLElement {
      static lazyDependencies = {
        'test-flaky': () => (++loads === 1 ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve(Flaky)),
      };
    }
    defineElement('test-flaky-host', Host);
    const error = await ensureDefined('test-flaky').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assertMatch(String(error?.message), /Failed to fetch/, 'the failure');
    assertEqual(customElements.get('test-flaky'), undefined, 'not defined');
    assertEqual(await ensureDefined('test-flaky'), Flaky, 'the retry defines it');
    assertEqual(loads, 2, 'two loads');
  });

  it('waits for the page to define a tag nobody registered a loader for', async () => {
    let resolved: CustomElementConstructor | undefined;
    const pending = ensureDefined('test-by-the-page').then((c) => (resolved = c));
    await new Promise((r) => setTimeout(r, 10));
    assertEqual(resolved, undefined, 'still waiting');
    class ByThePage extends HTMLElement {}
    customElements.define('test-by-the-page', ByThePage);
    await pending;
    assertEqual(resolved, ByThePage, 'resolved with the page’s class');
  });

  it('keeps the first loader recorded for a tag', async () => {
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    defineElement('test-owner-a', class extends HTMLElement {
      static lazyDependencies = { 'test-shared': () => Promise.resolve(First) };
    });
    defineElement('test-owner-b', class extends HTMLElement {
      static lazyDependencies = { 'test-shared': () => Promise.resolve(Second) };
    });
    assertEqual(await ensureDefined('test-shared'), First, 'the first registration wins, as for eager dependencies');
  });
});
