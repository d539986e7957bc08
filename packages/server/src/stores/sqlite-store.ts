import { createConversationState, eventTypesWith, type AgentEvent, type ConversationState, type SequencedEvent } from '@agent-chat/core';
import Database from 'better-sqlite3';
import { MemoryEventLog, type EventLog } from '../sessions/event-log.js';
import {
  turnLostEvent,
  type CreateRefusal,
  type EventLogHooks,
  type LoadedSession,
  type SessionLimits,
  type SessionRecord,
  type SessionStore,
} from './session-store.js';
import { DEFAULT_RETAIN_EVENTS, trimLog } from './memory-store.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file, created if missing (`:memory:` for a throwaway database). */
  path: string;
  /**
   * Events each session keeps once a turn has ended; older ones are deleted
   * and a client resuming from before them gets a `snapshot`. Default 1 000.
   */
  retainEvents?: number;
  /** Where write failures are reported. Default `console`. */
  logger?: Pick<Console, 'warn' | 'error'>;
}

/** Why the SQLite store refused to open a database. */
export type SqliteStoreErrorCode = 'schema_too_new';

/** Thrown by {@link sqliteStore}. */
export class SqliteStoreError extends Error {
  readonly code: SqliteStoreErrorCode;
  constructor(code: SqliteStoreErrorCode, message: string) {
    super(message);
    this.name = 'SqliteStoreError';
    this.code = code;
  }
}

/**
 * The schema, one migration per version (`PRAGMA user_version` is the number
 * applied). Append new migrations; never edit an applied one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     title TEXT,
     model TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     last_active_at INTEGER NOT NULL,
     message_count INTEGER NOT NULL DEFAULT 0,
     last_event_id INTEGER NOT NULL DEFAULT 0,
     -- The reduced conversation (JSON) as of event state_event_id.
     state TEXT,
     state_event_id INTEGER NOT NULL DEFAULT 0,
     -- The turn in progress per the log (set by processing, cleared by its end): lost if the process dies.
     running_turn TEXT
   );
   CREATE INDEX sessions_by_user ON sessions (user_id, created_at DESC);
   CREATE TABLE events (
     session_id TEXT NOT NULL,
     id INTEGER NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (session_id, id)
   ) WITHOUT ROWID;`,
];

interface SessionRow {
  id: string;
  user_id: string;
  title: string | null;
  model: string | null;
  created_at: number;
  updated_at: number;
  last_active_at: number;
  message_count: number;
  last_event_id: number;
  state: string | null;
  state_event_id: number;
  running_turn: string | null;
}

/** Events after which no turn is running (core's `EVENT_TRAITS`). */
const TURN_ENDS: ReadonlySet<string> = new Set(eventTypesWith('endsTurn'));

/**
 * A {@link SessionStore} in one SQLite file (better-sqlite3), for one server
 * process: sessions, their history and their event logs survive a restart.
 * Every event is written as it is appended (synchronously, WAL journal), the
 * conversation is checkpointed when the session settles, and logs are trimmed
 * to `retainEvents` after each turn.
 *
 * A turn that was running when the process died is ended when the store opens:
 * its log gets `error` with code `turn_lost` (retryable), and the session takes
 * new turns. The schema is versioned ({@link SQLITE_MIGRATIONS}).
 *
 * Only one process may use the file at a time; for several, use `redisStore`.
 *
 * @throws {SqliteStoreError} `schema_too_new` for a database written by a newer version.
 * @throws what better-sqlite3 throws for a file that cannot be opened.
 */
