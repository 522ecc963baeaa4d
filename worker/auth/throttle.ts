/**
 * Limits on failed attempts (staff sign-in, PIN entry, identity checks): counters per key in D1, locks with growing waits.
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

/**
 * Per (account, source): the 5th failure locks that pair for 1 minute, each further one doubles the wait (2, 4, 8 …
 * minutes, at most 1 hour). Someone guessing from elsewhere never locks the owner's own browser or address.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = {
  limit: 5,
  windowMs: 24 * 60 * MINUTE,
  lockedUntil: (failures, _windowStart, now) => now + Math.min(MINUTE * 2 ** (failures - 5), 60 * MINUTE),
};

/**
 * Per account, over every source: NIST SP 800-63B 5.2.2 caps consecutive failures on one account at 100. The 100th
 * failure within a day locks the account for 1 hour, doubling to at most 24; the lock holds only for browsers that
 * never signed in to the account (see staffSignInLimits), so a distributed guesser cannot keep the owner out.
 */
export const ACCOUNT_WIDE_POLICY: ThrottlePolicy = {
  limit: 100,
  windowMs: 24 * 60 * MINUTE,
  lockedUntil: (failures, _windowStart, now) => now + Math.min(60 * MINUTE * 2 ** (failures - 100), 24 * 60 * MINUTE),
};

/** Per client IP: 30 failures within 15 minutes shut that IP out until the 15 minutes are over. */
export const IP_POLICY: ThrottlePolicy = {
  limit: 30,
  windowMs: 15 * MINUTE,
  lockedUntil: (_failures, windowStart) => windowStart + 15 * MINUTE,
};

/** One counter to check and charge: a namespaced key ("signin:user:budi", "pin:<nik>") and its policy. */
export interface Limit {
  key: string;
  policy: ThrottlePolicy;
}

/** The counters one attempt is checked against (a lock on any refuses it) and the ones a failure is charged to. */
export interface AttemptLimits {
  check: Limit[];
  charge: Limit[];
  /** The counter a success clears: the (account, source) pair's. */
  resetKey: string;
}

/**
 * Staff sign-in (and the current-password check) per NIST SP 800-63B 5.2.2.
 * - A browser that signed in to this account before (`knownDevice`, the SHA-256 of its device cookie) is its own
 *   source: only its own (account, device) counter can lock it. An attacker cannot mint such a cookie.
 * - Any other request is checked against its (account, IP) pair, the account-wide cap and its IP's counter.
 * Every failure is charged to the pair and the account-wide counter (unknown usernames count too).
 */
export function staffSignInLimits(username: string, ip: string, knownDevice: string | null): AttemptLimits {
  const user = username.trim().toLowerCase();
  const account: Limit = { key: `signin:user:${user}`, policy: ACCOUNT_WIDE_POLICY };
  if (knownDevice) {
    const pair: Limit = { key: `signin:user:${user}:dev:${knownDevice}`, policy: ACCOUNT_POLICY };
    return { check: [pair], charge: [pair, account], resetKey: pair.key };
  }
  const pair: Limit = { key: `signin:user:${user}:ip:${ip}`, policy: ACCOUNT_POLICY };
  const perIp: Limit = { key: `signin:ip:${ip}`, policy: IP_POLICY };
  return { check: [pair, account, perIp], charge: [pair, account, perIp], resetKey: pair.key };
}

/** Raised once per isolate when requests arrive without CF-Connecting-IP outside production. */
let warnedUnattributed = false;

/** What a request exposes for the client-address decision; a Hono context fits. */
export interface SourceContext {
  req: { header(name: string): string | undefined; raw: Request };
  env: { ENVIRONMENT: string };
}

/**
 * The client address for per-source limits (docs/architecture.md "Client address").
 * In production every request reaches the Worker through Cloudflare's edge, which fills `request.cf` and sets
 * CF-Connecting-IP to the address it saw, overwriting whatever the client sent. A production request without
 * either did not come through the edge (a misrouted or internal call), so it is refused (`client_ip_missing`)
 * instead of being counted in one bucket shared with every such request. Outside production (wrangler dev, which
 * emulates `cf` and sets the header from the socket; workerd tests; local scripts) a missing header falls back
 * to the one bucket `unattributed`, and the isolate says so once in its log.
 * IPv6 addresses count per /64: one subscriber usually holds a whole /64, so single addresses would be free.
 */
export function throttleSource(c: SourceContext): string {
  const raw = c.req.header('cf-connecting-ip')?.trim();
  if (c.env.ENVIRONMENT === 'production' && (!raw || !(c.req.raw as { cf?: unknown }).cf)) {
    console.warn(JSON.stringify({ level: 'warn', event: 'client_ip_missing' }));
    throw new ApiError('client_ip_missing', 'Alamat klien tidak diketahui; permintaan ini tidak lewat Cloudflare. / Client address unknown: the request did not come through Cloudflare.');
  }
  if (!raw) {
    if (!warnedUnattributed) {
      warnedUnattributed = true;
      console.warn(JSON.stringify({ level: 'warn', event: 'client_ip_unattributed', environment: c.env.ENVIRONMENT }));
    }
    return 'unattributed';
  }
  return ipBucket(raw);
}

/** An IPv4 address as is; an IPv6 address as its /64 prefix ("2001:db8:1:2::/64"); anything else lower-cased. */
export function ipBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  if (right.some((g) => g.includes('.'))) right.splice(-1, 1, '0', '0'); // embedded IPv4 tail: two groups
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return ip.toLowerCase();
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The client address as Cloudflare saw it, for audit entries (never a throttle key: use throttleSource). */
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
