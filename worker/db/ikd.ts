/**
 * SQL of IKD (migration 0005): accounts, device keys, binding nonces, activation links, video-call slots and
 * bookings, sign-in challenges, the resident's event history and identity-match attempts. Statements written in the
 * engine's batch take the case stamp (`…If(db, guard, …)`) so they land only with the case change they belong to.
 */
import type { CaseRow, Guard } from './cases';

const GUARD = 'EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)';
const g = (guard: Guard) => [guard.caseId, guard.commandId] as const;

// ---- cases ----

/** The resident's open IKD case (at most one: unique index cases_one_open_ikd). */
export function openIkdCase(db: D1Database, nik: string): Promise<CaseRow | null> {
  return db
    .prepare(`SELECT * FROM cases WHERE service = 'ikd' AND resident_nik = ? AND state NOT IN ('rejected', 'released') LIMIT 1`)
    .bind(nik)
    .first<CaseRow>();
}

/** The open case, else the most recent closed one (for the account screen). */
export function latestIkdCase(db: D1Database, nik: string): Promise<CaseRow | null> {
  return db
    .prepare(
      `SELECT * FROM cases WHERE service = 'ikd' AND resident_nik = ?
       ORDER BY CASE WHEN state IN ('rejected', 'released') THEN 1 ELSE 0 END, created_at DESC LIMIT 1`,
    )
    .bind(nik)
    .first<CaseRow>();
}

// ---- accounts ----

export type AccountStatus = 'pending' | 'active' | 'blocked' | 'released' | 'closed';
export interface AccountRow {
  nik: string;
  office_code: string;
  case_id: string;
  status: AccountStatus;
  pin_hash: string | null;
  pin_set_at: number | null;
  activated_at: number | null;
  created_at: number;
  updated_at: number;
}

export function getAccount(db: D1Database, nik: string): Promise<AccountRow | null> {
  return db.prepare('SELECT * FROM ikd_accounts WHERE nik = ?').bind(nik).first<AccountRow>();
}

/** A new case starts (or restarts, after a release or rejection) the account as pending, without a PIN. */
export function upsertPendingAccountIf(db: D1Database, guard: Guard, a: { nik: string; officeCode: string; caseId: string; now: number }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ikd_accounts (nik, office_code, case_id, status, pin_hash, pin_set_at, activated_at, created_at, updated_at)
       SELECT ?1, ?2, ?3, 'pending', NULL, NULL, NULL, ?4, ?4 WHERE EXISTS (SELECT 1 FROM cases WHERE id = ?5 AND last_command_id = ?6)
       ON CONFLICT(nik) DO UPDATE SET office_code = excluded.office_code, case_id = excluded.case_id, status = 'pending',
         pin_hash = NULL, pin_set_at = NULL, activated_at = NULL, updated_at = excluded.updated_at`,
    )
    .bind(a.nik, a.officeCode, a.caseId, a.now, ...g(guard));
}

/** Moves the account to `status`; `clearPin` forgets the resident's PIN (reissue, block, release, unblock). */
export function setAccountStatusIf(db: D1Database, guard: Guard, nik: string, status: AccountStatus, now: number, clearPin: boolean): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE ikd_accounts SET status = ?, updated_at = ?,
         pin_hash = CASE WHEN ? THEN NULL ELSE pin_hash END, pin_set_at = CASE WHEN ? THEN NULL ELSE pin_set_at END
       WHERE nik = ? AND ${GUARD}`,
    )
    .bind(status, now, clearPin ? 1 : 0, clearPin ? 1 : 0, nik, ...g(guard));
}

