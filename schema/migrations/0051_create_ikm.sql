-- The IKM survey (PermenPANRB 14/2017): invitations (one answer each), counter kiosks, and the answers.

-- An invitation to answer once. Only a hash of its code is kept; for a resolved complaint the code is the complaint's
-- tracking code and code_hash = SHA-256(tracking_hash || ':ikm'), so the server can make it without knowing the code.
CREATE TABLE ikm_invitations (
  code_hash TEXT PRIMARY KEY,
  office_code TEXT NOT NULL REFERENCES offices(code),
  service TEXT NOT NULL,
  case_id TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);

-- A tablet at the counter in kiosk mode: anonymous answers, limited per kiosk and time. The token is kept hashed.
CREATE TABLE ikm_kiosks (
  token_hash TEXT PRIMARY KEY,
  office_code TEXT NOT NULL REFERENCES offices(code),
  service TEXT NOT NULL,
  label TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  closed_at INTEGER
);

CREATE TABLE ikm_responses (
  id TEXT PRIMARY KEY,                 -- client-made UUIDv7: a resent answer is still one answer
  office_code TEXT NOT NULL REFERENCES offices(code),
  service TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('invitation','kiosk')),
  invitation_hash TEXT UNIQUE,         -- one answer per invitation
  kiosk_hash TEXT,
  u1 INTEGER NOT NULL CHECK (u1 BETWEEN 1 AND 4),
  u2 INTEGER NOT NULL CHECK (u2 BETWEEN 1 AND 4),
  u3 INTEGER NOT NULL CHECK (u3 BETWEEN 1 AND 4),
  u4 INTEGER NOT NULL CHECK (u4 BETWEEN 1 AND 4),
  u5 INTEGER NOT NULL CHECK (u5 BETWEEN 1 AND 4),
  u6 INTEGER NOT NULL CHECK (u6 BETWEEN 1 AND 4),
  u7 INTEGER NOT NULL CHECK (u7 BETWEEN 1 AND 4),
  u8 INTEGER NOT NULL CHECK (u8 BETWEEN 1 AND 4),
  u9 INTEGER NOT NULL CHECK (u9 BETWEEN 1 AND 4),
  sex TEXT, age_group TEXT, education TEXT, occupation TEXT,
  answered_at INTEGER NOT NULL
);
CREATE INDEX ikm_responses_by_service ON ikm_responses(office_code, service, answered_at);
CREATE INDEX ikm_responses_by_kiosk ON ikm_responses(kiosk_hash, answered_at);
