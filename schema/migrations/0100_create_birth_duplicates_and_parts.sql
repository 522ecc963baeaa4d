-- Birth certificates, continued (issue 10): possible-duplicate links in their own rows, and the parts of a
-- chunked attachment upload.

-- One row per (case, the other case it resembles), both directions, written with INSERT OR IGNORE in the batch
-- of the command that found the resemblance. Kept out of cases.data_json: an engine write of the earlier case,
-- racing, rewrites its data_json from what it read and would drop a flag put there.
CREATE TABLE birth_duplicates (
  case_id TEXT NOT NULL REFERENCES cases(id),
  other_case_id TEXT NOT NULL REFERENCES cases(id),
  found_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, other_case_id)
) WITHOUT ROWID;

-- Links recorded before this table (as an id list in the case data), both directions.
INSERT OR IGNORE INTO birth_duplicates (case_id, other_case_id, found_at)
  SELECT c.id, j.value, c.updated_at FROM cases c, json_each(c.data_json, '$.flags.possibleDuplicates') j
  WHERE c.service = 'birth' AND EXISTS (SELECT 1 FROM cases o WHERE o.id = j.value);
INSERT OR IGNORE INTO birth_duplicates (case_id, other_case_id, found_at)
  SELECT j.value, c.id, c.updated_at FROM cases c, json_each(c.data_json, '$.flags.possibleDuplicates') j
  WHERE c.service = 'birth' AND EXISTS (SELECT 1 FROM cases o WHERE o.id = j.value);

-- Parts of an attachment sent in chunks (fixed part size, part n = bytes [n*P, (n+1)*P)); the bytes wait in R2
-- under r2_key until the completion assembles, checks and stores the file, then rows and objects go.
CREATE TABLE birth_upload_parts (
  attachment_id TEXT NOT NULL REFERENCES birth_attachments(id),
  part_no INTEGER NOT NULL,
  size INTEGER NOT NULL,
  r2_key TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (attachment_id, part_no)
) WITHOUT ROWID;
