-- RETAS (issue 12): the office sets the period before the 17th birthday in which its RETAS events record students
-- (0 = only those already 17; some offices record from 16, i.e. 12). A proposal takes the office's value.
ALTER TABLE offices ADD COLUMN retas_early_months INTEGER NOT NULL DEFAULT 0 CHECK (retas_early_months BETWEEN 0 AND 12);
