-- A complaint's files are of three kinds (issue 11): what came with the complaint ('intake': the form's photos, an
-- email's attachments), a file a handler uploaded for the answer but has not sent yet ('reply_draft'), and the
-- answer's files once the resolution is recorded ('reply': sent with the resolution message and offered on the
-- public tracking page to the holder of the tracking code; intake files and drafts never are).
ALTER TABLE complaint_attachments ADD COLUMN purpose TEXT NOT NULL DEFAULT 'intake' CHECK (purpose IN ('intake', 'reply_draft', 'reply'));
