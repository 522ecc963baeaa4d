-- Foundation tables: offices, registry copy, staff and sessions, cases and the SOP engine's log, sync, audit, notification outbox.

CREATE TABLE offices (
  code TEXT PRIMARY KEY,              -- Kemendagri region code of the regency/city, dotted ("63.09")
  name TEXT NOT NULL,
  region_code TEXT NOT NULL,
  time_zone TEXT NOT NULL CHECK (time_zone IN ('Asia/Jakarta','Asia/Makassar','Asia/Jayapura')),
  service_hours_json TEXT NOT NULL,   -- weekly hours, see schema/service-time.ts
  holidays_json TEXT NOT NULL DEFAULT '[]',
  wa_number TEXT
);

-- The office's copy of population data (SIAK). Mother's maiden name is stored only as a keyed hash.
CREATE TABLE families (
  kk_number TEXT PRIMARY KEY,
  office_code TEXT NOT NULL REFERENCES offices(code),
  address TEXT NOT NULL,
  region_code TEXT NOT NULL
);

CREATE TABLE residents (
  nik TEXT PRIMARY KEY,
  kk_number TEXT NOT NULL REFERENCES families(kk_number),
  name TEXT NOT NULL,
  birth_place TEXT NOT NULL,
  birth_date TEXT NOT NULL,           -- YYYY-MM-DD
  sex TEXT NOT NULL CHECK (sex IN ('L','P')),
  marital_status TEXT NOT NULL CHECK (marital_status IN ('BELUM_KAWIN','KAWIN','CERAI_HIDUP','CERAI_MATI')),
  mother_maiden_name_hash TEXT NOT NULL,
  ektp_recorded INTEGER NOT NULL DEFAULT 0 CHECK (ektp_recorded IN (0,1)),
  email TEXT,
  phone TEXT,
  region_code TEXT NOT NULL,          -- district of the current address
  office_code TEXT NOT NULL REFERENCES offices(code)
);
CREATE INDEX residents_by_kk ON residents(kk_number);
CREATE INDEX residents_by_office ON residents(office_code, name);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  office_code TEXT NOT NULL REFERENCES offices(code),
  roles_json TEXT NOT NULL,           -- JSON array of schema/roles.ts names
  password_hash TEXT NOT NULL,        -- pbkdf2-sha256$iterations$salt$hash (peppered)
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Server-side sessions for staff and (later) residents; the cookie holds a random token, the table only its hash.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  subject_type TEXT NOT NULL CHECK (subject_type IN ('staff','resident')),
  subject_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,        -- epoch ms
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,        -- absolute limit
  revoked_at INTEGER,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX sessions_by_subject ON sessions(subject_type, subject_id);

-- Failed-attempt counters for throttling (sign-in per account and per IP, later PIN entry).
CREATE TABLE throttles (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
);

-- One row per case of any service; state and version are driven by the SOP engine only.
CREATE TABLE cases (
  id TEXT PRIMARY KEY,                -- UUIDv7 made by the client
  service TEXT NOT NULL,
  office_code TEXT NOT NULL REFERENCES offices(code),
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  resident_nik TEXT,
  data_json TEXT NOT NULL,
  step_started_at INTEGER NOT NULL,   -- epoch ms when the current state was entered
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_command_id TEXT NOT NULL       -- stamps the batch that wrote this version (guards follow-up rows)
);
CREATE INDEX cases_by_office ON cases(office_code, service, state);
CREATE INDEX cases_by_resident ON cases(resident_nik);

-- Every step a case took, with actor and timing, for service-time reporting.
CREATE TABLE case_steps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id TEXT NOT NULL REFERENCES cases(id),
  version INTEGER NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  input_json TEXT NOT NULL,
  UNIQUE (case_id, version)
);

-- Sync push: each client command once; the stored result answers repeats.
CREATE TABLE commands (
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied','conflict','rejected')),
  result_json TEXT NOT NULL
);

-- Sync pull: server-ordered change feed.
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id TEXT NOT NULL,
  office_code TEXT NOT NULL,
  resident_nik TEXT,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX changes_by_office ON changes(office_code, seq);
CREATE INDEX changes_by_resident ON changes(resident_nik, seq);

-- Append-only, hash-chained audit log. UNIQUE(prev_hash) makes a fork fail the whole batch.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,                   -- ISO 8601 UTC
  actor TEXT NOT NULL,                -- "staff:<id>", "resident:<masked nik>", "system"
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  ip TEXT,
  detail_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Notification outbox: delivered by the cron trigger with retries and backoff.
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('email','whatsapp')),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  case_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending','sent','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX notifications_due ON notifications(status, next_attempt_at);
