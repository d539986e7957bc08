/** `@agent-chat/server/sqlite`: the SQLite session store (needs `better-sqlite3`). */
export { sqliteStore, SqliteStoreError, SQLITE_MIGRATIONS, type SqliteStoreOptions, type SqliteStoreErrorCode } from './sqlite-store.js';
// The contract this entry's stores implement, so its API reads on its own.
export type * from './store-contract.js';
