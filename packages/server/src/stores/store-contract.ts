/**
 * The store contract: what a session store and an attachment store implement.
 * `@agent-chat/server` exports it, and so do the store entries (`/sqlite`,
 * `/redis`), whose signatures use it, so that each entry's API reads on its own.
 */
export type { CreateRefusal, EventLogHooks, LoadedSession, MaybePromise, SessionLimits, SessionRecord, SessionStore } from './session-store.js';
export type { AttachmentRecord, AttachmentStore } from './attachment-store.js';
export type { EventListener, EventLog } from '../sessions/event-log.js';
