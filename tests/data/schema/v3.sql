-- schema version 3: engine/store.c migration 3 as shipped (never edit: tests/upgrade.sh)
CREATE TABLE audit(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,  action TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, before TEXT NOT NULL,  after TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_record ON audit(type, id);
CREATE TABLE audit_head(one INTEGER PRIMARY KEY CHECK(one = 1), seq INTEGER NOT NULL,  hash TEXT NOT NULL);