export function activateAccountIf(db: D1Database, guard: Guard, nik: string, pinHash: string, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE ikd_accounts SET status = 'active', pin_hash = ?, pin_set_at = ?, activated_at = ?, updated_at = ? WHERE nik = ? AND ${GUARD}`)
    .bind(pinHash, now, now, now, nik, ...g(guard));
}

/** Changing one's own PIN (not an SOP step): only on an active account. */
export function updatePin(db: D1Database, nik: string, pinHash: string, now: number): D1PreparedStatement {
  return db.prepare(`UPDATE ikd_accounts SET pin_hash = ?, pin_set_at = ?, updated_at = ? WHERE nik = ? AND status = 'active'`).bind(pinHash, now, now, nik);
}

// ---- devices ----

export type DeviceStatus = 'pending' | 'bound' | 'released' | 'blocked';
export interface DeviceRow {
  id: string;
  nik: string;
  case_id: string;
  thumbprint: string;
  public_jwk: string;
  status: DeviceStatus;
  created_at: number;
  bound_at: number | null;
  released_at: number | null;
  blocked_at: number | null;
  reason: string | null;
}

export function getDevice(db: D1Database, id: string): Promise<DeviceRow | null> {
  return db.prepare('SELECT * FROM devices WHERE id = ?').bind(id).first<DeviceRow>();
}

export function getDeviceByThumbprint(db: D1Database, thumbprint: string): Promise<DeviceRow | null> {
  return db.prepare('SELECT * FROM devices WHERE thumbprint = ?').bind(thumbprint).first<DeviceRow>();
}

export function boundDeviceOf(db: D1Database, nik: string): Promise<DeviceRow | null> {
  return db.prepare(`SELECT * FROM devices WHERE nik = ? AND status = 'bound'`).bind(nik).first<DeviceRow>();
}

export async function listDevices(db: D1Database, nik: string): Promise<DeviceRow[]> {
  const { results } = await db.prepare('SELECT * FROM devices WHERE nik = ? ORDER BY created_at DESC LIMIT 20').bind(nik).all<DeviceRow>();
  return results;
}

/** A key the phone registered for its case, waiting for the operator to scan its QR. */
export function insertPendingDevice(db: D1Database, d: { id: string; nik: string; caseId: string; thumbprint: string; jwk: string; now: number }): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO devices (id, nik, case_id, thumbprint, public_jwk, status, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)`)
    .bind(d.id, d.nik, d.caseId, d.thumbprint, d.jwk, d.now);
}

export function bindPendingDeviceIf(db: D1Database, guard: Guard, deviceId: string, now: number): D1PreparedStatement {
  return db.prepare(`UPDATE devices SET status = 'bound', bound_at = ? WHERE id = ? AND status = 'pending' AND ${GUARD}`).bind(now, deviceId, ...g(guard));
}

export function insertBoundDeviceIf(db: D1Database, guard: Guard, d: { id: string; nik: string; caseId: string; thumbprint: string; jwk: string; now: number }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO devices (id, nik, case_id, thumbprint, public_jwk, status, created_at, bound_at)
       SELECT ?, ?, ?, ?, ?, 'bound', ?, ? WHERE ${GUARD}`,
    )
    .bind(d.id, d.nik, d.caseId, d.thumbprint, d.jwk, d.now, d.now, ...g(guard));
}

/** Other keys the phone registered for the case and never bound: retired once one is bound or the case closes. */
export function releasePendingDevicesIf(db: D1Database, guard: Guard, caseId: string, now: number, reason: string): D1PreparedStatement {
  return db
    .prepare(`UPDATE devices SET status = 'released', released_at = ?, reason = ? WHERE case_id = ? AND status = 'pending' AND ${GUARD}`)
    .bind(now, reason, caseId, ...g(guard));
}

/** Releases the resident's bound device ("lepas perangkat", or a rejected case). */
export function releaseBoundDeviceIf(db: D1Database, guard: Guard, nik: string, now: number, reason: string): D1PreparedStatement {
  return db
    .prepare(`UPDATE devices SET status = 'released', released_at = ?, reason = ? WHERE nik = ? AND status = 'bound' AND ${GUARD}`)
    .bind(now, reason, nik, ...g(guard));
}

/** Blocks the resident's bound and pending keys (lost phone); the digital-KTP checker lists these. */
export function blockDevicesIf(db: D1Database, guard: Guard, nik: string, now: number, reason: string): D1PreparedStatement {
  return db
    .prepare(`UPDATE devices SET status = 'blocked', blocked_at = ?, reason = ? WHERE nik = ? AND status IN ('bound', 'pending') AND ${GUARD}`)
    .bind(now, reason, nik, ...g(guard));
}

// ---- binding nonces ----

export type BindingDirection = 'phone_qr' | 'operator_qr';
export interface NonceRow {
  nonce_hash: string;
  case_id: string;
  direction: BindingDirection;
  device_id: string | null;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export function insertNonce(db: D1Database, n: Omit<NonceRow, 'used_at'>): D1PreparedStatement {
  return db
    .prepare('INSERT INTO binding_nonces (nonce_hash, case_id, direction, device_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(n.nonce_hash, n.case_id, n.direction, n.device_id, n.created_by, n.created_at, n.expires_at);
}

export function getNonce(db: D1Database, nonceHash: string): Promise<NonceRow | null> {
  return db.prepare('SELECT * FROM binding_nonces WHERE nonce_hash = ?').bind(nonceHash).first<NonceRow>();
}

export function useNonceIf(db: D1Database, guard: Guard, nonceHash: string, now: number): D1PreparedStatement {
  return db.prepare(`UPDATE binding_nonces SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL AND ${GUARD}`).bind(now, nonceHash, ...g(guard));
}

// ---- activation links ----

export type LinkStatus = 'live' | 'used' | 'dead' | 'revoked';
export interface LinkRow {
  jti: string;
  nik: string;
  case_id: string;
  pin_hash: string | null;
  tries: number;
  status: LinkStatus;
  created_by: string;
  created_at: number;
  expires_at: number;
  closed_at: number | null;
}

export function getLink(db: D1Database, jti: string): Promise<LinkRow | null> {
  return db.prepare('SELECT * FROM activation_links WHERE jti = ?').bind(jti).first<LinkRow>();
}

export function insertLinkIf(db: D1Database, guard: Guard, l: { jti: string; nik: string; caseId: string; pinHash: string; createdBy: string; now: number; expiresAt: number }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO activation_links (jti, nik, case_id, pin_hash, tries, status, created_by, created_at, expires_at)
       SELECT ?, ?, ?, ?, 0, 'live', ?, ?, ? WHERE ${GUARD}`,
    )
    .bind(l.jti, l.nik, l.caseId, l.pinHash, l.createdBy, l.now, l.expiresAt, ...g(guard));
}

