import { LitElement, html } from 'lit';
import { defineLazyElement } from '../define-element.js';
import { assertEqual, waitFor } from '../test-support/assert.js';
import { LazyPartsController } from './lazy-parts-controller.js';

let okLoads = 0;
let flakyLoads = 0;
let flakyWorks = false;
defineLazyElement('lazy-ok-part', async () => {
  okLoads++;
  return class extends HTMLElement {};
});
defineLazyElement('lazy-flaky-part', async () => {
  flakyLoads++;
  if (!flakyWorks) throw new TypeError('Failed to fetch dynamically imported module: parts/flaky.js');
  return class extends HTMLElement {};
});

class PartsHost extends LitElement {
  shown = new Set<string>();
  wanted: string[] = [];
  errors: unknown[] = [];
  readonly parts = new LazyPartsController(
    this,
    (tag) => this.shown.has(tag),
    (error) => this.errors.push(error),
    () => this.wanted,
  );
  protected override render() {
    return html``;
  }
}
customElements.define('lazy-parts-host', PartsHost);

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('LazyPartsController', () => {
  it('loads the parts wanted before each update, each once', async () => {
    const el = document.createElement('lazy-parts-host') as PartsHost;
    el.wanted = ['lazy-ok-part'];
    document.body.append(el);
    await waitFor(() => customElements.get('lazy-ok-part'), 'the part defined');
    for (let i = 0; i < 5; i++) {
      el.requestUpdate();
      await el.updateComplete;
    }
    el.parts.load('lazy-ok-part');
    assertEqual(okLoads, 1, 'one load');
    el.remove();
  });

  it('a failed prefetch is tried again when shown; a shown failure is reported once and tried again only after retryFailed', async () => {
    const el = document.createElement('lazy-parts-host') as PartsHost;
    document.body.append(el);
    await el.updateComplete;

    // Prefetch (not shown): fails quietly.
    el.parts.load('lazy-flaky-part');
    await settle();
    assertEqual(flakyLoads, 1, 'prefetched');
    el.parts.load('lazy-flaky-part');
    await settle();
    assertEqual(flakyLoads, 1, 'a failed prefetch is not retried while not shown');
    assertEqual(el.errors.length, 0, 'nor reported');

    // Shown: tried again, fails, reported.
    el.shown.add('lazy-flaky-part');
    el.parts.load('lazy-flaky-part');
    await settle();
    assertEqual(flakyLoads, 2, 'tried again once shown');
    assertEqual(el.errors.length, 1, 'reported');
    for (let i = 0; i < 5; i++) el.parts.load('lazy-flaky-part');
    await settle();
    assertEqual(flakyLoads, 2, 'no request per render to a server that is down');
    assertEqual(el.errors.length, 1, 'reported once');

    // The next turn: tried again, and now it loads.
    flakyWorks = true;
    el.parts.retryFailed();
    el.parts.load('lazy-flaky-part');
    await waitFor(() => customElements.get('lazy-flaky-part'), 'the part defined');
    assertEqual(flakyLoads, 3, 'one more load');
    el.parts.retryFailed();
    el.parts.load('lazy-flaky-part');
    assertEqual(flakyLoads, 3, 'a loaded part is never loaded again');
    el.remove();
  });
});
