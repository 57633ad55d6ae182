-- schema version 5: engine/store.c migration 5 as shipped (never edit: tests/upgrade.sh)
CREATE TABLE quarantine(type INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,  error TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(type, id)) WITHOUT ROWID;

