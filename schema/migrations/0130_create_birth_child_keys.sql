-- Birth duplicates under concurrency (issue 10 leftover): each birth case's child name, normalised once in the
-- Worker (normalizeName: diacritics need Unicode NFD, which SQL lacks), so the batch that writes a case can itself
-- compare its child with every case of the same mother and date that committed before it (worker/db/birth.ts,
-- linkSimilarInBatchIf). A D1 batch is one serialized transaction: of two births pushed at the same instant, the
-- later batch sees the earlier one's row here even when both searches ran before either committed.
CREATE TABLE birth_child_keys (
  case_id TEXT PRIMARY KEY REFERENCES cases(id),
  name_key TEXT NOT NULL,        -- normalizeName(child.name): "NURAINI SITI HASANAH"
  words_json TEXT NOT NULL       -- the key's words as a JSON array, for the "one's words within the other's" rule
) WITHOUT ROWID;
-- Cases from before this table have no row: they were committed long before any new search, which reads them
-- and compares in code (worker/birth/hooks.ts), so no backfill is needed.
