import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DECOY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../worker/auth/password';
import { weakPasswordReason } from '../../worker/auth/password-policy';
import { hashToken } from '../../worker/auth/sessions';
import { ACCOUNT_POLICY, ACCOUNT_WIDE_POLICY, ipBucket, IP_POLICY, Throttle, throttleSource } from '../../worker/auth/throttle';
import { api, createStaff, ORIGIN, sessionCookieOf, signIn, STAFF_PASSWORD, testIp } from './helpers/auth';

const MINUTE = 60_000;

async function login(username: string, password: string, ip: string) {
  return api('/api/auth/login', { method: 'POST', json: { username, password }, ip });
}

async function sessionRow(cookie: string) {
  const token = cookie.split('=')[1]!;
  return env.DB.prepare('SELECT * FROM sessions WHERE token_hash = ?').bind(await hashToken(token)).first<{
    last_seen_at: number;
    expires_at: number;
    revoked_at: number | null;
    created_at: number;
  }>();
}

describe('password hashing', () => {
  it('stores pbkdf2-sha256$100000$salt$hash and verifies only the right password with the right pepper', async () => {
    const stored = await hashPassword('kopi-tubruk-2024', 'pepper-a');
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('kopi-tubruk-2024', stored, 'pepper-a')).toBe(true);
    expect(await verifyPassword('kopi-tubruk-2025', stored, 'pepper-a')).toBe(false);
    expect(await verifyPassword('kopi-tubruk-2024', stored, 'pepper-b')).toBe(false);
    // Random salt: the same password never hashes the same twice.
    expect(await hashPassword('kopi-tubruk-2024', 'pepper-a')).not.toBe(stored);
  });
  it('refuses malformed or unsupported stored values instead of throwing', async () => {
    const stored = await hashPassword('kopi-tubruk-2024', 'p');
    expect(await verifyPassword('kopi-tubruk-2024', stored.replace('$100000$', '$200000$'), 'p')).toBe(false);
    expect(await verifyPassword('kopi-tubruk-2024', 'bcrypt$x', 'p')).toBe(false);
    expect(await verifyPassword('kopi-tubruk-2024', stored.slice(0, -2), 'p')).toBe(false);
    expect(await verifyPassword('', DECOY_PASSWORD_HASH, 'p')).toBe(false);
  });
  it('policy: length, username, repeated, common (also local and case-insensitive)', () => {
    expect(weakPasswordReason('Ab1!xyz', 'budi')).toBe('too_short');
    expect(weakPasswordReason('a'.repeat(129) + 'b', 'budi')).toBe('too_long');
    expect(weakPasswordReason('Budi.Santoso', 'budi.santoso')).toBe('same_as_username');
    expect(weakPasswordReason('zzzzzzzzzz', 'budi')).toBe('repeated');
    expect(weakPasswordReason('Password', 'budi')).toBe('common');
    expect(weakPasswordReason('sunshine', 'budi')).toBe('common');
    expect(weakPasswordReason('Bismillah', 'budi')).toBe('common');
    expect(weakPasswordReason('kopi-tubruk-2024', 'budi')).toBeNull();
    // Eight characters counted as code points: four emoji pairs are not eight characters.
    expect(weakPasswordReason('😀😀😀😀', 'budi')).toBe('too_short');
  });
});

