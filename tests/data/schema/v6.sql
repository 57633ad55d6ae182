-- schema version 6: engine/store.c migration 6 as shipped (never edit: tests/upgrade.sh)
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
