/**
 * Digital KTP over HTTP in workerd with real D1: JWKS, the public blocked list, credential issuance (every refusal),
 * the online verify endpoint (valid, replayed, live blocking, expiry, the JWS attack set, rate limit) and key rotation.
 */
import { env as testEnv } from 'cloudflare:test';
import { CompactSign, type JWK, base64url, compactVerify, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HolderCredential, b64u, decodeCredential, makePresentation, thumbprintOf, toJws } from '../../schema/ktp';
import { hashToken } from '../../worker/auth/sessions';
import { verifyOnline } from '../../worker/ktp/checker';
import { CREDENTIAL_TTL_SECONDS, ageOn, issueForSession } from '../../worker/ktp/credential';
import type { Env } from '../../worker/env';
import type { Session } from '../../worker/middleware/session';
import { api, createStaff, signIn, testIp } from './helpers/auth';
import { RESIDENT_NIK, seedMinimalOffice } from './helpers/fixtures';

interface Phone {
  privateKey: CryptoKey;
  jwk: JWK;
  thumbprint: string;
}

async function phone(): Promise<Phone> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const full = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JWK;
  const jwk = { kty: full.kty, crv: full.crv, x: full.x, y: full.y };
  return { privateKey: pair.privateKey, jwk, thumbprint: await thumbprintOf(jwk as JWK) };
}

const env = testEnv as unknown as Env;

let deviceCounter = 0;
async function insertDevice(nik: string, p: Phone, status: 'pending' | 'bound' | 'released' | 'blocked', at = Date.now(), everBound = true): Promise<void> {
  deviceCounter += 1;
  await env.DB.prepare(
    `INSERT INTO devices (id, nik, case_id, thumbprint, public_jwk, status, created_at, bound_at, released_at, blocked_at, reason)
     VALUES (?, ?, 'case-ktp', ?, ?, ?, ?, ?, ?, ?, NULL)`,
  )
    .bind(`dev-${deviceCounter}`, nik, p.thumbprint, JSON.stringify(p.jwk), status, at - 1000, everBound ? at - 500 : null, status === 'released' ? at : null, status === 'blocked' ? at : null)
    .run();
}

async function setAccount(nik: string, status: 'pending' | 'active' | 'blocked'): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO ikd_accounts (nik, office_code, case_id, status, pin_hash, pin_set_at, activated_at, created_at, updated_at)
     VALUES (?, '63.09', 'case-ktp', ?, 'x', 1, 1, 1, 1) ON CONFLICT(nik) DO UPDATE SET status = excluded.status`,
  )
    .bind(nik, status)
    .run();
}

/** A resident session made directly in D1, as the IKD sign-in would (assurance 'full' = NIK + PIN + device signature). */
async function residentSession(nik: string, assurance: 'full' | 'registration' | null): Promise<{ cookie: string; session: Session }> {
  const token = b64u.encode(crypto.getRandomValues(new Uint8Array(32)));
  const tokenHash = await hashToken(token);
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO sessions (token_hash, subject_type, subject_id, created_at, last_seen_at, expires_at, assurance) VALUES (?, 'resident', ?, ?, ?, ?, ?)`,
  )
    .bind(tokenHash, nik, now, now, now + 3600_000, assurance)
    .run();
  return {
    cookie: `loket_session=${token}`,
    session: { tokenHash, subjectType: 'resident', subjectId: nik, displayName: 'SITI AMINAH', officeCode: '63.09', roles: ['resident' as never] },
  };
}

async function credentialFor(cookie: string, thumbprint?: string): Promise<Response> {
  return api(`/api/ktp/credential${thumbprint ? `?thumbprint=${encodeURIComponent(thumbprint)}` : ''}`, { cookie });
}

async function verify(body: unknown, ip = testIp()): Promise<Response> {
  return api('/api/ktp/verify', { method: 'POST', json: body, ip });
}

let device: Phone;
let held: HolderCredential & { kid: string; jws: string; expiresAt: number; issuedAt: number; deviceThumbprint: string };

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  await setAccount(RESIDENT_NIK, 'active');
  device = await phone();
  await insertDevice(RESIDENT_NIK, device, 'bound');
  const { cookie } = await residentSession(RESIDENT_NIK, 'full');
  const res = await credentialFor(cookie, device.thumbprint);
  expect(res.status, await res.clone().text()).toBe(200);
  held = await res.json();
});

