-- A staff member's work email, set by the office's admin (issue 11): a complaint handler is told by the
-- notification outbox when a complaint is assigned or handed over to them. Kept apart from `users` (sign-in data);
-- no row, or a null email, means the handler learns it from the inbox alone.
CREATE TABLE staff_contacts (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  email TEXT,
  updated_at INTEGER NOT NULL
);
