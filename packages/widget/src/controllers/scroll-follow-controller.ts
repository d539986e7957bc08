import type { ReactiveController, ReactiveElement } from 'lit';

/** Distance from the bottom, in px, within which the view counts as "at the bottom". */
const STICK_THRESHOLD_PX = 48;
/** How long after the user's wheel, touch, key or pointer a scroll away counts as theirs, in ms. */
const INTENT_MS = 1000;

/**
 * Keeps a scrolling box at its bottom while content grows, unless the user
 * scrolled up. Only the user leaves the bottom: a scroll away counts when it
 * follows their input (bind {@link ScrollFollowController.noteIntent} to
 * wheel, touchstart, keydown and pointerdown, {@link ScrollFollowController.onScroll}
 * to scroll); anything else that moves the view (layout settling, content
 * shrinking) is undone while following. Growth is followed through a
 * ResizeObserver on `boxes` (the content column and the box itself), after
 * the browser's own layout, so following never forces a second layout per frame.
 * The host re-renders when {@link ScrollFollowController.atBottom} changes (e.g. to show "Jump to latest").
 */
export class ScrollFollowController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #scroller: string;
  readonly #boxes: string;
  #atBottom = true;
  /** When the user last wheeled, touched, pressed a key or grabbed the scrollbar (`performance.now()`). */
  #intentAt = -Infinity;
  #observer: ResizeObserver | undefined;

  /**
   * @param scroller selector of the scrolling box in the host's render root.
   * @param boxes selector of the boxes whose size changes are followed (the content and the scrolling box).
   */
  constructor(host: ReactiveElement, scroller: string, boxes: string) {
    this.#host = host;
    this.#scroller = scroller;
    this.#boxes = boxes;
    host.addController(this);
  }

  /** Whether the view is at (or near) the bottom, following new content. Changed only by scrolling. */
  get atBottom(): boolean {
    return this.#atBottom;
  }

  hostConnected(): void {
    this.#observer ??= new ResizeObserver(() => {
      if (this.#atBottom) this.#follow();
    });
    this.#observe();
  }

  hostUpdated(): void {
    if (!this.#host.hasUpdated) this.#observe();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }

  #observe(): void {
    for (const box of this.#host.renderRoot.querySelectorAll(this.#boxes)) this.#observer?.observe(box);
  }

  /** Scrolls to the end and follows new content again. */
  scrollToLatest(): void {
    this.#atBottom = true;
    this.toBottom();
    this.#host.requestUpdate();
  }

  /** Scrolls to the end, without changing whether the view follows. */
  toBottom(): void {
    const box = this.#box();
    if (box) box.scrollTop = box.scrollHeight;
  }

  #box(): HTMLElement | null {
    return this.#host.renderRoot.querySelector(this.#scroller);
  }

  #distance(box: HTMLElement): number {
    return box.scrollHeight - box.scrollTop - box.clientHeight;
  }

  #recentIntent(): boolean {
    return performance.now() - this.#intentAt < INTENT_MS;
  }

  /** Keeps the view at the bottom, unless the user has just moved it away (their scroll event may still be on its way). */
  #follow(): void {
    const box = this.#box();
    if (!box) return;
    if (this.#distance(box) >= STICK_THRESHOLD_PX && this.#recentIntent()) {
      this.#atBottom = false;
      this.#host.requestUpdate();
      return;
    }
    this.toBottom();
  }

  /** Listener for the user's input in the box (wheel, touchstart, keydown, pointerdown). */
  noteIntent = (): void => {
    this.#intentAt = performance.now();
  };

  /** Listener for the box's `scroll`. */
  onScroll = (): void => {
    const box = this.#box();
    if (!box) return;
    const atBottom = this.#distance(box) < STICK_THRESHOLD_PX;
    if (!atBottom && this.#atBottom && !this.#recentIntent()) {
      this.toBottom();
      return;
    }
    if (atBottom !== this.#atBottom) {
      this.#atBottom = atBottom;
      this.#host.requestUpdate();
    }
  };
}
