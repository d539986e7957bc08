// Its own module, so that session.ts (which makes one) and session-store.ts
// (which keeps them) need not import each other.

/** What a store keeps about a session besides its conversation. Times are ms since the Unix epoch. */
export interface SessionRecord {
  id: string;
  userId: string;
  title?: string;
  model?: string;
  createdAt: number;
  updatedAt: number;
  lastActiveAt: number;
  /** Messages in the conversation as of the last checkpoint, for lists of sessions not loaded here. */
  messageCount: number;
  /** Id of the last event as of the last checkpoint. */
  lastEventId: number;
}