describe('POST /api/auth/login', () => {
  it('signs in, answers the user and sets an HttpOnly SameSite=Strict cookie whose token is stored only hashed', async () => {
    const fo = await createStaff({ roles: ['front_office', 'operator'] });
    const res = await login(fo.username, fo.password, testIp());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      user: { id: fo.id, username: fo.username, displayName: fo.displayName, officeCode: fo.officeCode, roles: ['front_office', 'operator'] },
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('loket_session='))!;
    expect(setCookie).toMatch(/^loket_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure'); // plain http here
    const cookie = sessionCookieOf(res)!;
    const token = cookie.split('=')[1]!;
    const stored = await env.DB.prepare('SELECT token_hash, subject_type, subject_id, expires_at - created_at AS lifetime FROM sessions WHERE subject_id = ?')
      .bind(fo.id)
      .all<{ token_hash: string; subject_type: string; subject_id: string; lifetime: number }>();
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0]).toMatchObject({ token_hash: await hashToken(token), subject_type: 'staff', lifetime: 12 * 60 * MINUTE });
    expect(stored.results[0]!.token_hash).not.toContain(token);

    const me = await api('/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(fo.id);
  });

  it('marks the cookie Secure on https and accepts usernames in any case', async () => {
    const fo = await createStaff();
    const res = await api('https://localhost/api/auth/login', {
      method: 'POST',
      headers: { origin: 'https://localhost' },
      json: { username: fo.username.toUpperCase(), password: fo.password },
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('loket_session='))).toContain('Secure');
  });

  it('answers 401 invalid_credentials for a wrong password, an unknown user and a disabled account alike', async () => {
    const fo = await createStaff();
    const off = await createStaff({ disabled: true });
    const ip = testIp();
    for (const [u, p] of [[fo.username, 'salah-sandi-123'], ['tidak-ada', STAFF_PASSWORD], [off.username, off.password]] as const) {
      const res = await login(u, p, ip);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'invalid_credentials' });
      expect(sessionCookieOf(res)).toBeNull();
    }
    const audit = await env.DB.prepare("SELECT object, detail_json FROM audit_log WHERE action = 'auth.login_failed' ORDER BY seq").all<{ object: string; detail_json: string }>();
    const mine = audit.results.slice(-3);
    expect(mine.map((r) => r.object)).toEqual([`user:${fo.id}`, 'user:unknown', `user:${off.id}`]);
    expect(mine.map((r) => JSON.parse(r.detail_json).reason)).toEqual(['wrong_password', 'unknown_user', 'disabled']);
    // Neither the typed password nor an unknown typed name lands in the log.
    expect(JSON.stringify(mine)).not.toMatch(/salah-sandi|tidak-ada|Kopi-Tubruk/);
  });

  it('locks the (account, IP) pair after 5 failures with Retry-After, even against the right password; the owner elsewhere signs in', async () => {
    const fo = await createStaff();
    const attacker = testIp();
    for (let i = 1; i <= 5; i++) expect((await login(fo.username, `salah-${i}-sandi`, attacker)).status).toBe(401);
    const locked = await login(fo.username, fo.password, attacker);
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await locked.json()).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: retryAfter });

    // NIST SP 800-63B 5.2.2: the guesser's lock is not the owner's. From their own address the right password works.
    const owner = testIp();
    expect((await login(fo.username, fo.password, owner)).status).toBe(200);
    expect(await env.DB.prepare('SELECT * FROM throttles WHERE key = ?').bind(`signin:user:${fo.username}:ip:${owner}`).first()).toBeNull();
    const ok = await env.DB.prepare("SELECT actor, ip FROM audit_log WHERE action = 'auth.login' ORDER BY seq DESC LIMIT 1").first();
    expect(ok).toEqual({ actor: `staff:${fo.id}`, ip: owner });

    // When the minute is over (moved back in D1), the right password works from the attacker's address as well.
    await env.DB.prepare('UPDATE throttles SET locked_until = ? WHERE key = ?').bind(Date.now() - 1, `signin:user:${fo.username}:ip:${attacker}`).run();
    expect((await login(fo.username, fo.password, attacker)).status).toBe(200);
    expect(await env.DB.prepare('SELECT * FROM throttles WHERE key = ?').bind(`signin:user:${fo.username}:ip:${attacker}`).first()).toBeNull();
  });

  it('counts unknown usernames like real ones', async () => {
    const ip = testIp();
    for (let i = 0; i < 5; i++) expect((await login('Hantu.Tidak.Ada', 'apa-saja-123', ip)).status).toBe(401);
    const res = await login('hantu.tidak.ada', 'apa-saja-123', ip);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });

  it('an attacker from 25 addresses reaches the account-wide cap of 100: new browsers wait, the owner’s known browser does not', async () => {
    const fo = await createStaff();
    // The owner signed in once from their counter PC: it holds a loket_device cookie the account now knows.
    const first = await login(fo.username, fo.password, testIp());
    const device = first.headers.getSetCookie().find((c) => c.startsWith('loket_device='))?.split(';')[0];
    expect(device).toMatch(/^loket_device=[A-Za-z0-9_-]{43}$/);
    const attrs = first.headers.getSetCookie().find((c) => c.startsWith('loket_device='))!;
    expect(attrs).toContain('HttpOnly');
    expect(attrs).toContain('SameSite=Strict');
    expect(attrs).toContain('Path=/api/auth');

    const sources = Array.from({ length: 25 }, () => testIp());
    for (const ip of sources) for (let i = 0; i < 4; i++) expect((await login(fo.username, `tebak-${i}-${ip}`, ip)).status).toBe(401);
    // A browser the account never saw, from a fresh address, waits out the account-wide lock (an hour).
    const stranger = await login(fo.username, fo.password, testIp());
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(59 * 60);
    // The owner's browser signs in, even from one of the attacker's addresses (a shared carrier NAT).
    const viaNat = await api('/api/auth/login', { method: 'POST', json: { username: fo.username, password: fo.password }, ip: sources[0]!, cookie: device! });
    expect(viaNat.status).toBe(200);
    // A made-up device cookie is not a known device.
    const forged = await api('/api/auth/login', { method: 'POST', json: { username: fo.username, password: fo.password }, ip: testIp(), cookie: `loket_device=${'B'.repeat(43)}` });
    expect(forged.status).toBe(429);
  }, 60_000);

  it('a known browser has its own counter: 5 wrong passwords lock that browser, not the owner’s other ones', async () => {
    const fo = await createStaff();
    const ip = testIp();
    const first = await login(fo.username, fo.password, ip);
    const device = first.headers.getSetCookie().find((c) => c.startsWith('loket_device='))!.split(';')[0]!;
    const withDevice = (password: string) => api('/api/auth/login', { method: 'POST', json: { username: fo.username, password }, ip, cookie: device });
    for (let i = 0; i < 5; i++) expect((await withDevice(`keliru-${i}-sandi`)).status).toBe(401);
    expect((await withDevice(fo.password)).status).toBe(429);
    // Same address, no device cookie: the (account, IP) pair is a different counter and was never charged.
    expect((await login(fo.username, fo.password, ip)).status).toBe(200);
  });

  it('resets the account counter after a successful sign-in', async () => {
    const fo = await createStaff();
    const ip = testIp();
    for (let i = 0; i < 4; i++) expect((await login(fo.username, 'bukan-sandinya', ip)).status).toBe(401);
    expect((await login(fo.username, fo.password, ip)).status).toBe(200);
    // Four more failures: still below the limit because the count started again.
    for (let i = 0; i < 4; i++) expect((await login(fo.username, 'bukan-sandinya', ip)).status).toBe(401);
    expect((await login(fo.username, fo.password, ip)).status).toBe(200);
  });

  it('shuts out an IP after 30 failures in 15 minutes, for every account, while other IPs still sign in', async () => {
    const fo = await createStaff();
    const ip = testIp();
    // Different usernames so no account lock interferes: only the IP counter reaches its limit.
    for (let i = 0; i < 30; i++) expect((await login(`tamu-${i}`, 'bukan-sandinya', ip)).status).toBe(401);
    const res = await login(fo.username, fo.password, ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect((await login(fo.username, fo.password, testIp())).status).toBe(200);
  }, 30_000);
});

