-- RETAS (seed 001, first SOP): the schools an office works with, kept by the office (head of division or admin).
-- A proposal names a school by its NPSN (national school number), which must be one of the office's schools.
CREATE TABLE retas_schools (
  office_code TEXT NOT NULL,
  npsn TEXT NOT NULL,                -- 8 digits
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  district_code TEXT NOT NULL,       -- kecamatan, dotted "63.09.01"
  contact_name TEXT,
  contact_phone TEXT,
  active INTEGER NOT NULL DEFAULT 1, -- 0: no longer proposed (kept for past events)
  updated_at INTEGER NOT NULL,       -- epoch ms
  PRIMARY KEY (office_code, npsn)
);
