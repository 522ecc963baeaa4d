-- Complaints (aduan, seed 004 / SPEC.md F): the complaint row beside its case, contacts kept apart, attachments, office settings.

-- One row per aduan case, written in the engine's batch by worker/aduan/hooks.ts.
CREATE TABLE complaints (
  case_id TEXT PRIMARY KEY REFERENCES cases(id),
  office_code TEXT NOT NULL REFERENCES offices(code),
  ticket_year INTEGER NOT NULL,
  ticket_seq INTEGER NOT NULL,
  ticket_no TEXT NOT NULL UNIQUE,        -- "ADU-6309-2026-000012": to say on the phone; not a secret
  tracking_hash TEXT NOT NULL UNIQUE,    -- SHA-256 (hex) of the ≥128-bit tracking code; the code itself is never stored
  channel TEXT NOT NULL CHECK (channel IN ('web','whatsapp','email','box','phone','walk_in','lapor')),
  privacy TEXT NOT NULL CHECK (privacy IN ('biasa','rahasia','anonim')),
  subject_service TEXT NOT NULL,
  related_case_id TEXT,                  -- the case (receipt number) it is about, same office only
  source_ref TEXT,                       -- the channel's own id: a re-import or a repeated webhook creates nothing
  assignee_id TEXT,                      -- users.id of the assigned handler
  merged_into TEXT,                      -- case_id of the complaint this one was merged into
  received_at INTEGER NOT NULL,
  routed_at INTEGER,
  resolved_at INTEGER,
  reopen_until INTEGER,
  escalated_at INTEGER,                  -- set by the hourly check when an SLA clock ran out
  UNIQUE (office_code, ticket_year, ticket_seq),
  UNIQUE (office_code, channel, source_ref)
);
CREATE INDEX complaints_by_assignee ON complaints(assignee_id);
CREATE INDEX complaints_by_merge ON complaints(merged_into);

-- Who complained and how to answer; never written for an anonymous complaint. For a confidential one only the
-- assigned handler reads it (worker/aduan/views.ts); exports and logs never include it.
CREATE TABLE complaint_contacts (
  case_id TEXT PRIMARY KEY REFERENCES complaints(case_id),
  name TEXT,
  email TEXT,
  phone TEXT
);

CREATE TABLE complaint_attachments (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES complaints(case_id),
  r2_key TEXT NOT NULL UNIQUE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX complaint_attachments_by_case ON complaint_attachments(case_id);

-- Per office: how long a complainant may reopen, and the published resolution times by kind (SPEC.md: keep as data).
CREATE TABLE aduan_settings (
  office_code TEXT PRIMARY KEY REFERENCES offices(code),
  reopen_working_days INTEGER NOT NULL DEFAULT 10 CHECK (reopen_working_days BETWEEN 0 AND 60),
  resolution_days_json TEXT NOT NULL DEFAULT '{"ringan":2,"normatif":5,"investigasi":60}',
  updated_at INTEGER NOT NULL
);
