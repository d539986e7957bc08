import { LitElement, html } from 'lit';
import { assert, assertEqual } from '../test-support/assert.js';
import { FrameBatchController } from './frame-batch-controller.js';

class BatchedHost extends LitElement {
  static override properties = { value: { type: Number } };
  declare value: number;
  streaming = false;
  renders = 0;
  readonly frames = new FrameBatchController(this, () => this.streaming);

  constructor() {
    super();
    this.value = 0;
  }

  protected override async scheduleUpdate(): Promise<void> {
    await this.frames.frame();
    super.scheduleUpdate();
  }

  protected override render() {
    this.renders++;
    return html`${this.value}`;
  }
}
customElements.define('frame-batch-host', BatchedHost);

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

describe('FrameBatchController', () => {
  it('renders at once while inactive, and once per animation frame while active however many changes come', async () => {
    const el = document.createElement('frame-batch-host') as BatchedHost;
    document.body.append(el);
    await el.updateComplete;
    assertEqual(el.frames.frame(), undefined, 'inactive: nothing to wait for');

    el.value = 1;
    await el.updateComplete;
    assertEqual(el.renders, 2, 'an inactive change renders in a microtask');

    el.streaming = true;
    const start = el.renders;
    await frame();
    for (let i = 0; i < 50; i++) {
      el.value = 100 + i;
      await Promise.resolve();
      await Promise.resolve();
    }
    assertEqual(el.renders, start, 'no render before the frame');
    await el.updateComplete;
    assertEqual(el.renders, start + 1, 'one render for the burst');
    assertEqual(el.shadowRoot!.textContent, '149', 'with every change in it');
    el.remove();
  });

  it('a host taken out of the page renders at once instead of waiting for a frame', async () => {
    const el = document.createElement('frame-batch-host') as BatchedHost;
    document.body.append(el);
    await el.updateComplete;
    el.streaming = true;
    await frame();
    el.value = 7;
    let done = false;
    void el.updateComplete.then(() => (done = true));
    await Promise.resolve();
    el.remove();
    // Microtasks only: no animation frame can come in between.
    for (let i = 0; i < 20 && !done; i++) await Promise.resolve();
    assert(done, 'rendered without a frame');
    assertEqual(el.shadowRoot!.textContent, '7', 'the change is drawn');
  });
});
