-- Housekeeping (worker/housekeeping.ts) deletes by age; these indexes keep those deletes off full-table scans.
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE INDEX sessions_by_last_seen ON sessions(last_seen_at);
CREATE INDEX commands_by_received ON commands(received_at);
CREATE INDEX binding_nonces_by_expiry ON binding_nonces(expires_at);
CREATE INDEX throttles_by_window ON throttles(window_start);
