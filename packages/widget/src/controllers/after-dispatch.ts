/**
 * Runs `action` once `event`'s dispatch is over, unless a listener cancelled it.
 *
 * A part fires a cancelable `*` event for a user action (send, edit, undo, model
 * change) and the element acts on it; the event is still on its way to the
 * host's listeners when the element hears it, so acting at once would leave
 * them no veto. A microtask runs after every listener of a synchronous dispatch.
 */
export function afterDispatch(event: Event, action: () => void): void {
  queueMicrotask(() => {
    if (!event.defaultPrevented) action();
  });
}
