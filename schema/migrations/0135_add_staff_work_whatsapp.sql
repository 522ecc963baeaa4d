-- A staff member's work WhatsApp number beside the work email (issue 11 leftover): the hand-over notice of a complaint
-- goes to every channel the handler has. Null means none; kept as the admin typed it (the WhatsApp sender normalises).
ALTER TABLE staff_contacts ADD COLUMN phone TEXT;