describe('public keys and blocked list', () => {
  it('GET /.well-known/jwks.json lists the public office keys, cacheable, without private parts', async () => {
    const res = await api('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const jwks = (await res.json()) as { keys: JWK[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['test-key-1']);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys.some((k) => 'd' in k)).toBe(false);
  });

  it('GET /api/ktp/blocked lists once-bound devices blocked or released within a credential lifetime, nothing personal', async () => {
    const lost = await phone();
    const released = await phone();
    const neverBound = await phone();
    const longAgo = await phone();
    await insertDevice('6309010101990001', lost, 'blocked');
    await insertDevice('6309010101990002', released, 'released');
    await insertDevice('6309010101990003', neverBound, 'blocked', Date.now(), false);
    await insertDevice('6309010101990004', longAgo, 'blocked', Date.now() - (CREDENTIAL_TTL_SECONDS + 2 * 86_400) * 1000);
    const before = Date.now();
    const res = await api('/api/ktp/blocked');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const body = (await res.json()) as { thumbprints: string[]; generatedAt: number };
    expect(Object.keys(body).sort()).toEqual(['generatedAt', 'thumbprints']);
    expect(body.generatedAt).toBeGreaterThanOrEqual(before);
    expect(body.thumbprints).toContain(lost.thumbprint);
    expect(body.thumbprints).toContain(released.thumbprint);
    expect(body.thumbprints).not.toContain(neverBound.thumbprint);
    expect(body.thumbprints).not.toContain(longAgo.thumbprint);
    expect(body.thumbprints).not.toContain(device.thumbprint);
    expect(JSON.stringify(body)).not.toMatch(/\d{16}/);
  });

  it('the OpenAPI document describes the KTP routes', async () => {
    const doc = (await (await api('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/.well-known/jwks.json', '/api/ktp/blocked', '/api/ktp/credential', '/api/ktp/verify']) expect(doc.paths).toHaveProperty([p]);
  });
});

describe('credential issuance', () => {
  it('signs the registry claims for the bound device with the current office key', async () => {
    expect(held.kid).toBe('test-key-1');
    expect(held.deviceThumbprint).toBe(device.thumbprint);
    expect(held.expiresAt - held.issuedAt).toBe(CREDENTIAL_TTL_SECONDS);
    const c = decodeCredential(b64u.decode(held.credential));
    expect(c).toMatchObject({ kid: 'test-key-1', name: 'SITI AMINAH', nikMasked: '6309••••••••0001', officeCode: '63.09', ageOver17: true });
    // The JWS form verifies with any JOSE library against the published JWKS, and carries the same bytes.
    const jwks = (await (await api('/.well-known/jwks.json')).json()) as { keys: JWK[] };
    const { payload, protectedHeader } = await compactVerify(held.jws, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'test-key-1', typ: 'ktp-cred' });
    expect(payload).toEqual(c.payload);
  });

  it('records the issuance in the audit log with the NIK masked', async () => {
    const row = await env.DB.prepare(`SELECT actor, object, detail_json FROM audit_log WHERE action = 'ktp.credential_issued' ORDER BY seq DESC LIMIT 1`).first<{ actor: string; object: string; detail_json: string }>();
    expect(row).toMatchObject({ actor: 'resident:6309••••••••0001', object: `device:${device.thumbprint}` });
    expect(JSON.stringify(row)).not.toContain(RESIDENT_NIK);
  });

  it('answers no-store, and refuses without a session, for staff, without full assurance, inactive accounts and unbound or other keys', async () => {
    const { cookie } = await residentSession(RESIDENT_NIK, 'full');
    const ok = await credentialFor(cookie);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');

    expect((await (await api('/api/ktp/credential')).json()) as object).toMatchObject({ code: 'unauthenticated' });
    const staff = await createStaff({ roles: ['operator'] });
    const asStaff = await signIn(staff.username, staff.password, { ip: testIp() });
    const refusedStaff = await asStaff.fetch('/api/ktp/credential');
    expect(refusedStaff.status).toBe(403);
    expect(await refusedStaff.json()).toMatchObject({ code: 'forbidden_role' });

    const registration = await residentSession(RESIDENT_NIK, 'registration');
    expect(await (await credentialFor(registration.cookie)).json()).toMatchObject({ code: 'assurance_insufficient' });

    const other = await phone();
    expect(await (await credentialFor(cookie, other.thumbprint)).json()).toMatchObject({ code: 'device_not_bound' });

    const noDeviceNik = '6309010101990011';
    await setAccount(noDeviceNik, 'active');
    const s2 = await residentSession(noDeviceNik, 'full');
    const r2 = await issueForSession(env, s2.session, { now: Date.now(), ip: null }).catch((e: { code?: string }) => e.code);
    expect(r2).toBe('device_not_bound');

    await setAccount(RESIDENT_NIK, 'blocked');
    try {
      expect(await issueForSession(env, (await residentSession(RESIDENT_NIK, 'full')).session, { now: Date.now(), ip: null }).catch((e: { code?: string }) => e.code)).toBe('ikd_not_active');
    } finally {
      await setAccount(RESIDENT_NIK, 'active');
    }
  });

  it('age 17+ is computed on the office-local date: not on the eve of the 17th birthday, yes on the day', () => {
    expect(ageOn('2009-03-02', '2026-03-01')).toBe(16);
    expect(ageOn('2009-03-02', '2026-03-02')).toBe(17);
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
  });
});

describe('POST /api/ktp/verify', () => {
  const present = (reveal: ('nik' | 'birthDate' | 'address')[] = [], now = Date.now()) => makePresentation({ held, reveal, deviceKey: device.privateKey, now });

  it('a fresh QR is valid once, then replayed', async () => {
    const qr = b64u.encode(await present(['birthDate']));
    const first = await verify({ qr });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const body = (await first.json()) as { result: { status: string; holder: object }; checkedAt: number };
    expect(body.result).toMatchObject({ status: 'valid', holder: { name: 'SITI AMINAH', nikMasked: '6309••••••••0001', ageOver17: true, birthDate: '2000-01-01' } });
    expect(body.result.holder).not.toHaveProperty('nik');
    expect(((await (await verify({ qr })).json()) as { result: object }).result).toEqual({ status: 'replayed', reason: 'nonce' });
  });

  it('institutions call it server to server without an Origin; a browser request with a session cookie still needs one', async () => {
    const qr = b64u.encode(await present());
    const server = await api('/api/ktp/verify', { method: 'POST', json: { qr }, ip: testIp(), noOrigin: true });
    expect(server.status).toBe(200);
    const { cookie } = await residentSession(RESIDENT_NIK, 'full');
    const riding = await api('/api/ktp/verify', { method: 'POST', json: { qr }, ip: testIp(), noOrigin: true, cookie });
    expect(riding.status).toBe(403);
    expect(((await riding.json()) as { code: string }).code).toBe('csrf_rejected');
  });

  it('the JWS form is accepted as well', async () => {
    const jws = await toJws(await present(['address']));
    const res = (await (await verify(jws)).json()) as { result: object };
    expect(res.result).toMatchObject({ status: 'valid', holder: { address: { street: 'Jl. Tanjung 1', districtCode: '63.09.01' } } });
  });

  it('an expired presentation is expired; garbage is malformed; a bad body is 422', async () => {
    const old = b64u.encode(await present([], Date.now() - 120_000));
    expect(((await (await verify({ qr: old })).json()) as { result: object }).result).toEqual({ status: 'expired', reason: 'presentation' });
    expect(((await (await verify({ qr: b64u.encode('LOKETB1.x.y.z') })).json()) as { result: object }).result).toMatchObject({ status: 'malformed' });
    expect((await verify({ qr: 'not base64!' })).status).toBe(422);
    expect((await verify({ qr: 'AAAA', extra: 1 })).status).toBe(422);
    expect((await verify({ credential: held.jws })).status).toBe(422);
  });

  it('blocking the phone takes effect at once online (live status), before any list refresh', async () => {
    const qrBefore = b64u.encode(await present());
    await env.DB.prepare(`UPDATE devices SET status = 'blocked', blocked_at = ? WHERE thumbprint = ?`).bind(Date.now(), device.thumbprint).run();
    try {
      expect(((await (await verify({ qr: qrBefore })).json()) as { result: object }).result).toEqual({ status: 'blocked', reason: 'device' });
    } finally {
      await env.DB.prepare(`UPDATE devices SET status = 'bound', blocked_at = NULL WHERE thumbprint = ?`).bind(device.thumbprint).run();
    }
    expect(((await (await verify({ qr: qrBefore })).json()) as { result: object }).result).toMatchObject({ status: 'valid' });
  });

  it('refuses the JWS attack set: alg none, HS256 with the public key, embedded jwk, unknown kid, wrong typ', async () => {
    const jws = await toJws(await present());
    const [, cp, cs] = jws.credential.split('.') as [string, string, string];
    const hdr = (h: object) => base64url.encode(JSON.stringify(h));
    const jwks = (await (await api('/.well-known/jwks.json')).json()) as { keys: JWK[] };
    const attacker = await generateKeyPair('ES256');
    const cases: [string, string, object][] = [
      ['alg none', `${hdr({ alg: 'none', kid: 'test-key-1', typ: 'ktp-cred' })}.${cp}.`, { status: 'tampered', reason: 'alg' }],
      [
        'HS256 with the public key',
        await new CompactSign(base64url.decode(cp)).setProtectedHeader({ alg: 'HS256', kid: 'test-key-1', typ: 'ktp-cred' }).sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0]))),
        { status: 'tampered', reason: 'alg' },
      ],
      [
        'embedded jwk',
        await new CompactSign(base64url.decode(cp)).setProtectedHeader({ alg: 'ES256', kid: 'test-key-1', typ: 'ktp-cred', jwk: await exportJWK(attacker.publicKey) }).sign(attacker.privateKey),
        { status: 'tampered', reason: 'header' },
      ],
      ['kid pointing elsewhere', `${hdr({ alg: 'ES256', kid: 'https://evil.example/jwks.json', typ: 'ktp-cred' })}.${cp}.${cs}`, { status: 'unknown_key', reason: 'kid' }],
      ['wrong typ', `${hdr({ alg: 'ES256', kid: 'test-key-1', typ: 'ikd-activation+jwt' })}.${cp}.${cs}`, { status: 'tampered', reason: 'typ' }],
    ];
    for (const [what, credential, expected] of cases) {
      const res = (await (await verify({ credential, presentation: jws.presentation })).json()) as { result: object };
      expect(res.result, what).toEqual(expected);
    }
  });

  it('a presentation signed by another device key is tampered', async () => {
    const thief = await phone();
    const qr = b64u.encode(await makePresentation({ held, reveal: [], deviceKey: thief.privateKey }));
    expect(((await (await verify({ qr })).json()) as { result: object }).result).toEqual({ status: 'tampered', reason: 'device_signature' });
  });

  it('is rate-limited per client address: the 61st call in a minute gets 429 with Retry-After', async () => {
    const ip = testIp();
    const qr = b64u.encode('x');
    for (let i = 0; i < 60; i++) expect((await verify({ qr }, ip)).status).toBe(200);
    const limited = await verify({ qr }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await verify({ qr }, testIp())).status).toBe(200);
  });
});