describe('throttle waits (injected clock)', () => {
  it('grows the account lock 1, 2, 4 … minutes up to one hour, and forgets after its window', async () => {
    let now = Date.UTC(2026, 0, 5, 1, 0);
    const throttle = new Throttle(env.DB, () => now);
    const limits = [{ key: `test:acct:${crypto.randomUUID()}`, policy: ACCOUNT_POLICY }];
    for (let i = 0; i < 4; i++) expect(await throttle.fail(limits)).toBe(0);
    await throttle.assertAllowed(limits);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const wait = await throttle.fail(limits);
      waits.push(wait);
      await expect(throttle.assertAllowed(limits)).rejects.toMatchObject({ code: 'too_many_attempts', extra: { retryAfterSeconds: wait } });
      now += wait * 1000 - 1000;
      expect(await throttle.retryAfterSeconds(limits)).toBe(1);
      now += 1000;
      expect(await throttle.retryAfterSeconds(limits)).toBe(0);
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    // A day after the first failure the counter starts again: one more failure does not lock.
    now += 24 * 60 * MINUTE;
    expect(await throttle.fail(limits)).toBe(0);
  });

  it('locks an IP at its 30th failure until its 15-minute window ends', async () => {
    let now = Date.UTC(2026, 0, 5, 1, 0);
    const throttle = new Throttle(env.DB, () => now);
    const limits = [{ key: `test:ip:${crypto.randomUUID()}`, policy: IP_POLICY }];
    for (let i = 0; i < 29; i++) {
      now += 10_000;
      expect(await throttle.fail(limits)).toBe(0);
    }
    now += 10_000; // 300 s after the window opened at the first failure
    expect(await throttle.fail(limits)).toBe(15 * 60 - 290);
    now += (15 * 60 - 290) * 1000;
    await throttle.assertAllowed(limits);
    expect(await throttle.fail(limits)).toBe(0); // a new window
  });

  it('locks the account-wide counter at its 100th failure for 1 hour, doubling to at most 24', async () => {
    let now = Date.UTC(2026, 0, 5, 1, 0);
    const throttle = new Throttle(env.DB, () => now);
    const limits = [{ key: `test:acct-wide:${crypto.randomUUID()}`, policy: ACCOUNT_WIDE_POLICY }];
    for (let i = 0; i < 99; i++) expect(await throttle.fail(limits)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      waits.push(await throttle.fail(limits));
      now += 1000;
    }
    expect(waits.map((w) => w / 3600)).toEqual([1, 2, 4, 8, 16, 24, 24]);
  });

  it('keys per-source limits by CF-Connecting-IP, IPv6 per /64; refuses a production request that did not come through Cloudflare', () => {
    const ctx = (headers: Record<string, string>, ENVIRONMENT: string, cf?: object) => ({
      req: { header: (n: string) => headers[n.toLowerCase()], raw: (cf ? { cf } : {}) as unknown as Request },
      env: { ENVIRONMENT },
    });
    expect(throttleSource(ctx({ 'cf-connecting-ip': '203.0.113.7' }, 'test'))).toBe('203.0.113.7');
    expect(throttleSource(ctx({ 'cf-connecting-ip': '2001:db8:aa:bb:1:2:3:4' }, 'test'))).toBe('2001:db8:aa:bb::/64');
    expect(throttleSource(ctx({ 'cf-connecting-ip': '2001:db8:aa:bb::9' }, 'test'))).toBe('2001:db8:aa:bb::/64');
    expect(ipBucket('2001:0DB8:00aa:0::1')).toBe('2001:db8:aa:0::/64');
    expect(ipBucket('::1')).toBe('0:0:0:0::/64');
    // Outside production a missing header is the named 'unattributed' bucket (wrangler dev sets it from the socket).
    expect(throttleSource(ctx({}, 'development'))).toBe('unattributed');
    // In production Cloudflare's edge always fills request.cf and CF-Connecting-IP: without them, refuse.
    expect(throttleSource(ctx({ 'cf-connecting-ip': '198.51.100.4' }, 'production', { colo: 'CGK' }))).toBe('198.51.100.4');
    expect(() => throttleSource(ctx({}, 'production', { colo: 'CGK' }))).toThrow(expect.objectContaining({ code: 'client_ip_missing', status: 400 }));
    expect(() => throttleSource(ctx({ 'cf-connecting-ip': '198.51.100.4' }, 'production'))).toThrow(expect.objectContaining({ code: 'client_ip_missing' }));
  });

  it('reset forgets a key', async () => {
    const throttle = new Throttle(env.DB);
    const limits = [{ key: `pin:${crypto.randomUUID()}`, policy: ACCOUNT_POLICY }];
    for (let i = 0; i < 5; i++) await throttle.fail(limits);
    expect(await throttle.retryAfterSeconds(limits)).toBeGreaterThan(0);
    await throttle.reset(limits[0]!.key);
    expect(await throttle.retryAfterSeconds(limits)).toBe(0);
  });
});

