/** Hourly housekeeping deletes only rows whose purpose has passed, and leaves the office's records alone. */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { IDLE_TIMEOUT_MS } from '../../worker/auth/sessions';
import { BATCH, housekeep, isHousekeepingMinute, KEEP } from '../../worker/housekeeping';
import { api, createStaff, testIp } from './helpers/auth';

const NOW = Date.UTC(2026, 10, 23, 10, 0);
const DAY = 86_400_000;
const db = env.DB;

async function ids(table: string, column: string): Promise<string[]> {
  const { results } = await db.prepare(`SELECT ${column} AS id FROM ${table} ORDER BY 1`).all<{ id: string }>();
  return results.map((r) => String(r.id));
}

const session = (hash: string, createdAt: number, lastSeen: number, revokedAt: number | null = null) =>
  db
    .prepare(`INSERT INTO sessions (token_hash, subject_type, subject_id, created_at, last_seen_at, expires_at, revoked_at) VALUES (?, 'staff', 'u-hk', ?, ?, ?, ?)`)
    .bind(hash, createdAt, lastSeen, createdAt + 12 * 3_600_000, revokedAt);

describe('housekeeping', () => {
  beforeEach(async () => {
    for (const t of ['sessions', 'resident_challenges', 'binding_nonces', 'throttles', 'ktp_seen_nonces', 'commands', 'known_devices']) await db.exec(`DELETE FROM ${t}`);
  });

  it('runs at minute 0 of each hour only', () => {
    expect(isHousekeepingMinute(NOW)).toBe(true);
    expect(isHousekeepingMinute(NOW + 60_000)).toBe(false);
    expect(isHousekeepingMinute(NOW - 60_000)).toBe(false);
  });

  it('forgets sessions a week after they ended (absolute, idle or revoked), keeps the rest', async () => {
    const edge = NOW - KEEP.endedSessionMs;
    await db.batch([
      session('active', NOW - 3_600_000, NOW - 60_000),
      session('absolute-old', edge - 13 * 3_600_000, edge - 2 * 3_600_000), // expired 1 h before the edge
      session('idle-old', edge - 3_600_000, edge - IDLE_TIMEOUT_MS - 60_000), // went idle a minute before the edge
      session('idle-recent', edge - 3_600_000, edge - IDLE_TIMEOUT_MS + 60_000),
      session('revoked-old', NOW - 3_600_000, NOW - 3_600_000, edge - 1),
      session('revoked-recent', NOW - 3_600_000, NOW - 3_600_000, NOW - DAY),
    ]);
    const report = await housekeep(db, NOW);
    expect(report.sessions).toBe(3);
    expect(await ids('sessions', 'token_hash')).toEqual(['active', 'idle-recent', 'revoked-recent']);
  });

  it('forgets challenges and binding nonces a day after expiry, seen KTP nonces at expiry, stale throttles', async () => {
    await db.batch([
      db.prepare(`INSERT INTO resident_challenges (id, nik, thumbprint, challenge, created_at, expires_at) VALUES ('c-old', 'n', 't', 'x', 0, ?), ('c-new', 'n', 't', 'x', 0, ?)`).bind(NOW - KEEP.challengeMs - 1, NOW - 60_000),
      db.prepare(`INSERT INTO binding_nonces (nonce_hash, case_id, direction, created_by, created_at, expires_at) VALUES ('b-old', 'c', 'phone_qr', 'u', 0, ?), ('b-new', 'c', 'phone_qr', 'u', 0, ?)`).bind(NOW - KEEP.challengeMs - 1, NOW + 60_000),
      db.prepare(`INSERT INTO ktp_seen_nonces (nonce_key, expires_at) VALUES ('k-old', ?), ('k-new', ?)`).bind(NOW - 1, NOW + 30_000),
      db.prepare(`INSERT INTO throttles (key, failures, window_start, locked_until) VALUES ('t-old', 3, ?, 0), ('t-locked', 9, ?, ?), ('t-new', 1, ?, 0)`).bind(NOW - KEEP.throttleMs - 1, NOW - KEEP.throttleMs - 1, NOW + 60_000, NOW - 3_600_000),
    ]);
    const report = await housekeep(db, NOW);
    expect(report).toMatchObject({ residentChallenges: 1, bindingNonces: 1, ktpNonces: 1, throttles: 1 });
    expect(await ids('resident_challenges', 'id')).toEqual(['c-new']);
    expect(await ids('binding_nonces', 'nonce_hash')).toEqual(['b-new']);
    expect(await ids('ktp_seen_nonces', 'nonce_key')).toEqual(['k-new']);
    // A key still locked stays, however old its window.
    expect(await ids('throttles', 'key')).toEqual(['t-locked', 't-new']);
  });

  it('keeps command results 90 days, deleting at most one batch per run', async () => {
    const old = NOW - KEEP.commandMs - 1;
    const rows = Array.from({ length: BATCH + 3 }, (_, i) => db.prepare(`INSERT INTO commands (id, subject_id, received_at, status, result_json) VALUES (?, 'u', ?, 'applied', '{}')`).bind(`old-${i}`, old));
    rows.push(db.prepare(`INSERT INTO commands (id, subject_id, received_at, status, result_json) VALUES ('recent', 'u', ?, 'applied', '{}')`).bind(NOW - 89 * DAY));
    await db.batch(rows);
    expect((await housekeep(db, NOW)).commands).toBe(BATCH);
    expect((await housekeep(db, NOW)).commands).toBe(3);
    expect(await ids('commands', 'id')).toEqual(['recent']);
  });

  it('forgets a staff browser 180 days after its last sign-in, when its cookie has expired; keeps browsers in use', async () => {
    const { id } = await createStaff({ roles: ['front_office'] });
    const device = (hash: string, lastSeen: number) =>
      db.prepare('INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)').bind(id, hash, lastSeen - 400 * DAY, lastSeen);
    const edge = NOW - KEEP.knownDeviceMs;
    await db.batch([device('gone', edge - 1), device('long-gone', edge - 300 * DAY), device('edge', edge), device('in-use', NOW - DAY)]);
    expect(KEEP.knownDeviceMs).toBe(180 * DAY);
    expect((await housekeep(db, NOW)).knownDevices).toBe(2);
    expect(await ids('known_devices', 'device_hash')).toEqual(['edge', 'in-use']);
    expect((await housekeep(db, NOW)).knownDevices).toBe(0);
  });

  it('sets the known-device cookie again at every sign-in, so it lives as long after the last one as its row', async () => {
    const acc = await createStaff({ roles: ['front_office'] });
    const login = (cookie?: string) => api('/api/auth/login', { method: 'POST', json: { username: acc.username, password: acc.password }, ip: testIp(), ...(cookie ? { cookie } : {}) });
    const deviceCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('loket_device='));
    const first = deviceCookie(await login())!;
    const value = first.split(';')[0]!;
    const again = deviceCookie(await login(value));
    expect(again?.split(';')[0]).toBe(value);
    expect(again).toMatch(/Max-Age=15552000/);
    const seen = await db.prepare('SELECT first_seen_at, last_seen_at FROM known_devices WHERE user_id = ?').bind(acc.id).all<{ first_seen_at: number; last_seen_at: number }>();
    expect(seen.results).toHaveLength(1);
    expect(seen.results[0]!.last_seen_at).toBeGreaterThanOrEqual(seen.results[0]!.first_seen_at);
  });
});
