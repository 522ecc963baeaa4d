/** IKD after activation: sign-in with PIN and device signature, PIN lockout, change PIN, release, block, unblock and rebind, PIN reset. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../worker/auth/sessions';
import { api, sessionCookieOf, testIp } from './helpers/auth';
import {
  act,
  actOk,
  activationMail,
  activeResident,
  addResident,
  caseRow,
  KOTA_JAMBI,
  newDevice,
  OWN_PIN,
  register,
  residentLogin,
  staff,
  thumbprint,
  VERIFIED,
} from './ikd-kit';

type Problem = { code: string; attemptsLeft?: number; retryAfterSeconds?: number; reason?: string };
const problemOf = async (res: Response) => (await res.json()) as Problem;

/** The session of `cookie`, lowered to registration assurance (what a registration or resumption gives). */
async function registrationAssurance(cookie: string) {
  const token = cookie.slice('loket_session='.length);
  await env.DB.prepare(`UPDATE sessions SET assurance = 'registration' WHERE token_hash = ?`).bind(await hashToken(token)).run();
  return { fetch: (path: string, init: Parameters<typeof api>[1] = {}) => api(path, { ...init, cookie }) };
}

describe('sign-in', () => {
  it('signs in with NIK + PIN + device signature; the account screen shows the history', async () => {
    const a = await activeResident();
    const me = await a.session.fetch('/api/ikd/me');
    expect(me.status).toBe(200);
    const body = (await me.json()) as {
      assurance: string;
      account: { status: string; activatedAt: number };
      case: { state: string; actions: string[] };
      devices: { status: string; thumbprint: string }[];
      events: { kind: string }[];
    };
    expect(body.assurance).toBe('full');
    expect(body.account.status).toBe('active');
    expect(body.case).toMatchObject({ state: 'active', actions: ['release_device'] });
    expect(body.devices).toEqual([expect.objectContaining({ status: 'bound', thumbprint: await thumbprint(a.device) })]);
    expect(body.events.map((e) => e.kind)).toEqual(['signin', 'activated', 'activation_sent', 'device_bound', 'device_registered', 'verified', 'registered']);
    // A resident session is not a staff one.
    expect((await a.session.fetch('/api/auth/me')).status).toBe(403);
  });

  it('a challenge works once, for its NIK only, and expires', async () => {
    const a = await activeResident();
    const ip = testIp();
    const ch = (await (await api('/api/ikd/challenge', { method: 'POST', json: { nik: a.resident.nik, thumbprint: await thumbprint(a.device) }, ip })).json()) as { challengeId: string; challenge: string; expiresAt: number };
    expect(ch.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bytes = Uint8Array.from(atob(ch.challenge.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0));
    const signature = await a.device.sign(bytes);
    const other = await addResident();
    const wrongNik = await api('/api/ikd/login', { method: 'POST', json: { nik: other.nik, pin: OWN_PIN, challengeId: ch.challengeId, signature }, ip });
    expect((await problemOf(wrongNik)).code).toBe('challenge_invalid');
    expect((await api('/api/ikd/login', { method: 'POST', json: { nik: a.resident.nik, pin: OWN_PIN, challengeId: ch.challengeId, signature }, ip })).status).toBe(200);
    const replay = await api('/api/ikd/login', { method: 'POST', json: { nik: a.resident.nik, pin: OWN_PIN, challengeId: ch.challengeId, signature }, ip });
    expect((await problemOf(replay)).code).toBe('challenge_invalid');

    const ch2 = (await (await api('/api/ikd/challenge', { method: 'POST', json: { nik: a.resident.nik, thumbprint: await thumbprint(a.device) }, ip })).json()) as { challengeId: string; challenge: string };
    await env.DB.prepare('UPDATE resident_challenges SET expires_at = ? WHERE id = ?').bind(Date.now() - 1, ch2.challengeId).run();
    const late = await api('/api/ikd/login', { method: 'POST', json: { nik: a.resident.nik, pin: OWN_PIN, challengeId: ch2.challengeId, signature: await a.device.sign(Uint8Array.from(atob(ch2.challenge.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0))) }, ip });
    expect((await problemOf(late)).code).toBe('challenge_invalid');
  });

  it('another key cannot sign in, even with the right PIN', async () => {
    const a = await activeResident();
    const thief = await newDevice();
    // Challenge made for the real thumbprint, signed by another key.
    const ip = testIp();
    const ch = (await (await api('/api/ikd/challenge', { method: 'POST', json: { nik: a.resident.nik, thumbprint: await thumbprint(a.device) }, ip })).json()) as { challengeId: string; challenge: string };
    const bytes = Uint8Array.from(atob(ch.challenge.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0));
    const res = await api('/api/ikd/login', { method: 'POST', json: { nik: a.resident.nik, pin: OWN_PIN, challengeId: ch.challengeId, signature: await thief.sign(bytes) }, ip });
    expect((await problemOf(res)).code).toBe('device_signature_invalid');
    // An unbound key is not bound.
    expect((await problemOf(await residentLogin(a.resident.nik, thief, OWN_PIN))).code).toBe('device_not_bound');
  });

  it('garbage signatures never lock the resident: they are throttled per source address only (issue 8)', async () => {
    const a = await activeResident();
    const nik = a.resident.nik;
    const thief = await newDevice();
    const tp = await thumbprint(a.device);
    const attack = async (ip: string) => {
      const ch = (await (await api('/api/ikd/challenge', { method: 'POST', json: { nik, thumbprint: tp }, ip })).json()) as { challengeId: string; challenge: string };
      const bytes = Uint8Array.from(atob(ch.challenge.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0));
      return api('/api/ikd/login', { method: 'POST', json: { nik, pin: '905123', challengeId: ch.challengeId, signature: await thief.sign(bytes) }, ip });
    };
    // Ten tries from five addresses (the old rule locked the resident at the third, for up to an hour).
    for (let i = 0; i < 10; i++) expect((await problemOf(await attack(`192.0.2.${(i % 5) + 1}`))).code).toBe('device_signature_invalid');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM throttles WHERE key = ?').bind(`pin:${nik}`).first()).toEqual({ n: 0 });
    // The resident signs in with the bound phone at once, even from one of the attacker's addresses (carrier NAT).
    expect((await residentLogin(nik, a.device, OWN_PIN, '192.0.2.1')).status).toBe(200);

    // One address that keeps sending garbage is shut out after 30 within 15 minutes, whatever NIK it names.
    const loud = testIp();
    for (let i = 0; i < 30; i++) expect((await attack(loud)).status).toBe(403);
    const shut = await attack(loud);
    expect(shut.status).toBe(429);
    expect((await problemOf(shut)).code).toBe('too_many_attempts');
    expect((await residentLogin(nik, a.device, OWN_PIN, testIp())).status).toBe(200);
  }, 60_000);

  it('locks PIN entry after 3 wrong PINs with growing waits (NIST 800-63B throttling)', async () => {
    const a = await activeResident();
    const nik = a.resident.nik;
    const r1 = await problemOf(await residentLogin(nik, a.device, '905123'));
    const r2 = await problemOf(await residentLogin(nik, a.device, '905124'));
    expect([r1, r2]).toEqual([expect.objectContaining({ code: 'pin_wrong', attemptsLeft: 2 }), expect.objectContaining({ code: 'pin_wrong', attemptsLeft: 1 })]);
    const third = await residentLogin(nik, a.device, '905125');
    expect(third.status).toBe(429);
    const p3 = await problemOf(third);
    expect(p3.code).toBe('pin_locked');
    expect(p3.retryAfterSeconds).toBeGreaterThan(50);
    expect(p3.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Locked: even the right PIN waits.
    const right = await residentLogin(nik, a.device, OWN_PIN);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);

    // The minute passes; another wrong PIN locks for two minutes.
    await env.DB.prepare('UPDATE throttles SET locked_until = 0 WHERE key = ?').bind(`pin:${nik}`).run();
    const fourth = await problemOf(await residentLogin(nik, a.device, '905126'));
    expect(fourth.code).toBe('pin_locked');
    expect(fourth.retryAfterSeconds).toBeGreaterThan(110);
    expect(fourth.retryAfterSeconds).toBeLessThanOrEqual(120);

    await env.DB.prepare('UPDATE throttles SET locked_until = 0 WHERE key = ?').bind(`pin:${nik}`).run();
    expect((await residentLogin(nik, a.device, OWN_PIN)).status).toBe(200);
    // A success clears the NIK's counter.
    expect(await env.DB.prepare('SELECT count(*) AS n FROM throttles WHERE key = ?').bind(`pin:${nik}`).first()).toEqual({ n: 0 });
    const kinds = ((await (await a.session.fetch('/api/ikd/me')).json()) as { events: { kind: string; detail: { reason?: string } }[] }).events;
    expect(kinds.filter((e) => e.kind === 'signin_failed').map((e) => e.detail.reason)).toEqual(['pin_locked', 'pin_locked', 'pin_wrong', 'pin_wrong']);
  });

  it('changes the PIN: current PIN checked, policy applied, other sessions ended', async () => {
    const a = await activeResident();
    // Activation ended the registration session; one of registration assurance may not change the PIN anyway.
    expect((await a.registered.fetch('/api/ikd/me')).status).toBe(401);
    const weakSession = await registrationAssurance(sessionCookieOf(await residentLogin(a.resident.nik, a.device, OWN_PIN))!);
    expect((await problemOf(await weakSession.fetch('/api/ikd/pin', { method: 'POST', json: { currentPin: OWN_PIN, newPin: '628194' } }))).code).toBe('assurance_insufficient');
    const second = sessionCookieOf(await residentLogin(a.resident.nik, a.device, OWN_PIN))!;
    expect((await problemOf(await a.session.fetch('/api/ikd/pin', { method: 'POST', json: { currentPin: '905123', newPin: '739251' } }))).code).toBe('pin_wrong');
    const weak = await problemOf(await a.session.fetch('/api/ikd/pin', { method: 'POST', json: { currentPin: OWN_PIN, newPin: OWN_PIN } }));
    expect(weak).toMatchObject({ code: 'pin_weak', reason: 'unchanged' });
    expect((await a.session.fetch('/api/ikd/pin', { method: 'POST', json: { currentPin: OWN_PIN, newPin: '739251' } })).status).toBe(204);
    expect((await api('/api/ikd/me', { cookie: second })).status).toBe(401);
    expect((await a.session.fetch('/api/ikd/me')).status).toBe(200);
    expect((await problemOf(await residentLogin(a.resident.nik, a.device, OWN_PIN))).code).toBe('pin_wrong');
    expect((await residentLogin(a.resident.nik, a.device, '739251')).status).toBe(200);
  });
});

describe('lepas perangkat (release)', () => {
  it('needs a full session and the PIN; afterwards the device cannot sign in and a new registration is possible', async () => {
    const a = await activeResident();
    // A session of registration assurance is not enough.
    const weakSession = await registrationAssurance(sessionCookieOf(await residentLogin(a.resident.nik, a.device, OWN_PIN))!);
    const weak = await weakSession.fetch('/api/ikd/device/release', { method: 'POST', json: { pin: OWN_PIN } });
    expect((await problemOf(weak)).code).toBe('assurance_insufficient');
    expect((await problemOf(await a.session.fetch('/api/ikd/device/release', { method: 'POST', json: { pin: '905123' } }))).code).toBe('pin_wrong');

    const res = await a.session.fetch('/api/ikd/device/release', { method: 'POST', json: { pin: OWN_PIN } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { case: { state: string } }).case.state).toBe('released');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('loket_session=;'))).toBe(true);
    expect((await a.session.fetch('/api/ikd/me')).status).toBe(401);
    expect(await env.DB.prepare('SELECT status, released_at IS NOT NULL AS at FROM devices WHERE nik = ?').bind(a.resident.nik).first()).toEqual({ status: 'released', at: 1 });
    expect(await env.DB.prepare('SELECT status, pin_hash FROM ikd_accounts WHERE nik = ?').bind(a.resident.nik).first()).toEqual({ status: 'released', pin_hash: null });

    expect((await problemOf(await residentLogin(a.resident.nik, a.device, OWN_PIN))).code).toBe('device_not_bound');
    const again = await register(a.resident);
    expect(again.case.id).not.toBe(a.caseId);
  });
});