describe('sessions', () => {
  it('GET /api/auth/me without a cookie or with an unknown token → 401 unauthenticated', async () => {
    expect(await (await api('/api/auth/me')).json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    const forged = await api('/api/auth/me', { cookie: `loket_session=${'A'.repeat(43)}` });
    expect(await forged.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('refreshes last_seen_at at most once a minute and ends the session after 30 idle minutes', async () => {
    const fo = await createStaff();
    const s = await signIn(fo.username, fo.password);
    const hash = await hashToken(s.cookie.split('=')[1]!);
    const setLastSeen = (t: number) => env.DB.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').bind(t, hash).run();

    const recent = Date.now() - 30_000;
    await setLastSeen(recent);
    expect((await s.fetch('/api/auth/me')).status).toBe(200);
    expect((await sessionRow(s.cookie))!.last_seen_at).toBe(recent); // under a minute: no write

    await setLastSeen(Date.now() - 29 * MINUTE);
    expect((await s.fetch('/api/auth/me')).status).toBe(200);
    expect((await sessionRow(s.cookie))!.last_seen_at).toBeGreaterThan(Date.now() - MINUTE); // refreshed

    await setLastSeen(Date.now() - 31 * MINUTE);
    const res = await s.fetch('/api/auth/me');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_expired', reason: 'idle' });
  });

  it('ends the session at its absolute limit however active it is', async () => {
    const fo = await createStaff();
    const s = await signIn(fo.username, fo.password);
    const row = (await sessionRow(s.cookie))!;
    await env.DB.prepare('UPDATE sessions SET expires_at = ?, last_seen_at = ? WHERE token_hash = ?')
      .bind(Date.now() - 1, Date.now(), await hashToken(s.cookie.split('=')[1]!))
      .run();
    expect(row.expires_at).toBeGreaterThan(Date.now());
    const res = await s.fetch('/api/auth/me');
    expect(await res.json()).toMatchObject({ status: 401, code: 'session_expired', reason: 'absolute' });
  });

  it('logout revokes the session server-side: the old cookie is refused afterwards', async () => {
    const fo = await createStaff();
    const s = await signIn(fo.username, fo.password);
    const res = await s.fetch('/api/auth/logout', { method: 'POST' });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('loket_session='))).toMatch(/Max-Age=0/);
    expect((await sessionRow(s.cookie))!.revoked_at).not.toBeNull();
    const after = await s.fetch('/api/auth/me');
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ code: 'session_expired', reason: 'revoked' });
    const audit = await env.DB.prepare("SELECT actor FROM audit_log WHERE action = 'auth.logout' ORDER BY seq DESC LIMIT 1").first();
    expect(audit).toEqual({ actor: `staff:${fo.id}` });
    // Logging out without a session is harmless.
    expect((await api('/api/auth/logout', { method: 'POST' })).status).toBe(204);
  });

  it('signing in again over a live session replaces it', async () => {
    const fo = await createStaff();
    const first = await signIn(fo.username, fo.password);
    const res = await api('/api/auth/login', { method: 'POST', cookie: first.cookie, json: { username: fo.username, password: fo.password } });
    expect(res.status).toBe(200);
    expect((await sessionRow(first.cookie))!.revoked_at).not.toBeNull();
    expect((await api('/api/auth/me', { cookie: sessionCookieOf(res)! })).status).toBe(200);
  });

  it('disabling a user through the admin API ends all their sessions at once', async () => {
    const admin = await createStaff({ roles: ['admin'] });
    const fo = await createStaff();
    const tablet = await signIn(fo.username, fo.password);
    const pc = await signIn(fo.username, fo.password);
    const asAdmin = await signIn(admin.username, admin.password);
    expect((await asAdmin.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json: { disabled: true } })).status).toBe(200);
    for (const s of [tablet, pc]) expect(await (await s.fetch('/api/auth/me')).json()).toMatchObject({ code: 'session_expired' });
    expect((await login(fo.username, fo.password, testIp())).status).toBe(401);
    expect((await asAdmin.fetch('/api/auth/me')).status).toBe(200);
  });
});

