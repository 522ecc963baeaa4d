-- Audit log without a global write lock: entries are written with a per-entry keyed MAC in the same batch as the
-- change, and a sealer links them into a keyed hash chain afterwards, in seq order (docs/architecture.md).
-- Existing entries carried an unkeyed chain; they are kept and re-sealed with the keyed chain by the first sealer run
-- (their entry MAC is the legacy marker 'legacy', accepted only for entries written before this migration).
DROP TRIGGER IF EXISTS audit_log_no_update;
DROP TRIGGER IF EXISTS audit_log_no_delete;

CREATE TABLE audit_log_sealed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,                   -- ISO 8601 UTC
  actor TEXT NOT NULL,                -- "staff:<id>", "resident:<masked nik>", "system"
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  ip TEXT,
  detail_json TEXT NOT NULL,
  key_id TEXT NOT NULL,               -- which AUDIT_KEYS secret made mac (and later hash)
  mac TEXT NOT NULL,                  -- HMAC of the entry's own fields, made by the writer
  prev_hash TEXT,                     -- NULL until sealed: the previous entry's hash (genesis for seq 1)
  hash TEXT                           -- NULL until sealed: HMAC over seq, prev_hash and mac
);
INSERT INTO audit_log_sealed (seq, at, actor, action, object, ip, detail_json, key_id, mac)
  SELECT seq, at, actor, action, object, ip, detail_json, 'legacy', 'legacy' FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_sealed RENAME TO audit_log;
CREATE INDEX audit_log_unsealed ON audit_log(seq) WHERE hash IS NULL;

-- Append-only: the only update allowed is sealing (prev_hash and hash from NULL to a value); no deletes.
CREATE TRIGGER audit_log_seal_only BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action
  OR NEW.object IS NOT OLD.object OR NEW.ip IS NOT OLD.ip OR NEW.detail_json IS NOT OLD.detail_json
  OR NEW.key_id IS NOT OLD.key_id OR NEW.mac IS NOT OLD.mac
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
