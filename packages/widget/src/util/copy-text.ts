import type { CodeBlockLabels } from '../markdown/code-blocks.js';

/** Copies text to the clipboard; resolves false where the Clipboard API is unavailable or refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Handles a click on a code block's copy button (event delegation from the
 * markdown container): copies the code and shows "Copied" for a moment.
 */
export function onCodeCopyClick(event: Event, labels: CodeBlockLabels): void {
  const button = (event.target as Element | null)?.closest?.('button[data-copy-code]');
  if (!button) return;
  const code = button.parentElement?.querySelector('code');
  void copyText(code?.textContent ?? '').then((ok) => {
    if (!ok) return;
    const label = button.textContent;
    button.textContent = labels.copied;
    setTimeout(() => (button.textContent = label), 1500);
  });
}
