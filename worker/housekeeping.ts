/**
 * Hourly housekeeping from the cron: forgets rows whose only purpose has passed (ended sessions, used or expired
 * challenges and nonces, old throttle counters, command results no device can ask for again, browsers whose
 * known-device cookie has expired). Cases, steps, the
 * audit log, notifications and IKD events are records of the office and are never touched here.
 */
import { DEVICE_MAX_AGE_MS } from './auth/known-device';
import { IDLE_TIMEOUT_MS } from './auth/sessions';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** How long each kind of row is kept after it stopped mattering. */
export const KEEP = {
  /** Ended sessions (expired, idle or revoked): a week, for support questions about a sign-out. */
  endedSessionMs: 7 * DAY,
  /** Sign-in challenges and binding nonces live minutes; a day after expiry they are noise. */
  challengeMs: DAY,
  /** Throttle counters: the longest window is 24 h and the longest lock 1 h after the last failure. */
  throttleMs: 2 * DAY,
  /**
   * Command results answer repeats from devices that were offline; 90 days is far beyond any outbox. A repeat
   * after that cannot apply twice: its case already exists or has moved past the version it names.
   */
  commandMs: 90 * DAY,
  /**
   * A staff browser's known-device row: as long as its cookie lives after the last sign-in (180 days); after that the
   * browser cannot present it, so the row only tells where someone once worked.
   */
  knownDeviceMs: DEVICE_MAX_AGE_MS,
} as const;

/** Rows deleted per statement, so one run never holds the database for long; the next run continues. */
export const BATCH = 500;

/** Runs at minute 0 of each hour (the cron fires every minute for deliveries). */
export const isHousekeepingMinute = (now: number): boolean => new Date(now).getUTCMinutes() === 0;

export type HousekeepingReport = Record<'sessions' | 'residentChallenges' | 'bindingNonces' | 'throttles' | 'ktpNonces' | 'commands' | 'knownDevices', number>;

const deleteWhere = (db: D1Database, table: string, where: string, ...binds: number[]) =>
  db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${BATCH})`).bind(...binds);

export async function housekeep(db: D1Database, now: number): Promise<HousekeepingReport> {
  const endedBefore = now - KEEP.endedSessionMs;
  const results = await db.batch([
    deleteWhere(db, 'sessions', 'expires_at < ?1 OR last_seen_at < ?2 OR revoked_at < ?1', endedBefore, endedBefore - IDLE_TIMEOUT_MS),
    deleteWhere(db, 'resident_challenges', 'expires_at < ?', now - KEEP.challengeMs),
    deleteWhere(db, 'binding_nonces', 'expires_at < ?', now - KEEP.challengeMs),
    deleteWhere(db, 'throttles', 'window_start < ?1 AND locked_until < ?2', now - KEEP.throttleMs, now),
    deleteWhere(db, 'ktp_seen_nonces', 'expires_at < ?', now),
    deleteWhere(db, 'commands', 'received_at < ?', now - KEEP.commandMs),
    // Indexed by known_devices_last_seen (migration 0020).
    deleteWhere(db, 'known_devices', 'last_seen_at < ?', now - KEEP.knownDeviceMs),
  ]);
  const [sessions, residentChallenges, bindingNonces, throttles, ktpNonces, commands, knownDevices] = results.map((r) => r.meta.changes ?? 0);
  return {
    sessions: sessions!, residentChallenges: residentChallenges!, bindingNonces: bindingNonces!, throttles: throttles!, ktpNonces: ktpNonces!, commands: commands!,
    knownDevices: knownDevices!,
  };
}