describe('POST /api/auth/change-password', () => {
  it('checks the current password, applies the policy, and replaces every session with a fresh one', async () => {
    const fo = await createStaff();
    const s = await signIn(fo.username, fo.password);
    const other = await signIn(fo.username, fo.password);

    const wrong = await s.fetch('/api/auth/change-password', { method: 'POST', json: { currentPassword: 'bukan-ini-123', newPassword: 'Sate-Padang-77' } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: 'current_password_wrong' });

    const weak = await s.fetch('/api/auth/change-password', { method: 'POST', json: { currentPassword: fo.password, newPassword: 'iloveyou' } });
    expect(weak.status).toBe(422);
    expect(await weak.json()).toMatchObject({ code: 'weak_password', reason: 'common' });
    const same = await s.fetch('/api/auth/change-password', { method: 'POST', json: { currentPassword: fo.password, newPassword: fo.password } });
    expect(await same.json()).toMatchObject({ code: 'weak_password', reason: 'unchanged' });

    const res = await s.fetch('/api/auth/change-password', { method: 'POST', json: { currentPassword: fo.password, newPassword: 'Sate-Padang-77' } });
    expect(res.status).toBe(204);
    const fresh = sessionCookieOf(res)!;
    expect(fresh).not.toBe(s.cookie);
    expect((await api('/api/auth/me', { cookie: fresh })).status).toBe(200);
    for (const old of [s, other]) expect(await (await old.fetch('/api/auth/me')).json()).toMatchObject({ code: 'session_expired' });
    expect((await login(fo.username, fo.password, testIp())).status).toBe(401);
    expect((await login(fo.username, 'Sate-Padang-77', testIp())).status).toBe(200);
  });

  it('needs a session', async () => {
    const res = await api('/api/auth/change-password', { method: 'POST', json: { currentPassword: 'x', newPassword: 'Sate-Padang-77' } });
    expect(await res.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without Origin or with a foreign Origin', async () => {
    const fo = await createStaff();
    const body = { username: fo.username, password: fo.password };
    const none = await api('/api/auth/login', { method: 'POST', json: body, noOrigin: true });
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ code: 'csrf_rejected' });
    const foreign = await api('/api/auth/login', { method: 'POST', json: body, headers: { origin: 'https://jahat.example' } });
    expect(await foreign.json()).toMatchObject({ status: 403, code: 'csrf_rejected' });
    const otherPort = await api('/api/auth/login', { method: 'POST', json: body, headers: { origin: `${ORIGIN}:8080` } });
    expect(otherPort.status).toBe(403);
    const crossSite = await api('/api/auth/login', { method: 'POST', json: body, noOrigin: true, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a foreign Origin even when Sec-Fetch-Site claims same-origin (issue 8: logout from evil.example)', async () => {
    const fo = await createStaff();
    const as = await signIn(fo.username, fo.password);
    const forged = await api('/api/auth/logout', { method: 'POST', cookie: as.cookie, headers: { origin: 'http://evil.example', 'sec-fetch-site': 'same-origin' } });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 'csrf_rejected' });
    // The session survived the forged request.
    expect((await as.fetch('/api/auth/me')).status).toBe(200);
    // The server-to-server exemption does not cover a request that names a foreign Origin either.
    const verify = await api('/api/ktp/verify', { method: 'POST', json: { qr: 'AA' }, headers: { origin: 'http://evil.example' } });
    expect(await verify.json()).toMatchObject({ code: 'csrf_rejected' });
    // `Origin: null` (sandboxed frame, file://) is not ours either.
    const nullOrigin = await api('/api/auth/logout', { method: 'POST', cookie: as.cookie, headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(nullOrigin.status).toBe(403);
  });

  it('accepts Sec-Fetch-Site: same-origin and lets GET through without Origin', async () => {
    const fo = await createStaff();
    const res = await api('/api/auth/login', {
      method: 'POST',
      json: { username: fo.username, password: fo.password },
      noOrigin: true,
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(200);
    expect((await api('/api/auth/me', { noOrigin: true, cookie: sessionCookieOf(res)! })).status).toBe(200);
  });
});

describe('request validation', () => {
  it('bad JSON → 400 bad_json', async () => {
    const res = await api('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'bad_json' });
  });
  it('unknown field → 422 validation_failed', async () => {
    const res = await api('/api/auth/login', { method: 'POST', json: { username: 'budi', password: 'x', remember: true } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'validation_failed' });
  });
  it('wrong type → 422 validation_failed naming the field', async () => {
    const res = await api('/api/auth/login', { method: 'POST', json: { username: 'budi', password: 12345678 } });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toContain('password');
  });
  it('lists the auth and staff routes in the OpenAPI document', async () => {
    const doc = (await (await api('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/auth/change-password', '/api/staff', '/api/staff/{id}']));
  });
});
