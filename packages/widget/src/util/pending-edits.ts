/**
 * Edited inputs of tool calls waiting for approval, kept in `sessionStorage`
 * so that a reload (same tab) neither loses an edit nor lets the original
 * input run unseen: `<agent-chat>` restores them with their "(edited)" mark and
 * forgets them once the approval is sent or no call waits any more.
 * Every function is a no-op where storage is missing or refuses (private
 * modes, sandboxed frames, quota): the edit then lives as long as the page.
 */

/** `sessionStorage` key of the pending edits of session `sessionId` at `endpoint`. */
export function pendingEditsStorageKey(endpoint: string, sessionId: string): string {
  return `agent-chat:edits:${endpoint}:${sessionId}`;
}

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The stored edits by tool call id, limited to `pending` ids; empty when none or unreadable. */
export function loadPendingEdits(key: string, pending: readonly string[]): Map<string, unknown> {
  const edits = new Map<string, unknown>();
  try {
    const text = storage()?.getItem(key);
    const stored: unknown = text ? JSON.parse(text) : undefined;
    if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return edits;
    for (const id of pending) if (Object.hasOwn(stored, id)) edits.set(id, (stored as Record<string, unknown>)[id]);
  } catch {
    // Unreadable or not ours: nothing to restore.
  }
  return edits;
}

/** Stores `edits` under `key`, or removes the key when there are none. */
export function savePendingEdits(key: string, edits: ReadonlyMap<string, unknown>): void {
  try {
    if (edits.size === 0) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(Object.fromEntries(edits)));
  } catch {
    // Storage full or refused: the edit stays in memory only.
  }
}
