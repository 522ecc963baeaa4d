-- KTP-el blanks (seed 001 KTP-el step 4, "Blanko KTP-el"): controlled stock, so every blank the SIAK operator used
-- for a printed card or spoiled is recorded once per office. A serial used twice is refused by the primary key.
CREATE TABLE ktpel_blanks (
  office_code TEXT NOT NULL,
  serial TEXT NOT NULL,              -- upper-case, as printed on the blank
  case_id TEXT NOT NULL,             -- the card it was used or spoiled for
  outcome TEXT NOT NULL CHECK (outcome IN ('used', 'spoiled')),
  reason TEXT,                       -- spoiled only: misprint, chip_failure, card_damaged, printer_jam, other
  note TEXT,
  actor_id TEXT NOT NULL,
  at INTEGER NOT NULL,               -- epoch ms
  PRIMARY KEY (office_code, serial)
);
CREATE INDEX ktpel_blanks_by_office_at ON ktpel_blanks(office_code, at);
