import { LitElement, css, html } from 'lit';
import { assert, assertEqual, waitFor } from '../test-support/assert.js';
import { ScrollFollowController } from './scroll-follow-controller.js';

class FollowHost extends LitElement {
  static override styles = css`
    .box { height: 200px; overflow-y: auto; }
    .line { height: 40px; }
  `;
  static override properties = { lines: { type: Number } };
  declare lines: number;
  readonly follow = new ScrollFollowController(this, '.box', '.column, .box');
  renders = 0;

  constructor() {
    super();
    this.lines = 20;
  }

  protected override render() {
    this.renders++;
    return html`<div
      class="box"
      @scroll=${this.follow.onScroll}
      @wheel=${this.follow.noteIntent}
      @pointerdown=${this.follow.noteIntent}
      @keydown=${this.follow.noteIntent}
      @touchstart=${this.follow.noteIntent}
    >
      <div class="column">${Array.from({ length: this.lines }, (_, i) => html`<div class="line">${i}</div>`)}</div>
    </div>`;
  }

  get box(): HTMLElement {
    return this.shadowRoot!.querySelector('.box')!;
  }
}
customElements.define('scroll-follow-host', FollowHost);

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
};
const atEnd = (box: HTMLElement) => box.scrollHeight - box.scrollTop - box.clientHeight < 1;

async function mountHost(): Promise<FollowHost> {
  const el = document.createElement('scroll-follow-host') as FollowHost;
  document.body.append(el);
  await el.updateComplete;
  el.follow.toBottom();
  await frames(2);
  return el;
}

describe('ScrollFollowController', () => {
  afterEach(() => document.querySelectorAll('scroll-follow-host').forEach((el) => el.remove()));

  it('follows content that grows while at the bottom, after layout (ResizeObserver)', async () => {
    const el = await mountHost();
    assert(atEnd(el.box), 'starts at the end');
    for (let i = 0; i < 5; i++) {
      el.lines += 3;
      await el.updateComplete;
      await waitFor(() => atEnd(el.box), `the end after growth ${i}`);
    }
    assert(el.follow.atBottom, 'still following');
  });

  it('a scroll away without user input (layout settling) is undone; one after the user’s input leaves the bottom', async () => {
    const el = await mountHost();
    el.box.scrollTop = 0;
    await waitFor(() => atEnd(el.box), 'brought back down');
    assert(el.follow.atBottom, 'still following');

    const renders = el.renders;
    el.box.dispatchEvent(new WheelEvent('wheel', { deltaY: -400, bubbles: true }));
    el.box.scrollTop = 0;
    await waitFor(() => !el.follow.atBottom, 'the user left the bottom');
    await el.updateComplete;
    assert(el.renders > renders, 'the host re-rendered (e.g. for "Jump to latest")');

    el.lines += 10;
    await el.updateComplete;
    await frames(3);
    assertEqual(el.box.scrollTop, 0, 'growth does not pull the user down');

    // The wheel is more than a second old by the time the user asks to jump (its button lies outside the box).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    el.follow.scrollToLatest();
    assert(atEnd(el.box) && el.follow.atBottom, 'scrollToLatest goes down and follows again');
    el.lines += 5;
    await el.updateComplete;
    await waitFor(() => atEnd(el.box), 'following again');
  });

  it('scrolling back to the bottom follows again', async () => {
    const el = await mountHost();
    el.box.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    el.box.scrollTop = 0;
    await waitFor(() => !el.follow.atBottom, 'away');
    el.box.scrollTop = el.box.scrollHeight;
    await waitFor(() => el.follow.atBottom, 'back at the bottom');
  });
});
