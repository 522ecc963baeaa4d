-- Browsers each staff account signed in from (issue 8, NIST SP 800-63B 5.2.2): such a browser counts failed
-- sign-ins on its own (account, device) counter and is not shut out by the account-wide lock a guesser elsewhere
-- can raise. Only the SHA-256 of the random `loket_device` cookie is kept.
CREATE TABLE known_devices (
  user_id TEXT NOT NULL REFERENCES users(id),
  device_hash TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, device_hash)
);
CREATE INDEX known_devices_last_seen ON known_devices(last_seen_at);
