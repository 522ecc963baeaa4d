-- RETAS (issue 12): the signed assignment letter, each officer's acknowledgement of its copy, and the roster a
-- tablet records offline at the school. `retas_marks` keeps every status change a tablet sent (the idempotency
-- log: a resent mark is found by its id and answered as before); `retas_students` holds each student's current
-- status, changed only by a mark that names the mark it replaces, so two tablets never overwrite each other.
CREATE TABLE retas_letters (
  case_id TEXT PRIMARY KEY,
  office_code TEXT NOT NULL,
  letter_no TEXT NOT NULL,           -- "800/RETAS/63.09/2026/<case id head>"
  signed_by TEXT NOT NULL,           -- staff id of the head of office
  signed_at INTEGER NOT NULL,
  r2_key TEXT NOT NULL,
  pdf_sha256 TEXT NOT NULL,
  provider TEXT NOT NULL,            -- 'local' | 'bsre'
  verify_url TEXT NOT NULL           -- what the letter's QR holds (/v/surat-tugas#t=<signed token>)
);

CREATE TABLE retas_acknowledgements (
  case_id TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (case_id, officer_id)
);

CREATE TABLE retas_marks (
  id TEXT PRIMARY KEY,               -- UUIDv7 made on the tablet
  case_id TEXT NOT NULL,
  office_code TEXT NOT NULL,
  student_key TEXT NOT NULL,
  replaces TEXT,                     -- the mark this one changes; NULL for a student's first
  status TEXT NOT NULL CHECK (status IN ('recorded', 'absent', 'refused', 'problem')),
  note TEXT,
  marked_at INTEGER NOT NULL,        -- tablet clock, ms
  device_id TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  student_json TEXT NOT NULL,
  request_id TEXT NOT NULL,          -- the upload that brought it (tells "applied now" from a resend)
  received_at INTEGER NOT NULL,
  outcome TEXT CHECK (outcome IN ('applied', 'conflict'))  -- NULL only inside the upload's own batch
);
CREATE INDEX retas_marks_case ON retas_marks (case_id, outcome);

CREATE TABLE retas_students (
  case_id TEXT NOT NULL,
  student_key TEXT NOT NULL,
  name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  nisn TEXT,
  class_name TEXT,
  sex TEXT,
  mark_id TEXT NOT NULL,             -- the mark that set the current status
  status TEXT NOT NULL,
  note TEXT,
  marked_at INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, student_key)
);

-- The public page of upcoming RETAS events reads published events of every office by date.
CREATE INDEX cases_retas_upcoming ON cases (state, json_extract(data_json, '$.date')) WHERE service = 'retas';