/** A new link (or a block/release) retires every live one: only the newest email works. */
export function revokeLiveLinksIf(db: D1Database, guard: Guard, nik: string, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE activation_links SET status = 'revoked', pin_hash = NULL, closed_at = ? WHERE nik = ? AND status = 'live' AND ${GUARD}`)
    .bind(now, nik, ...g(guard));
}

/**
 * Takes one of the link's tries before the PIN is checked (so parallel guesses cannot exceed the limit);
 * null when the link is not live, has no tries left or has expired.
 */
export async function reserveLinkTry(db: D1Database, jti: string, now: number, maxTries: number): Promise<number | null> {
  const row = await db
    .prepare(`UPDATE activation_links SET tries = tries + 1 WHERE jti = ? AND status = 'live' AND tries < ? AND expires_at > ? RETURNING tries`)
    .bind(jti, maxTries, now)
    .first<{ tries: number }>();
  return row?.tries ?? null;
}

/** A right PIN gives its try back. */
export function refundLinkTry(db: D1Database, jti: string): D1PreparedStatement {
  return db.prepare(`UPDATE activation_links SET tries = max(0, tries - 1) WHERE jti = ? AND status = 'live'`).bind(jti);
}

export function killLink(db: D1Database, jti: string, now: number): D1PreparedStatement {
  return db.prepare(`UPDATE activation_links SET status = 'dead', pin_hash = NULL, closed_at = ? WHERE jti = ? AND status = 'live'`).bind(now, jti);
}

export function useLinkIf(db: D1Database, guard: Guard, jti: string, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE activation_links SET status = 'used', pin_hash = NULL, closed_at = ? WHERE jti = ? AND status = 'live' AND ${GUARD}`)
    .bind(now, jti, ...g(guard));
}

// ---- video-call slots and bookings ----

export interface SlotRow {
  id: string;
  office_code: string;
  operator_id: string;
  starts_at: number;
  ends_at: number;
  capacity: number;
  status: 'open' | 'cancelled';
  created_by: string;
  created_at: number;
}

/** Inserts an open slot; trigger video_slots_no_overlap aborts the batch ("slot_overlap") if the operator is taken. */
export function insertSlot(db: D1Database, s: Omit<SlotRow, 'status'>): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO video_slots (id, office_code, operator_id, starts_at, ends_at, capacity, status, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    )
    .bind(s.id, s.office_code, s.operator_id, s.starts_at, s.ends_at, s.capacity, s.created_by, s.created_at);
}

export function isSlotOverlapError(err: unknown): boolean {
  return err instanceof Error && /slot_overlap/.test(err.message);
}

export function getSlot(db: D1Database, id: string): Promise<SlotRow | null> {
  return db.prepare('SELECT * FROM video_slots WHERE id = ?').bind(id).first<SlotRow>();
}

