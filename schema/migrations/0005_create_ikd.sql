-- IKD (Identitas Kependudukan Digital): accounts, device keys, binding nonces, activation links, video-call slots and
-- bookings, sign-in challenges, the resident's own event history and identity-match attempts (staff detail);
-- plus session assurance and the outbox flag that wipes a message body (activation PIN) once it has left.

-- 'registration': proved NIK + KK number + mother's maiden name (may follow the case, book, register a device key);
-- 'full': NIK + PIN + device signature. NULL for staff sessions.
ALTER TABLE sessions ADD COLUMN assurance TEXT CHECK (assurance IN ('registration', 'full'));

-- 1: the body holds a secret (activation PIN and link); delivery replaces it once the row is sent or dead.
ALTER TABLE notifications ADD COLUMN scrub_after_send INTEGER NOT NULL DEFAULT 0 CHECK (scrub_after_send IN (0, 1));

-- At most one open IKD case per resident, enforced by D1 itself (two racing registrations cannot both land).
CREATE UNIQUE INDEX cases_one_open_ikd ON cases(resident_nik) WHERE service = 'ikd' AND state NOT IN ('rejected', 'released');

CREATE TABLE ikd_accounts (
  nik TEXT PRIMARY KEY,
  office_code TEXT NOT NULL REFERENCES offices(code),
  case_id TEXT NOT NULL,              -- the resident's latest IKD case
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'blocked', 'released', 'closed')),
  pin_hash TEXT,                      -- the resident's own PIN, peppered PBKDF2 (worker/auth/password.ts)
  pin_set_at INTEGER,
  activated_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Device keys (WebCrypto P-256, private half never leaves the phone). The digital-KTP checker reads status 'blocked'.
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  nik TEXT NOT NULL,
  case_id TEXT NOT NULL,
  thumbprint TEXT NOT NULL UNIQUE,    -- RFC 7638 SHA-256, base64url
  public_jwk TEXT NOT NULL,           -- {kty, crv, x, y} only
  status TEXT NOT NULL CHECK (status IN ('pending', 'bound', 'released', 'blocked')),
  created_at INTEGER NOT NULL,
  bound_at INTEGER,
  released_at INTEGER,
  blocked_at INTEGER,
  reason TEXT
);
CREATE INDEX devices_by_nik ON devices(nik, status);
CREATE INDEX devices_by_status ON devices(status, blocked_at);
CREATE UNIQUE INDEX devices_one_bound ON devices(nik) WHERE status = 'bound';

-- One-time nonces of the binding QR codes (only their SHA-256 is kept).
CREATE TABLE binding_nonces (
  nonce_hash TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('phone_qr', 'operator_qr')),
  device_id TEXT,                     -- phone_qr: the pending key the phone registered
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX binding_nonces_by_case ON binding_nonces(case_id);

-- Activation links (ES256 JWT in the email; jti here). The activation PIN only as a hash, cleared when the link closes.
CREATE TABLE activation_links (
  jti TEXT PRIMARY KEY,
  nik TEXT NOT NULL,
  case_id TEXT NOT NULL,
  pin_hash TEXT,
  tries INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('live', 'used', 'dead', 'revoked')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE INDEX activation_links_by_nik ON activation_links(nik, status);

CREATE TABLE video_slots (
  id TEXT PRIMARY KEY,
  office_code TEXT NOT NULL REFERENCES offices(code),
  operator_id TEXT NOT NULL REFERENCES users(id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 20),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX video_slots_by_office ON video_slots(office_code, starts_at);
CREATE INDEX video_slots_by_operator ON video_slots(operator_id, starts_at);

-- An operator cannot hold two open slots at once; the insert (and its audit entry) aborts.
CREATE TRIGGER video_slots_no_overlap BEFORE INSERT ON video_slots
WHEN NEW.status = 'open' AND EXISTS (
  SELECT 1 FROM video_slots WHERE operator_id = NEW.operator_id AND status = 'open' AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at
)
BEGIN
  SELECT RAISE(ABORT, 'slot_overlap');
END;

CREATE TABLE slot_bookings (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES video_slots(id),
  case_id TEXT NOT NULL,
  nik TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'attended')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX slot_bookings_by_slot ON slot_bookings(slot_id, status);
CREATE INDEX slot_bookings_by_case ON slot_bookings(case_id, status);

-- A slot with live bookings cannot be cancelled under the residents who booked it.
CREATE TRIGGER video_slots_keep_booked BEFORE UPDATE OF status ON video_slots
WHEN NEW.status = 'cancelled' AND EXISTS (SELECT 1 FROM slot_bookings WHERE slot_id = NEW.id AND status IN ('booked', 'attended'))
BEGIN
  SELECT RAISE(ABORT, 'slot_booked');
END;

-- Capacity in SQL: a booking beyond the slot's capacity (or on a cancelled slot) aborts the whole batch, so two
-- racing bookings cannot overfill a slot whatever the application read before.
CREATE TRIGGER slot_bookings_capacity BEFORE INSERT ON slot_bookings
WHEN NEW.status = 'booked'
  AND (SELECT count(*) FROM slot_bookings WHERE slot_id = NEW.slot_id AND status IN ('booked', 'attended'))
      >= COALESCE((SELECT capacity FROM video_slots WHERE id = NEW.slot_id AND status = 'open'), 0)
BEGIN
  SELECT RAISE(ABORT, 'slot_full');
END;

-- Sign-in challenges: 32 random bytes the bound device signs; single use, two minutes.
CREATE TABLE resident_challenges (
  id TEXT PRIMARY KEY,
  nik TEXT NOT NULL,
  thumbprint TEXT NOT NULL,
  challenge TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX resident_challenges_by_expiry ON resident_challenges(expires_at);

-- What the resident sees on the account screen: sign-ins (also failed ones) and device/PIN events.
CREATE TABLE ikd_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  nik TEXT NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  device_id TEXT,
  ip TEXT,
  detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ikd_events_by_nik ON ikd_events(nik, at);

-- Identity checks of registration and resumption. Which field differed is for staff only (never for the resident).
CREATE TABLE ikd_match_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  nik TEXT NOT NULL,
  at INTEGER NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('register', 'resume')),
  matched INTEGER NOT NULL CHECK (matched IN (0, 1)),
  differs_json TEXT NOT NULL,
  ip TEXT
);
CREATE INDEX ikd_match_attempts_by_nik ON ikd_match_attempts(nik, at);
