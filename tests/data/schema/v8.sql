-- schema version 8: engine/store.c migration 8 as shipped (never edit: tests/upgrade.sh)
ALTER TABLE records ADD COLUMN created_seq INTEGER NOT NULL DEFAULT 0;
