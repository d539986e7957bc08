import type { AttachmentStore } from '../stores/attachment-store.js';
import type { SessionStore } from '../stores/session-store.js';

/**
 * The session store, whose `delete` also deletes the session's attachments:
 * whichever way a session goes (deleted by its user, expired when idle), its
 * files go with it. Everything else is the store's own.
 */
export function withAttachmentCleanup(
  store: SessionStore,
  attachments: AttachmentStore,
  logger: Pick<Console, 'error'>,
): SessionStore {
  const remove = async (id: string) => {
    await store.delete(id);
    try {
      await attachments.deleteSession(id);
    } catch (error) {
      logger.error(`[agent-chat] could not delete the attachments of session ${id}:`, error);
    }
  };
  const close = async () => {
    await store.close();
    await attachments.close?.();
  };
  return new Proxy(store, {
    get(target, key) {
      if (key === 'delete') return remove;
      if (key === 'close') return close;
      const value: unknown = Reflect.get(target, key, target);
      // Bound to the store itself: its methods may use private fields, which a proxy does not carry.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