const TAKEN = `(SELECT count(*) FROM slot_bookings b WHERE b.slot_id = s.id AND b.status IN ('booked', 'attended'))`;

export async function bookedCount(db: D1Database, slotId: string): Promise<number> {
  const row = await db.prepare(`SELECT ${TAKEN} AS taken FROM video_slots s WHERE s.id = ?`).bind(slotId).first<{ taken: number }>();
  return row?.taken ?? 0;
}

/** Open slots of an office starting in [from, to) with room left, earliest first. */
export async function listFreeSlots(db: D1Database, officeCode: string, from: number, to: number): Promise<(SlotRow & { taken: number })[]> {
  const { results } = await db
    .prepare(
      `SELECT s.*, ${TAKEN} AS taken FROM video_slots s
       WHERE s.office_code = ? AND s.status = 'open' AND s.starts_at >= ? AND s.starts_at < ? AND ${TAKEN} < s.capacity
       ORDER BY s.starts_at, s.id LIMIT 200`,
    )
    .bind(officeCode, from, to)
    .all<SlotRow & { taken: number }>();
  return results;
}

export interface SlotBookingView {
  slot_id: string;
  booking_id: string;
  case_id: string;
  nik: string;
  status: 'booked' | 'cancelled' | 'attended';
  name: string | null;
}

/** Every slot of an office starting in [from, to) (open or cancelled) and their live bookings, for staff. */
export async function listSlotsWithBookings(db: D1Database, officeCode: string, from: number, to: number) {
  const [slots, bookings] = await db.batch([
    db
      .prepare(
        `SELECT s.*, ${TAKEN} AS taken, u.display_name AS operator_name FROM video_slots s LEFT JOIN users u ON u.id = s.operator_id
         WHERE s.office_code = ? AND s.starts_at >= ? AND s.starts_at < ? ORDER BY s.starts_at, s.id LIMIT 500`,
      )
      .bind(officeCode, from, to),
    db
      .prepare(
        `SELECT b.slot_id, b.id AS booking_id, b.case_id, b.nik, b.status, r.name FROM slot_bookings b
         JOIN video_slots s ON s.id = b.slot_id LEFT JOIN residents r ON r.nik = b.nik
         WHERE s.office_code = ? AND s.starts_at >= ? AND s.starts_at < ? AND b.status IN ('booked', 'attended')
         ORDER BY b.created_at`,
      )
      .bind(officeCode, from, to),
  ]);
  return {
    slots: (slots?.results ?? []) as (SlotRow & { taken: number; operator_name: string | null })[],
    bookings: (bookings?.results ?? []) as SlotBookingView[],
  };
}

/** Cancels an open slot; trigger video_slots_keep_booked aborts the batch ("slot_booked") if anyone booked it. */
export function cancelSlot(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare(`UPDATE video_slots SET status = 'cancelled' WHERE id = ? AND status = 'open'`).bind(id);
}

export function isSlotBookedError(err: unknown): boolean {
  return err instanceof Error && /slot_booked/.test(err.message);
}

export interface BookingRow {
  id: string;
  slot_id: string;
  case_id: string;
  nik: string;
  status: 'booked' | 'cancelled' | 'attended';
  created_at: number;
  updated_at: number;
}

/** The case's live booking with its slot times. */
export function activeBookingOf(db: D1Database, caseId: string) {
  return db
    .prepare(
      `SELECT b.*, s.starts_at, s.ends_at, s.operator_id FROM slot_bookings b JOIN video_slots s ON s.id = b.slot_id
       WHERE b.case_id = ? AND b.status IN ('booked', 'attended') ORDER BY b.created_at DESC LIMIT 1`,
    )
    .bind(caseId)
    .first<BookingRow & { starts_at: number; ends_at: number; operator_id: string }>();
}

/** Guarded insert; the capacity trigger aborts the whole batch with "slot_full" when the slot has no room. */
export function insertBookingIf(db: D1Database, guard: Guard, b: { id: string; slotId: string; caseId: string; nik: string; now: number }): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO slot_bookings (id, slot_id, case_id, nik, status, created_at, updated_at) SELECT ?, ?, ?, ?, 'booked', ?, ? WHERE ${GUARD}`)
    .bind(b.id, b.slotId, b.caseId, b.nik, b.now, b.now, ...g(guard));
}

/** Ends the case's live booking: `cancelled` (resident cancels, reschedules, case rejected) or `attended` (verified). */
export function closeBookingIf(db: D1Database, guard: Guard, caseId: string, status: 'cancelled' | 'attended', now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE slot_bookings SET status = ?, updated_at = ? WHERE case_id = ? AND status = 'booked' AND ${GUARD}`)
    .bind(status, now, caseId, ...g(guard));
}

