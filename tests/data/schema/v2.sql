-- schema version 2: engine/store.c migration 2 as shipped (never edit: tests/upgrade.sh)
CREATE TABLE api_keys(id TEXT PRIMARY KEY, hash BLOB NOT NULL, role TEXT NOT NULL,  org TEXT, created_at INTEGER NOT NULL, revoked_at INTEGER) WITHOUT ROWID;

