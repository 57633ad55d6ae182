-- schema version 4: engine/store.c migration 4 as shipped (never edit: tests/upgrade.sh)
CREATE TABLE lc_items(kind TEXT NOT NULL, challenge TEXT NOT NULL, key TEXT NOT NULL,  body TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(kind, challenge, key)) WITHOUT ROWID;

