/**
 * Hourly housekeeping from the cron: forgets rows whose only purpose has passed (ended sessions, used or expired
 * challenges and nonces, old throttle counters, command results no device can ask for again, browsers whose
 * known-device cookie has expired), the parts of abandoned chunked uploads, rows and R2 objects, and complaint answer
 * files never sent (worker/aduan/sweep.ts). Cases, steps, the
 * audit log, notifications and IKD events are records of the office and are never touched here.
 */
import { DEVICE_MAX_AGE_MS } from './auth/known-device';
import { IDLE_TIMEOUT_MS } from './auth/sessions';
import { sweepUnsentAnswerFiles } from './aduan/sweep';
import * as bdb from './db/birth';

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
  /**
   * Parts of a birth attachment sent in pieces (worker/routes/birth-files.ts), counted from the LAST part that
   * arrived: a clinic's device may stay offline over a long weekend or a week of bad signal and still resume, but a
   * file nothing arrived for in 7 days was most likely replaced (a resubmit declares a new file) or its device lost;
   * its parts only cost R2 storage. A device that comes back later is told it holds no parts and sends the file again
   * from the start (the file itself is still in its IndexedDB until the server has it whole).
   */
  abandonedUploadMs: 7 * DAY,
} as const;

/** Rows deleted per statement, so one run never holds the database for long; the next run continues. */
export const BATCH = 500;

/**
 * Abandoned uploads swept per run: at most 20 parts each (5 MB in 256 KiB parts), so one run deletes at most 1,000
 * R2 objects, the most one R2 delete call takes; a backlog drains over the following hours.
 */
export const UPLOAD_SWEEP_BATCH = 50;

/** Runs at minute 0 of each hour (the cron fires every minute for deliveries). */
export const isHousekeepingMinute = (now: number): boolean => new Date(now).getUTCMinutes() === 0;

export type HousekeepingReport = Record<'sessions' | 'residentChallenges' | 'bindingNonces' | 'throttles' | 'ktpNonces' | 'commands' | 'knownDevices', number> & {
  /** The file sweeps (R2 objects and their rows); absent when run without the bucket. */
  unsentAnswerFiles?: number;
  abandonedUploads?: { uploads: number; parts: number };
};

const deleteWhere = (db: D1Database, table: string, where: string, ...binds: number[]) =>
  db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${BATCH})`).bind(...binds);

/** The row deletions, then (given the R2 bucket) the two file sweeps: complaint answer files and upload parts. */
export async function housekeep(db: D1Database, now: number, files?: R2Bucket): Promise<HousekeepingReport> {
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
    ...(files ? { unsentAnswerFiles: await sweepUnsentAnswerFiles(db, files, now), abandonedUploads: await sweepAbandonedUploads({ DB: db, FILES: files }, now) } : {}),
  };
}

/**
 * Deletes the parts of uploads no part of which arrived for KEEP.abandonedUploadMs: their R2 objects first, then
 * their rows, so an object is never left behind by a row already forgotten. Never a completed file (its object is
 * elsewhere, its attachment row is not touched) and never an upload still moving: the row delete checks again, and a
 * device that resumed in between finds the parts it lost missing at completion and sends them again.
 */
export async function sweepAbandonedUploads(env: { DB: D1Database; FILES: R2Bucket }, now: number): Promise<{ uploads: number; parts: number }> {
  const before = now - KEEP.abandonedUploadMs;
  const parts = await bdb.abandonedUploadParts(env.DB, before, UPLOAD_SWEEP_BATCH);
  if (!parts.length) return { uploads: 0, parts: 0 };
  const keys = parts.map((p) => p.r2_key);
  for (let i = 0; i < keys.length; i += 1000) await env.FILES.delete(keys.slice(i, i + 1000));
  const ids = [...new Set(parts.map((p) => p.attachment_id))];
  const out = await bdb.deleteAbandonedUploadParts(env.DB, ids, before).run();
  return { uploads: ids.length, parts: out.meta.changes ?? 0 };
}