export function sqliteStore(options: SqliteStoreOptions): SessionStore {
  const retain = options.retainEvents ?? DEFAULT_RETAIN_EVENTS;
  const logger = options.logger ?? console;
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL survives a process crash (what this store is for), not a power cut of the host.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const q = {
    countAll: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions'),
    countUser: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM sessions WHERE user_id = ?'),
    insert: db.prepare(
      `INSERT INTO sessions (id, user_id, title, model, created_at, updated_at, last_active_at)
       VALUES (@id, @userId, @title, @model, @createdAt, @updatedAt, @lastActiveAt)`,
    ),
    get: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    list: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at DESC, rowid DESC'),
    events: db.prepare<[string], { id: number; data: string }>('SELECT id, data FROM events WHERE session_id = ? ORDER BY id'),
    lastEvent: db.prepare<[string], { id: number | null }>('SELECT max(id) AS id FROM events WHERE session_id = ?'),
    append: db.prepare('INSERT INTO events (session_id, id, data) VALUES (?, ?, ?)'),
    runningTurn: db.prepare('UPDATE sessions SET running_turn = ? WHERE id = ?'),
    update: db.prepare('UPDATE sessions SET title = @title, model = @model, updated_at = @updatedAt, last_active_at = @lastActiveAt WHERE id = @id'),
    checkpoint: db.prepare(
      `UPDATE sessions SET title = @title, model = @model, updated_at = @updatedAt, last_active_at = @lastActiveAt,
         message_count = @messageCount, last_event_id = @lastEventId, state = @state, state_event_id = @stateEventId
       WHERE id = @id`,
    ),
    trim: db.prepare('DELETE FROM events WHERE session_id = ? AND id <= ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    deleteEvents: db.prepare('DELETE FROM events WHERE session_id = ?'),
    lost: db.prepare<[], { id: string; running_turn: string }>('SELECT id, running_turn FROM sessions WHERE running_turn IS NOT NULL'),
  };

  const createIfRoom = db.transaction((record: SessionRecord, limits: SessionLimits): CreateRefusal | undefined => {
    if (q.get.get(record.id)) return 'session_exists';
    if (q.countAll.get()!.n >= limits.maxSessions) return 'too_many_sessions';
    if (q.countUser.get(record.userId)!.n >= limits.maxSessionsPerUser) return 'session_limit';
    q.insert.run({ ...record, title: record.title ?? null, model: record.model ?? null });
    return undefined;
  });

  const deleteSession = db.transaction((id: string) => {
    q.deleteEvents.run(id);
    q.deleteSession.run(id);
  });

  /** Writes one event as it is appended, and tracks the turn in progress. */
  const write = (sessionId: string, { id, event }: SequencedEvent) => {
    try {
      q.append.run(sessionId, id, JSON.stringify(event));
      if (event.type === 'processing' && event.userMessage) q.runningTurn.run(event.turnId, sessionId);
      else if (TURN_ENDS.has(event.type) || (event.type === 'snapshot' && !event.processing)) q.runningTurn.run(null, sessionId);
    } catch (error) {
      logger.error(`[agent-chat] sqlite store: could not write event ${id} of session ${sessionId}:`, error);
    }
  };

  const newLog = (sessionId: string, hooks: EventLogHooks, events: SequencedEvent[], startAfter: number) =>
    new MemoryEventLog({
      onListenerError: hooks.onListenerError,
      events,
      startAfter,
      onAppend: (event) => write(sessionId, event),
    });

  // The previous process died mid-turn in these sessions: end each turn in its log, once, now.
  const endLostTurns = db.transaction(() => {
    for (const { id, running_turn } of q.lost.all()) {
      const last = q.lastEvent.get(id)?.id ?? q.get.get(id)!.state_event_id;
      write(id, { id: last + 1, event: turnLostEvent(running_turn) });
    }
  });
  endLostTurns();

  return {
    kind: 'sqlite',
    durable: true,
    create(record, limits, hooks): EventLog | CreateRefusal {
      return createIfRoom(record, limits) ?? newLog(record.id, hooks, [], 0);
    },
    load(id, hooks): LoadedSession | undefined {
      const row = q.get.get(id);
      if (!row) return undefined;
      const state: ConversationState = row.state ? (JSON.parse(row.state) as ConversationState) : createConversationState(id);
      const events = q.events.all(id).map((e) => ({ id: e.id, event: JSON.parse(e.data) as AgentEvent }));
      return { record: toRecord(row), state, log: newLog(id, hooks, events, row.state_event_id) };
    },
    list: (userId) => q.list.all(userId).map(toRecord),
    count: () => q.countAll.get()!.n,
    update(record) {
      try {
        q.update.run({ ...record, title: record.title ?? null, model: record.model ?? null });
      } catch (error) {
        logger.error(`[agent-chat] sqlite store: could not update session ${record.id}:`, error);
      }
    },
    checkpoint(record, state, log) {
      try {
        q.checkpoint.run({
          ...record,
          title: record.title ?? null,
          model: record.model ?? null,
          state: JSON.stringify(state),
          stateEventId: state.lastEventId,
        });
        const upTo = trimLog(log, state, retain);
        if (upTo > 0) q.trim.run(record.id, upTo);
      } catch (error) {
        logger.error(`[agent-chat] sqlite store: could not checkpoint session ${record.id}:`, error);
      }
    },
    delete(id) {
      deleteSession(id);
    },
    forget() {},
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_MIGRATIONS.length) {
    throw new SqliteStoreError(
      'schema_too_new',
      `The database has schema version ${version}, newer than this @agent-chat/server knows (${SQLITE_MIGRATIONS.length}); upgrade the package.`,
    );
  }
  db.transaction(() => {
    for (let next = version; next < SQLITE_MIGRATIONS.length; next++) {
      db.exec(SQLITE_MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    }
  })();
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    ...(row.title !== null ? { title: row.title } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActiveAt: row.last_active_at,
    messageCount: row.message_count,
    lastEventId: row.last_event_id,
  };
}
