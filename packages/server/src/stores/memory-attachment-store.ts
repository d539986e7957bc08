import { collectBytes, streamOfBytes, type AttachmentRecord, type AttachmentStore } from './attachment-store.js';

/**
 * The default {@link AttachmentStore}: bytes in this process's memory, gone
 * at a restart (as the memory session store's sessions are). For one process.
 */
export function memoryAttachmentStore(): AttachmentStore {
  /** By session id, then attachment id. */
  const sessions = new Map<string, Map<string, { record: AttachmentRecord; bytes: Uint8Array }>>();
  return {
    kind: 'memory',
    async put(id, bytes, describe) {
      const all = await collectBytes(bytes);
      const record = await describe();
      let files = sessions.get(record.sessionId);
      if (!files) sessions.set(record.sessionId, (files = new Map()));
      files.set(id, { record, bytes: all });
      return record;
    },
    get: (sessionId, id) => sessions.get(sessionId)?.get(id)?.record,
    open(sessionId, id) {
      const file = sessions.get(sessionId)?.get(id);
      return file ? streamOfBytes(file.bytes) : undefined;
    },
    update(record) {
      const file = sessions.get(record.sessionId)?.get(record.id);
      if (file) file.record = record;
    },
    delete(sessionId, id) {
      const files = sessions.get(sessionId);
      files?.delete(id);
      if (files?.size === 0) sessions.delete(sessionId);
    },
    list: (sessionId) => [...(sessions.get(sessionId)?.values() ?? [])].map((f) => f.record),
    deleteSession(sessionId) {
      sessions.delete(sessionId);
    },
  };
}
