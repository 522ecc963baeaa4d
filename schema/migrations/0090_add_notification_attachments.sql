-- Files an email notification carries (issue 11: replies with attachments): a JSON array of
-- {"key": R2 key in FILES, "filename", "contentType"}; the bytes stay in R2 and are read at sending time.
ALTER TABLE notifications ADD COLUMN attachments_json TEXT;
