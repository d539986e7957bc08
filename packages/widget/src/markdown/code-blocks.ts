import { highlight } from './highlight.js';

/*
 * Loaded by `<agent-chat-messages>` when the first completed block holds code, with
 * highlight.ts: a conversation without code never loads either. The copy buttons'
 * clicks are handled by util/copy-text.ts, which loads at once.
 */

/** Marks a `<pre>` already given its copy button and highlighting, so each block is enhanced once. */
const ENHANCED = 'data-enhanced';

export interface CodeBlockLabels {
  copyCode: string;
  copied: string;
}

/**
 * Adds a copy button to every fenced code block under `root` that has none yet
 * and highlights it when its language is known. Only call it on completed
 * blocks (their HTML never changes again), so each block costs this once.
 * Highlighting is async; a block replaced meanwhile is left alone.
 */
export function enhanceCodeBlocks(root: ParentNode, labels: CodeBlockLabels): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>(`pre:not([${ENHANCED}])`)) {
    const code = pre.querySelector(':scope > code');
    if (!code) continue;
    pre.setAttribute(ENHANCED, '');
    pre.setAttribute('part', 'code-block');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-code ghost';
    button.setAttribute('part', 'copy-code');
    button.setAttribute('data-copy-code', '');
    button.setAttribute('aria-label', labels.copyCode);
    button.textContent = labels.copyCode.split(' ')[0]!;
    pre.prepend(button);
    const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1];
    if (!language) continue;
    queueHighlight(code, language);
  }
}

/** Code elements waiting to be highlighted, oldest first. */
const queue: { code: Element; language: string }[] = [];
let draining = false;
/** Longest stretch of highlighting in one task, in ms: well inside a frame, far from a long task. */
const SLICE_MS = 8;

function nextIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 500 });
    else setTimeout(resolve, 0);
  });
}

/**
 * Highlights `code` later, in idle time and in slices of about {@link SLICE_MS}:
 * a long answer completes dozens of code blocks, and highlighting them all in
 * the task that rendered them (or in one microtask burst once highlight.js has
 * loaded) made tasks of 50 to 90 ms. A block replaced or changed meanwhile is skipped.
 */
function queueHighlight(code: Element, language: string): void {
  queue.push({ code, language });
  if (!draining) void drain();
}

async function drain(): Promise<void> {
  draining = true;
  try {
    while (queue.length > 0) {
      await nextIdle();
      const sliceEnd = performance.now() + SLICE_MS;
      do {
        const { code, language } = queue.shift()!;
        if (!code.isConnected) continue;
        // `source` is the code as text, read back from the DOM; highlight.js escapes it and adds only its own `<span class>`es.
        const source = code.textContent ?? '';
        // Loads highlight.js and the language the first time (a separate task), then highlights synchronously.
        const html = await highlight(source, language);
        if (html !== undefined && code.isConnected && code.textContent === source) {
          code.innerHTML = html;
          code.classList.add('hljs');
        }
      } while (queue.length > 0 && performance.now() < sliceEnd);
    }
  } finally {
    draining = false;
  }
}