describe('blocking a lost device', () => {
  it('blocks the device and the sessions; unblock → verified → a new key is bound and activated', async () => {
    const a = await activeResident();
    const blocked = await actOk(a.op, a.caseId, 'block_device', { reportedVia: 'phone', reason: 'Ponsel hilang, dilaporkan via telepon setelah cek identitas' });
    expect(blocked.state).toBe('blocked');
    const dev = await env.DB.prepare('SELECT status, blocked_at, reason FROM devices WHERE thumbprint = ?').bind(await thumbprint(a.device)).first<{ status: string; blocked_at: number; reason: string }>();
    expect(dev).toMatchObject({ status: 'blocked', reason: 'lost (phone)' });
    expect(dev!.blocked_at).toBeGreaterThan(0);
    // The block reaches digital-KTP checkers through the public blocked list they cache.
    const published = (await (await api('/api/ktp/blocked')).json()) as { thumbprints: string[] };
    expect(published.thumbprints).toContain(await thumbprint(a.device));

    expect((await a.session.fetch('/api/ikd/me')).status).toBe(401);
    const tried = await residentLogin(a.resident.nik, a.device, OWN_PIN);
    expect(tried.status).toBe(403);
    expect((await problemOf(tried)).code).toBe('device_blocked');
    const notice = await env.DB.prepare(`SELECT count(*) AS n FROM notifications WHERE case_id = ? AND subject LIKE 'IKD Anda diblokir%'`).bind(a.caseId).first();
    expect(notice).toEqual({ n: 2 });

    await actOk(a.op, a.caseId, 'unblock', { reason: 'Pemohon datang dengan ponsel baru, identitas dicek' });
    expect((await caseRow(a.caseId)).state).toBe('verified');
    // The blocked key stays blocked and cannot be bound again.
    const resumed = await api('/api/ikd/resume', { method: 'POST', json: { nik: a.resident.nik, kkNumber: a.resident.kkNumber, motherMaidenName: a.resident.maiden }, ip: testIp() });
    expect(resumed.status).toBe(200);
    const cookie = sessionCookieOf(resumed)!;
    const reuse = await api('/api/ikd/device/key', { method: 'POST', json: { publicJwk: a.device.jwk }, cookie });
    expect((await problemOf(reuse)).code).toBe('device_in_use');

    const phone = await newDevice();
    const { qr } = (await (await a.op.fetch(`/api/ikd/cases/${a.caseId}/binding-nonce`, { method: 'POST' })).json()) as { qr: string };
    const bound = await api('/api/ikd/device/bind', { method: 'POST', json: { qr, publicJwk: phone.jwk, signature: await phone.sign(qr) }, cookie });
    expect(bound.status, await bound.clone().text()).toBe(200);
    await actOk(a.op, a.caseId, 'approve');
    const mail = await activationMail(a.caseId);
    expect((await api('/api/ikd/activation/complete', { method: 'POST', json: { token: mail.token, activationPin: mail.pin, pin: '739251' }, ip: testIp() })).status).toBe(200);
    expect((await residentLogin(a.resident.nik, phone, '739251')).status).toBe(200);
    expect((await problemOf(await residentLogin(a.resident.nik, a.device, '739251'))).code).toBe('device_blocked');
  });

  it('block and unblock are operator actions of the resident’s office, with a reason', async () => {
    const a = await activeResident();
    const jambi = await staff(['operator'], KOTA_JAMBI);
    expect((await act(jambi, a.caseId, 'block_device', { reportedVia: 'counter', reason: 'Hilang di pasar' })).problem?.code).toBe('forbidden_object');
    expect((await act(a.session, a.caseId, 'block_device', { reportedVia: 'counter', reason: 'Hilang di pasar' })).problem?.code).toBe('forbidden_role');
    expect((await act(a.op, a.caseId, 'block_device', { reportedVia: 'counter' })).problem?.code).toBe('validation_failed');
    await actOk(a.op, a.caseId, 'block_device', { reportedVia: 'counter', reason: 'Hilang di pasar' });
    const audit = await env.DB.prepare(`SELECT detail_json FROM audit_log WHERE action = 'ikd.block_device' AND object = ?`).bind(`case:${a.caseId}`).first<{ detail_json: string }>();
    expect(JSON.parse(audit!.detail_json)).toMatchObject({ from: 'active', to: 'blocked', input: { reportedVia: 'counter', reason: 'Hilang di pasar' } });
  });
});

