/**
 * Limits on failed attempts (sign-in now, PIN entry later): counters per key in D1, locks with growing waits.
 * The clock is injectable so tests can walk through the waits without sleeping.
 */
import { ApiError } from '../errors';
import { clearThrottle, countFailure, lockUntil, readThrottles } from '../db/throttles';

const MINUTE = 60_000;

export interface ThrottlePolicy {
  /** Failures allowed before the first lock; the `limit`-th failure locks. */
  limit: number;
  /** A counter is forgotten this long after its first failure. */
  windowMs: number;
  /** Until when the `failures`-th failure (failures ≥ limit) locks the key. */
  lockedUntil(failures: number, windowStart: number, now: number): number;
}

/** Per account: the 5th failure locks for 1 minute, each further one doubles the wait (2, 4, 8 … minutes, at most 1 hour). */
export const ACCOUNT_POLICY: ThrottlePolicy = {
  limit: 5,
  windowMs: 24 * 60 * MINUTE,
  lockedUntil: (failures, _windowStart, now) => now + Math.min(MINUTE * 2 ** (failures - 5), 60 * MINUTE),
};

/** Per client IP: 30 failures within 15 minutes shut that IP out until the 15 minutes are over. */
export const IP_POLICY: ThrottlePolicy = {
  limit: 30,
  windowMs: 15 * MINUTE,
  lockedUntil: (_failures, windowStart) => windowStart + 15 * MINUTE,
};

/** One counter to check and charge: a namespaced key ("signin:user:budi", later "pin:<nik>") and its policy. */
export interface Limit {
  key: string;
  policy: ThrottlePolicy;
}

/** The two counters every staff sign-in attempt is charged to; unknown usernames count too. */
export function signInLimits(username: string, ip: string): Limit[] {
  return [
    { key: `signin:user:${username.trim().toLowerCase()}`, policy: ACCOUNT_POLICY },
    { key: `signin:ip:${ip}`, policy: IP_POLICY },
  ];
}

/** The client address Cloudflare saw; 'unknown' when absent (local tools), which then share one IP counter. */
export function clientIp(headers: { header(name: string): string | undefined }): string {
  return headers.header('cf-connecting-ip')?.trim() || 'unknown';
}

/**
 * Checks and charges attempt counters.
 * @example
 * const throttle = new Throttle(env.DB);
 * await throttle.assertAllowed(limits);           // 429 too_many_attempts while locked
 * if (!ok) await throttle.fail(limits); else await throttle.reset(limits[0].key);
 */
export class Throttle {
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whole seconds until all `limits` allow an attempt; 0 when they do now. */
  async retryAfterSeconds(limits: Limit[]): Promise<number> {
    const now = this.now();
    const rows = await readThrottles(this.db, limits.map((l) => l.key));
    return secondsUntil(Math.max(0, ...rows.map((r) => r.locked_until)), now);
  }

  /** Throws 429 `too_many_attempts` with `retryAfterSeconds` (and so a Retry-After header) while any limit is locked. */
  async assertAllowed(limits: Limit[]): Promise<void> {
    const wait = await this.retryAfterSeconds(limits);
    if (wait > 0) throw tooManyAttempts(wait);
  }

  /** Counts a failure on every limit; returns the seconds the caller must now wait (0 when not locked yet). */
  async fail(limits: Limit[]): Promise<number> {
    const now = this.now();
    const counted = await this.db.batch<{ failures: number; window_start: number }>(
      limits.map((l) => countFailure(this.db, l.key, now, l.policy.windowMs)),
    );
    const locks: { key: string; until: number }[] = [];
    limits.forEach((l, i) => {
      const row = counted[i]?.results[0];
      if (row && row.failures >= l.policy.limit) locks.push({ key: l.key, until: l.policy.lockedUntil(row.failures, row.window_start, now) });
    });
    if (locks.length === 0) return 0;
    await this.db.batch(locks.map((l) => lockUntil(this.db, l.key, l.until)));
    return secondsUntil(Math.max(...locks.map((l) => l.until)), now);
  }

  /** Forgets a counter, e.g. the account's after a successful sign-in. */
  async reset(key: string): Promise<void> {
    await clearThrottle(this.db, key).run();
  }
}

export function tooManyAttempts(retryAfterSeconds: number): ApiError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new ApiError(
    'too_many_attempts',
    `Terlalu banyak percobaan yang gagal. Coba lagi dalam ${minutes} menit. / Too many failed attempts. Try again in ${minutes} minute(s).`,
    { retryAfterSeconds },
  );
}

function secondsUntil(until: number, now: number): number {
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}
