-- Where an overdue complaint is escalated to (issue 11): the head of division's email and/or WhatsApp number, per
-- office, set by its admin. Staff accounts have no contact of their own; the hourly check queues one message per
-- complaint it flags to these, through the notification outbox.
ALTER TABLE aduan_settings ADD COLUMN escalation_email TEXT;
ALTER TABLE aduan_settings ADD COLUMN escalation_phone TEXT;