describe('office key rotation', () => {
  it('credentials of the old key verify until it leaves the JWKS; new ones carry the new kid', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const k2 = { ...(await exportJWK(privateKey)), kid: 'test-key-2', alg: 'ES256' };
    const oldKeys = JSON.parse(env.OFFICE_SIGNING_KEYS!) as JWK[];
    const rotated = { ...env, OFFICE_SIGNING_KEYS: JSON.stringify([k2, ...oldKeys]) };
    const { session } = await residentSession(RESIDENT_NIK, 'full');
    const fresh = await issueForSession(rotated, session, { now: Date.now(), ip: null });
    expect(fresh.kid).toBe('test-key-2');
    const oldQr = await makePresentation({ held, reveal: [], deviceKey: device.privateKey });
    const newQr = await makePresentation({ held: fresh, reveal: [], deviceKey: device.privateKey });
    expect(await verifyOnline(rotated, oldQr, Date.now())).toMatchObject({ status: 'valid', credential: { kid: 'test-key-1' } });
    expect(await verifyOnline(rotated, newQr, Date.now())).toMatchObject({ status: 'valid', credential: { kid: 'test-key-2' } });
    // Once the old key is dropped (after every credential it signed has expired), its leftovers are unknown_key.
    const dropped = { ...env, OFFICE_SIGNING_KEYS: JSON.stringify([k2]) };
    const lateQr = await makePresentation({ held, reveal: [], deviceKey: device.privateKey });
    expect(await verifyOnline(dropped, lateQr, Date.now())).toEqual({ status: 'unknown_key', reason: 'kid' });
    // And an old credential past its expiry is expired even while its key is still published.
    const later = Date.now() + (CREDENTIAL_TTL_SECONDS + 60) * 1000;
    const expiredQr = await makePresentation({ held, reveal: [], deviceKey: device.privateKey, now: later });
    expect(await verifyOnline(rotated, expiredQr, later)).toEqual({ status: 'expired', reason: 'credential' });
  });
});