// ---- notifications the outbox helpers cannot express: due later with a known id, or wiped after sending ----

/** Prefix of the ids of a booking's reminders, so cancelling the booking can withdraw them. */
export const reminderIdPrefix = (bookingId: string) => `ikd-reminder:${bookingId}:`;

/**
 * A pending outbox row (same table and columns as worker/db/notifications.ts) that is due at `dueAt`, has a caller
 * chosen id, and may ask delivery to wipe its body once sent (`scrubAfterSend`, for the activation PIN).
 */
export function ikdNotificationIf(
  db: D1Database,
  guard: Guard,
  n: { id?: string; channel: 'email' | 'whatsapp'; recipient: string; subject: string; body: string; dueAt: number; scrubAfterSend: boolean },
  now: number,
): D1PreparedStatement {
  if (!n.recipient.trim()) throw new TypeError('notification recipient is empty');
  return db
    .prepare(
      `INSERT INTO notifications (id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, created_at, scrub_after_send)
       SELECT ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ? WHERE ${GUARD}`,
    )
    .bind(n.id ?? crypto.randomUUID(), n.channel, n.recipient.trim(), n.subject, n.body, guard.caseId, n.dueAt, now, n.scrubAfterSend ? 1 : 0, ...g(guard));
}

/** Withdraws a booking's reminders that have not left yet. */
export function deleteRemindersIf(db: D1Database, guard: Guard, bookingId: string): D1PreparedStatement {
  const prefix = reminderIdPrefix(bookingId);
  return db
    .prepare(`DELETE FROM notifications WHERE substr(id, 1, ?) = ? AND status = 'pending' AND ${GUARD}`)
    .bind(prefix.length, prefix, ...g(guard));
}

/** Withdraws every pending reminder of a case (whatever booking they were for). */
export function deleteCaseRemindersIf(db: D1Database, guard: Guard, caseId: string): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM notifications WHERE case_id = ? AND substr(id, 1, 13) = 'ikd-reminder:' AND status = 'pending' AND ${GUARD}`)
    .bind(caseId, ...g(guard));
}

// ---- sign-in challenges ----

export function insertChallenge(db: D1Database, c: { id: string; nik: string; thumbprint: string; challenge: string; now: number; expiresAt: number }): D1PreparedStatement {
  return db
    .prepare('INSERT INTO resident_challenges (id, nik, thumbprint, challenge, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(c.id, c.nik, c.thumbprint, c.challenge, c.now, c.expiresAt);
}

/** Challenges long past their life; removed as new ones are made. */
export function purgeChallenges(db: D1Database, before: number): D1PreparedStatement {
  return db.prepare('DELETE FROM resident_challenges WHERE expires_at < ?').bind(before);
}

/** Takes a challenge once: null when unknown, used, expired or made for another NIK. */
export function useChallenge(db: D1Database, id: string, nik: string, now: number) {
  return db
    .prepare(`UPDATE resident_challenges SET used_at = ? WHERE id = ? AND nik = ? AND used_at IS NULL AND expires_at > ? RETURNING thumbprint, challenge`)
    .bind(now, id, nik, now)
    .first<{ thumbprint: string; challenge: string }>();
}

// ---- the resident's event history ----

export interface EventRow {
  id: number;
  nik: string;
  at: number;
  kind: string;
  device_id: string | null;
  ip: string | null;
  detail_json: string;
}

export interface NewEvent {
  nik: string;
  kind: string;
  at: number;
  deviceId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export function insertEvent(db: D1Database, e: NewEvent): D1PreparedStatement {
  return db
    .prepare('INSERT INTO ikd_events (nik, at, kind, device_id, ip, detail_json) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(e.nik, e.at, e.kind, e.deviceId ?? null, e.ip ?? null, JSON.stringify(e.detail ?? {}));
}

export function insertEventIf(db: D1Database, guard: Guard, e: NewEvent): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO ikd_events (nik, at, kind, device_id, ip, detail_json) SELECT ?, ?, ?, ?, ?, ? WHERE ${GUARD}`)
    .bind(e.nik, e.at, e.kind, e.deviceId ?? null, e.ip ?? null, JSON.stringify(e.detail ?? {}), ...g(guard));
}

