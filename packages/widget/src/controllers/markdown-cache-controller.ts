import { html, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ChatMessage } from '@agent-chat/core';
import { StreamingMarkdown, type StreamingMarkdownOptions } from '../markdown/streaming-markdown.js';
import type { CodeBlockLabels } from '../markdown/code-blocks.js';

/**
 * Markdown work per update, in ms: past it, parts still to render wait for
 * the next task (a history, a reload, a huge answer), so no task runs long.
 * Each renderer's step is bounded too (see StreamingMarkdown).
 */
const MARKDOWN_SLICE_MS = 8;

type CodeBlocks = typeof import('../markdown/code-blocks.js');
/** code-blocks.ts (copy buttons and highlighting of fenced code), loaded with the first completed block that holds code. */
let codeBlocks: Promise<CodeBlocks> | undefined;

/** Runs `use` with code-blocks.ts, loading it the first time. A failed load is reported (the code stays plain) and tried again for the next block. */
async function withCodeBlocks(use: (m: CodeBlocks) => void): Promise<void> {
  let loaded: CodeBlocks;
  try {
    loaded = await (codeBlocks ??= import('../markdown/code-blocks.js'));
  } catch (error) {
    codeBlocks = undefined;
    reportError(error);
    return;
  }
  use(loaded);
}

/**
 * One incremental markdown renderer per message part (key `<messageId>:<partIndex>`),
 * kept across renders so a streamed answer's completed blocks are rendered once.
 * Each host update spends at most 8 ms on markdown (plus one step, so every update
 * moves on) and continues the rest in a task of its own ({@link MarkdownCacheController.pending}).
 * A part whose markdown throws shows as plain text from then on: one message never
 * breaks the others. Completed parts get their code blocks' copy buttons and
 * highlighting (loaded on the first code block) and keyboard-reachable tables.
 */
export class MarkdownCacheController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #options: () => StreamingMarkdownOptions;
  readonly #labels: () => CodeBlockLabels;
  readonly #renderers = new Map<string, StreamingMarkdown>();
  /** Parts whose markdown failed to render: shown as plain text. */
  readonly #failed = new Set<string>();
  /** Completed parts whose code blocks and tables were enhanced. */
  readonly #enhanced = new Set<string>();
  /** `performance.now()` past which this update starts no markdown work. */
  #deadline = Infinity;
  #pending = false;
  /** Whether this update made its one step past the deadline. */
  #forced = false;
  #continueTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param options the options of a new renderer (sanitizer, image policy); call {@link MarkdownCacheController.clear} when they change.
   * @param labels the code blocks' button labels.
   */
  constructor(host: ReactiveElement, options: () => StreamingMarkdownOptions, labels: () => CodeBlockLabels) {
    this.#host = host;
    this.#options = options;
    this.#labels = labels;
    host.addController(this);
  }

  /** The renderers by part, for tests and benchmarks (stats). */
  get renderers(): ReadonlyMap<string, StreamingMarkdown> {
    return this.#renderers;
  }

  /** Whether markdown is left over from the last update; a later task continues it. */
  get pending(): boolean {
    return this.#pending;
  }

  hostUpdate(): void {
    this.#deadline = performance.now() + MARKDOWN_SLICE_MS;
    this.#pending = this.#forced = false;
  }

  hostUpdated(): void {
    if (this.#pending) {
      this.#continueTimer ??= setTimeout(() => {
        this.#continueTimer = undefined;
        this.#host.requestUpdate();
      }, 0);
    }
    for (const container of this.#host.renderRoot.querySelectorAll<HTMLElement>('.markdown[data-done]')) {
      const key = container.dataset.key!;
      if (this.#enhanced.has(key)) continue;
      this.#enhanced.add(key);
      if (container.querySelector('pre')) {
        const labels = this.#labels();
        void withCodeBlocks((m) => m.enhanceCodeBlocks(container, labels));
      }
      // A wide table scrolls sideways: keyboard users must be able to reach it.
      for (const table of container.querySelectorAll('table')) table.tabIndex = 0;
    }
  }

  /** The markdown of part `key` with text `text` (`done`: the part is complete). */
  render(key: string, text: string, done: boolean): TemplateResult {
    if (!this.#failed.has(key)) {
      try {
        let renderer = this.#renderers.get(key);
        if (!renderer) this.#renderers.set(key, (renderer = new StreamingMarkdown(this.#options())));
        // Once this update's markdown time is spent, the rest waits for the next task (see hostUpdated()),
        // except one step per update, so that every update moves on.
        let blocks = renderer.blocks;
        let pending = true;
        if (performance.now() < this.#deadline || !this.#forced) {
          if (performance.now() >= this.#deadline) this.#forced = true;
          blocks = renderer.update(text, { done, deadline: this.#deadline });
          pending = renderer.pending;
        }
        if (pending) this.#pending = true;
        return html`<div class="markdown" part="markdown" data-key=${key} ?data-done=${done && !pending}>
          ${repeat(blocks, (b) => b.key, (b) => unsafeHTML(b.html))}
        </div>`;
      } catch (error) {
        // One message's text must never break the others or the element: this one shows as plain text.
        this.#failed.add(key);
        this.#renderers.delete(key);
        console.warn('agent-chat: markdown could not be rendered; showing it as text', error);
      }
    }
    return html`<div class="markdown plain" part="markdown" data-key=${key}><p>${text}</p></div>`;
  }

  /** Forgets every renderer: they were made for options that changed. */
  clear(): void {
    this.#renderers.clear();
    this.#enhanced.clear();
    this.#failed.clear();
  }

  /** Drops renderers of parts no longer in `messages` (after undo, truncate, session switch), once there are many. */
  prune(messages: readonly ChatMessage[]): void {
    if (this.#renderers.size <= messages.length * 2 + 16) return;
    const ids = new Set(messages.map((m) => m.id));
    const gone = (key: string) => !ids.has(key.slice(0, key.lastIndexOf(':')));
    for (const key of this.#renderers.keys()) if (gone(key)) this.#renderers.delete(key);
    for (const key of this.#enhanced) if (gone(key)) this.#enhanced.delete(key);
  }
}
