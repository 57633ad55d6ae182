-- schema version 7: engine/store.c migration 7 as shipped (never edit: tests/upgrade.sh)
CREATE TABLE webhooks(id TEXT PRIMARY KEY, org TEXT, owner TEXT NOT NULL, body TEXT NOT NULL,
  secret TEXT NOT NULL, active INTEGER NOT NULL, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, delivered INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0, last_success_at INTEGER, last_failure_at INTEGER,
  last_failure TEXT, failing_since INTEGER, disabled_at INTEGER) WITHOUT ROWID;
CREATE TABLE wh_events(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL);
CREATE TABLE wh_deliveries(hook TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event INTEGER NOT NULL REFERENCES wh_events(seq) ON DELETE CASCADE,
  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
  PRIMARY KEY(hook, event)) WITHOUT ROWID;
CREATE INDEX wh_due ON wh_deliveries(next_at);
CREATE INDEX wh_of_event ON wh_deliveries(event);
CREATE TABLE wh_notified(hook TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  key TEXT NOT NULL, PRIMARY KEY(hook, key)) WITHOUT ROWID;