export async function listEvents(db: D1Database, nik: string, limit = 50): Promise<EventRow[]> {
  const { results } = await db.prepare('SELECT * FROM ikd_events WHERE nik = ? ORDER BY at DESC, id DESC LIMIT ?').bind(nik, limit).all<EventRow>();
  return results;
}

// ---- identity-match attempts (staff detail) ----

export function insertMatchAttempt(db: D1Database, a: { nik: string; at: number; purpose: 'register' | 'resume'; matched: boolean; differs: string[]; ip: string | null }): D1PreparedStatement {
  return db
    .prepare('INSERT INTO ikd_match_attempts (nik, at, purpose, matched, differs_json, ip) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(a.nik, a.at, a.purpose, a.matched ? 1 : 0, JSON.stringify(a.differs), a.ip);
}

export async function listMatchAttempts(db: D1Database, nik: string, limit = 100) {
  const { results } = await db
    .prepare('SELECT at, purpose, matched, differs_json, ip FROM ikd_match_attempts WHERE nik = ? ORDER BY at DESC, id DESC LIMIT ?')
    .bind(nik, limit)
    .all<{ at: number; purpose: 'register' | 'resume'; matched: number; differs_json: string; ip: string | null }>();
  return results;
}

// ---- sessions: assurance and revocation ----

export type Assurance = 'registration' | 'full';

/** Run right after `newSession(...).statement` in the same batch. */
export function setSessionAssurance(db: D1Database, tokenHash: string, assurance: Assurance): D1PreparedStatement {
  return db.prepare('UPDATE sessions SET assurance = ? WHERE token_hash = ?').bind(assurance, tokenHash);
}

export async function sessionAssurance(db: D1Database, tokenHash: string): Promise<Assurance | null> {
  const row = await db.prepare('SELECT assurance FROM sessions WHERE token_hash = ?').bind(tokenHash).first<{ assurance: Assurance | null }>();
  return row?.assurance ?? null;
}

/** Ends every live session of the resident (release, block, PIN reset) with the case change. */
export function revokeResidentSessionsIf(db: D1Database, guard: Guard, nik: string, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE sessions SET revoked_at = ? WHERE subject_type = 'resident' AND subject_id = ? AND revoked_at IS NULL AND ${GUARD}`)
    .bind(now, nik, ...g(guard));
}

/** Ends the resident's other sessions (PIN change), keeping the one making the change. */
export function revokeOtherResidentSessions(db: D1Database, nik: string, keepTokenHash: string, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE sessions SET revoked_at = ? WHERE subject_type = 'resident' AND subject_id = ? AND revoked_at IS NULL AND token_hash != ?`)
    .bind(now, nik, keepTokenHash);
}

// ---- operator queue ----

export interface QueueRow extends CaseRow {
  booking_id: string | null;
  slot_id: string | null;
  slot_starts_at: number | null;
  slot_ends_at: number | null;
  slot_operator_id: string | null;
  resident_name: string | null;
}

/**
 * The office's IKD work for one local day [dayStart, dayEnd): video calls booked that day (any state), counter-route
 * cases waiting for a visit, and open cases whose current step started that day.
 */
export async function queueRows(db: D1Database, officeCode: string, dayStart: number, dayEnd: number): Promise<QueueRow[]> {
  const { results } = await db
    .prepare(
      `SELECT c.*, b.id AS booking_id, s.id AS slot_id, s.starts_at AS slot_starts_at, s.ends_at AS slot_ends_at,
              s.operator_id AS slot_operator_id, r.name AS resident_name
       FROM cases c
       LEFT JOIN slot_bookings b ON b.case_id = c.id AND b.status IN ('booked', 'attended')
       LEFT JOIN video_slots s ON s.id = b.slot_id
       LEFT JOIN residents r ON r.nik = c.resident_nik
       WHERE c.service = 'ikd' AND c.office_code = ?1 AND (
         (s.starts_at >= ?2 AND s.starts_at < ?3)
         OR (c.state = 'registered' AND json_extract(c.data_json, '$.route') = 'counter')
         OR (c.state IN ('verified', 'bound', 'approved', 'blocked') AND c.step_started_at >= ?2 AND c.step_started_at < ?3)
       )
       ORDER BY COALESCE(s.starts_at, c.step_started_at), c.id
       LIMIT 500`,
    )
    .bind(officeCode, dayStart, dayEnd)
    .all<QueueRow>();
  return results;
}
