/** `@agent-chat/server/sqlite`: the SQLite session store (needs `better-sqlite3`). */
export { sqliteStore, SqliteStoreError, SQLITE_MIGRATIONS, type SqliteStoreOptions, type SqliteStoreErrorCode } from './sqlite-store.js';