describe('forgotten PIN', () => {
  it('the operator reissues the activation: the old PIN and sessions stop, a new PIN is set through the new link', async () => {
    const a = await activeResident();
    await actOk(a.op, a.caseId, 'reissue_activation', { reason: 'forgot_pin', note: 'Datang ke loket' });
    expect((await a.session.fetch('/api/ikd/me')).status).toBe(401);
    expect((await problemOf(await residentLogin(a.resident.nik, a.device, OWN_PIN))).code).toBe('ikd_not_active');
    const mail = await activationMail(a.caseId);
    expect((await api('/api/ikd/activation/complete', { method: 'POST', json: { token: mail.token, activationPin: mail.pin, pin: '739251' }, ip: testIp() })).status).toBe(200);
    expect((await residentLogin(a.resident.nik, a.device, '739251')).status).toBe(200);
  });
});

describe('object checks between residents', () => {
  it('a resident can neither read nor act on another resident’s case', async () => {
    const a = await activeResident();
    const b = await activeResident(a.op);
    expect((await b.session.fetch(`/api/cases/${a.caseId}`)).status).toBe(403);
    const r = await act(b.session, a.caseId, 'release_device', { pin: OWN_PIN });
    expect(r.problem?.code).toBe('forbidden_object');
    expect((await caseRow(a.caseId)).state).toBe('active');
    // Their own account screen shows only their own case and device.
    const me = (await (await b.session.fetch('/api/ikd/me')).json()) as { case: { id: string }; devices: { thumbprint: string }[] };
    expect(me.case.id).toBe(b.caseId);
    expect(me.devices.map((d) => d.thumbprint)).toEqual([await thumbprint(b.device)]);
    // Pull shows only their own cases.
    const pull = (await (await b.session.fetch('/api/sync/pull?cursor=0')).json()) as { cases: { id: string }[] };
    expect(pull.cases.map((c) => c.id)).toEqual([b.caseId]);
  });

  it('a registration session of one resident cannot register a key on another’s case or verify', async () => {
    const reg = await register(await addResident());
    const other = await register(await addResident());
    const op = await staff();
    await actOk(op, other.case.id, 'verify', VERIFIED);
    expect((await act(reg, other.case.id, 'cancel_slot')).problem?.code).toBe('forbidden_object');
    expect((await act(reg, reg.case.id, 'verify', VERIFIED)).problem?.code).toBe('forbidden_role');
  });
});
