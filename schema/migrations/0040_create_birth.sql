-- Birth certificates through partners (seed 002): partner organisations and their clerks, the office's required
-- documents, attachments in R2, certificates with the office's register sequence, signing grants.

CREATE TABLE birth_partners (
  id TEXT PRIMARY KEY,
  office_code TEXT NOT NULL REFERENCES offices(code),
  kind TEXT NOT NULL CHECK (kind IN ('hospital','clinic','midwife')),
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (office_code, name)
);

-- A partner clerk (role partner_operator) belongs to one partner; their session carries it.
ALTER TABLE users ADD COLUMN partner_id TEXT REFERENCES birth_partners(id);

-- The documents an office requires, kept by its admin (not code): one row per requirement.
CREATE TABLE birth_requirements (
  office_code TEXT NOT NULL REFERENCES offices(code),
  code TEXT NOT NULL,
  label_id TEXT NOT NULL,
  label_en TEXT NOT NULL,
  required INTEGER NOT NULL CHECK (required IN (0,1)),
  sort INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (office_code, code)
);

-- Files declared by a case (id made by the client); bytes live in R2 under r2_key once uploaded.
CREATE TABLE birth_attachments (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  partner_id TEXT NOT NULL,
  requirement TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  declared_version INTEGER NOT NULL,   -- case version that declared it (resubmits add, never overwrite)
  uploaded_at INTEGER,
  r2_key TEXT
);
CREATE INDEX birth_attachments_by_case ON birth_attachments(case_id);

-- Lookup for the possible-duplicate flag: mother's NIK + birth date (the child's name is compared in code).
CREATE INDEX cases_birth_mother ON cases(json_extract(data_json, '$.mother.nik'), json_extract(data_json, '$.child.birthDate'))
  WHERE service = 'birth';

-- The office's register sequence, one row per office and signing day; incremented inside the signing batch.
CREATE TABLE birth_register_counters (
  office_code TEXT NOT NULL,
  day TEXT NOT NULL,                   -- YYYY-MM-DD in the office's zone
  last INTEGER NOT NULL,
  PRIMARY KEY (office_code, day)
);

CREATE TABLE birth_certificates (
  register_no TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  case_version INTEGER NOT NULL,       -- the case version the signature made
  office_code TEXT NOT NULL,
  signed_at INTEGER NOT NULL,
  signed_by TEXT NOT NULL,
  content_hash TEXT,                   -- SHA-256 of the canonical certificate data (in the QR)
  pdf_sha256 TEXT,                     -- SHA-256 of the signed PDF file
  r2_key TEXT,
  qr TEXT,                             -- the printed QR's bytes, base64url
  status TEXT NOT NULL CHECK (status IN ('pending_document','issued','revoked')),
  revoked_at INTEGER,
  revoke_reason TEXT,
  UNIQUE (case_id, case_version)
);
CREATE INDEX birth_certificates_by_case ON birth_certificates(case_id);
CREATE INDEX birth_certificates_revoked ON birth_certificates(office_code, revoked_at) WHERE status = 'revoked';

-- One-time proof that the head of office re-entered the password; only its hash, bound to the session.
CREATE TABLE birth_sign_grants (
  grant_hash TEXT PRIMARY KEY,
  session_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
