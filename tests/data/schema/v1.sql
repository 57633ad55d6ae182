-- schema version 1: engine/store.c migration 1 as shipped (never edit: tests/upgrade.sh)
CREATE TABLE records(type INTEGER NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,  updated_at INTEGER NOT NULL, PRIMARY KEY(type, id)) WITHOUT ROWID;
CREATE TABLE refs(type INTEGER NOT NULL, id TEXT NOT NULL, to_type INTEGER NOT NULL,  to_id TEXT NOT NULL, field TEXT NOT NULL,  FOREIGN KEY(type, id) REFERENCES records(type, id) ON DELETE CASCADE,  FOREIGN KEY(to_type, to_id) REFERENCES records(type, id));
CREATE INDEX refs_from ON refs(type, id);
CREATE INDEX refs_to ON refs(to_type, to_id);
CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL,  id TEXT NOT NULL, op TEXT NOT NULL CHECK(op IN ('put', 'delete')));

