// Its own module: sessions/session.ts makes records and stores/session-store.ts
// keeps them, and neither imports the other.

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
