-- Digital KTP (issue 4): presentation nonces the online verify endpoint has accepted, so a QR verifies once per checker.
-- Kept only while the presentation could still be valid (90 s + clock tolerance); older rows are deleted as new ones come.
CREATE TABLE ktp_seen_nonces (
  nonce_key TEXT PRIMARY KEY,         -- "<device thumbprint>.<nonce b64url>": no personal data
  expires_at INTEGER NOT NULL         -- epoch ms
);
CREATE INDEX ktp_seen_nonces_by_expiry ON ktp_seen_nonces(expires_at);
