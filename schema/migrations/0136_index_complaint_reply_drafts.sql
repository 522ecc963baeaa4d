-- The hourly sweep of answer files uploaded but never sent (worker/aduan/sweep.ts) finds them by age without
-- reading every complaint attachment: a partial index over drafts only (they are few; intake and sent files never).
CREATE INDEX complaint_attachments_reply_drafts ON complaint_attachments(created_at) WHERE purpose = 'reply_draft';
