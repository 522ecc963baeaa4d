/**
 * Token attack set over HTTP (issue 8), generated for every kind of token the system issues: the office-signed JWTs
 * (activation link, old-format KTP-el receipt, document download link), the compact signed QR codes (KTP-el receipt,
 * digital-KTP presentation and its credential, birth certificate), and the opaque or keyed ones (session cookie,
 * complaint tracking code, WhatsApp webhook signature). Each genuine token is accepted first (so a refusal means
 * something), then every forgery is refused with the route's stable problem code or verification status.
 */
import { env as testEnv } from 'cloudflare:test';
import { CompactSign, type JWK, base64url, exportJWK, generateKeyPair, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCertificateQr } from '../../../schema/birth-qr';
import { uuid7 } from '../../../schema/ids';
import { type HolderCredential, b64u, makePresentation, thumbprintOf, toJws } from '../../../schema/ktp';
import { RECEIPT_AUDIENCE, RECEIPT_TTL_SECONDS, RECEIPT_TYP, type Receipt, receiptCheckUrl } from '../../../schema/receipt';
import { signCompactReceipt, compactReceiptUrl } from '../../../schema/receipt-qr';
import { createApp } from '../../../worker/app';
import { hashToken } from '../../../worker/auth/sessions';
import { documentLink } from '../../../worker/documents/store';
import type { Env } from '../../../worker/env';
import { signToken } from '../../../worker/keys';
import { filePublic } from '../aduan-kit';
import { api, createStaff, ORIGIN, signIn, type SignedIn, TABALONG, testIp } from '../helpers/auth';
import { activationMail, actOk, addResident, bindByPhoneQr, newDevice, register, staff, VERIFIED } from '../ikd-kit';

const env = testEnv as unknown as Env;
const enc = new TextEncoder();
const json64 = (v: unknown) => base64url.encode(JSON.stringify(v));
const unjson = (part: string) => JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;

/** The office's own signing key (the test stack's OFFICE_SIGNING_KEYS), to make tokens only the claim checks can catch. */
interface OfficeKey { key: CryptoKey; kid: string; publicJwk: JWK }
let office: OfficeKey;
let attacker: { privateKey: CryptoKey; publicJwk: JWK };

beforeAll(async () => {
  const [first] = JSON.parse(env.OFFICE_SIGNING_KEYS!) as (JWK & { kid: string })[];
  const { d: _d, ...pub } = first!;
  office = { key: (await importJWK(first!, 'ES256')) as CryptoKey, kid: first!.kid, publicJwk: pub };
  const pair = await generateKeyPair('ES256', { extractable: true });
  attacker = { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
});

/** One character of a base64url string changed (a bit flipped in what it encodes). */
function flipChar(s: string, at: number): string {
  const i = at < 0 ? s.length + at : at;
  return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
}
function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  const i = at < 0 ? out.length + at : at;
  out[i] = out[i]! ^ 0x01;
  return out;
}

interface Forgery { name: string; token: string; expired?: true }

/**
 * The JWT attack set over a genuine token: each a token an attacker could make (no office key), or one the office's
 * key signed with a claim that must still be refused (wrong audience, issuer, kind, time window).
 */
async function jwtForgeries(genuine: string, otherTyp: string): Promise<Forgery[]> {
  const [h, p, s] = genuine.split('.') as [string, string, string];
  const header = unjson(h);
  const raw = base64url.decode(p);
  // The digital-KTP credential's payload is its compact bytes, not JSON: the claim forgeries apply to JSON payloads.
  let payload: Record<string, unknown> | null = null;
  try {
    payload = unjson(p);
  } catch {
    payload = null;
  }
  const now = Math.floor(Date.now() / 1000);
  const signRaw = (hd: Record<string, unknown>, bytes: Uint8Array, key: CryptoKey | Uint8Array = office.key) =>
    new CompactSign(bytes).setProtectedHeader(hd as { alg: string }).sign(key);
  const sign = (hd: Record<string, unknown>, pl: Record<string, unknown>) => signRaw(hd, enc.encode(JSON.stringify(pl)));
  const forgeries: Forgery[] = [
    { name: 'alg none', token: `${json64({ ...header, alg: 'none' })}.${p}.` },
    { name: 'alg none without a signature part', token: `${json64({ ...header, alg: 'none' })}.${p}` },
    { name: 'alg switched: HS256 keyed with the public JWK', token: await signRaw({ ...header, alg: 'HS256' }, raw, enc.encode(JSON.stringify(office.publicJwk))) },
    { name: 'alg switched: HS256 keyed with the public x coordinate', token: await signRaw({ ...header, alg: 'HS256' }, raw, base64url.decode(office.publicJwk.x!)) },
    { name: 'wrong kid (a key that is not ours, signed by the office key)', token: await signRaw({ ...header, kid: 'retired-2019' }, raw) },
    { name: 'kid path injection', token: `${json64({ ...header, kid: '../../../../dev/null' })}.${p}.${s}` },
    { name: 'kid SQL injection', token: `${json64({ ...header, kid: "x' OR '1'='1" })}.${p}.${s}` },
    { name: 'embedded jwk of the attacker', token: await signRaw({ ...header, jwk: attacker.publicJwk }, raw, attacker.privateKey) },
    { name: 'jku pointing at the attacker', token: await signRaw({ ...header, jku: 'https://evil.example/jwks.json' }, raw, attacker.privateKey) },
    { name: "attacker's key under our kid", token: await signRaw(header, raw, attacker.privateKey) },
    { name: 'another kind of token (typ), signed by the office key', token: await signRaw({ ...header, typ: otherTyp }, raw) },
    { name: 'truncated', token: genuine.slice(0, -12) },
    { name: 'signature bit flipped', token: `${h}.${p}.${flipChar(s, 5)}` },
    { name: 'payload changed, signature kept', token: `${h}.${flipChar(p, 3)}.${s}` },
  ];
  if (payload) {
    forgeries.push(
      { name: 'wrong audience, signed by the office key', token: await sign(header, { ...payload, aud: 'loket:something-else' }) },
      { name: 'wrong issuer, signed by the office key', token: await sign(header, { ...payload, iss: 'https://evil.example' }) },
      { name: 'not yet valid (nbf in an hour), signed by the office key', token: await sign(header, { ...payload, nbf: now + 3600 }) },
      { name: 'subject changed, signature kept', token: `${h}.${json64({ ...payload, sub: `${String(payload.sub)}0` })}.${s}` },
      { name: 'expiry pushed out, signature kept', token: `${h}.${json64({ ...payload, exp: now + 10 * 365 * 86_400 })}.${s}` },
      { name: 'expired (signed by the office key)', token: await sign(header, { ...payload, iat: now - 7200, exp: now - 3600 }), expired: true },
    );
  }
  return forgeries;
}

const problemOf = async (res: Response) => ({ status: res.status, code: ((await res.clone().json()) as { code?: string }).code });

describe('office-signed JWTs', () => {
  it('activation link: every forgery is activation_link_invalid (expired: activation_link_expired); a used link is not taken twice', async () => {
    const resident = await addResident();
    const registered = await register(resident);
    const op = await staff();
    await actOk(op, registered.case.id, 'verify', VERIFIED);
    await bindByPhoneQr(registered, op, registered.case.id, await newDevice());
    await actOk(op, registered.case.id, 'approve');
    const mail = await activationMail(registered.case.id);
    const verify = (token: string) => api('/api/ikd/activation/verify', { method: 'POST', json: { token, activationPin: mail.pin }, ip: testIp() });
    expect((await verify(mail.token)).status, 'the genuine link').toBe(200);
    const forgeries = await jwtForgeries(mail.token, 'document-link+jwt');
    for (const f of forgeries) {
      expect(await problemOf(await verify(f.token)), f.name).toEqual(f.expired ? { status: 410, code: 'activation_link_expired' } : { status: 400, code: 'activation_link_invalid' });
    }
    // The link is single-use (its jti is the nonce): completing it closes it for a replay.
    const done = await api('/api/ikd/activation/complete', { method: 'POST', json: { token: mail.token, activationPin: mail.pin, pin: '480317' }, ip: testIp() });
    expect(done.status, await done.clone().text()).toBe(200);
    expect(await problemOf(await verify(mail.token)), 'replayed').toEqual({ status: 410, code: 'activation_link_used' });
    expect(forgeries.length).toBeGreaterThanOrEqual(19);
  });

  it('KTP-el receipt (JWT form): every forgery is receipt_invalid (expired: receipt_expired); a collected card is not handed over twice', async () => {
    const { fo, caseId, receipt } = await cardAtCounter();
    const token = await signToken(env, { typ: RECEIPT_TYP, audience: RECEIPT_AUDIENCE, ttlSeconds: RECEIPT_TTL_SECONDS, subject: caseId }, {
      off: TABALONG, offName: 'Disdukcapil Tabalong', nm: 'SITI AMINAH', nik: receipt.nikMasked, acc: receipt.acceptedAt,
    });
    const check = (t: string) => fo.fetch('/api/ktpel/pickup/check', { method: 'POST', json: { qr: receiptCheckUrl(ORIGIN, t) } });
    const genuine = await check(token);
    expect(genuine.status, await genuine.clone().text()).toBe(200);
    for (const f of await jwtForgeries(token, 'activation+jwt')) {
      // The receipt check allows a minute of clock skew; the forged expiry is an hour past.
      expect(await problemOf(await check(f.token)), f.name).toEqual(f.expired ? { status: 410, code: 'receipt_expired' } : { status: 422, code: 'receipt_invalid' });
    }
    const pickup = (t: string) => fo.fetch('/api/ktpel/pickup', { method: 'POST', json: { qr: receiptCheckUrl(ORIGIN, t), commandId: crypto.randomUUID() } });
    expect(await (await pickup(token)).json()).toMatchObject({ result: { status: 'applied' } });
    expect(await problemOf(await pickup(token)), 'replayed').toEqual({ status: 409, code: 'receipt_already_collected' });
  });

  it('document download link: every forgery, and the expired link, is document_link_invalid', async () => {
    const key = `birth/${TABALONG}/${uuid7()}/akta.pdf`;
    await env.FILES.put(key, enc.encode('%PDF-1.7 token attack set'), { httpMetadata: { contentType: 'application/pdf' } });
    const link = await documentLink(env, key, 'akta.pdf');
    const token = link.slice(link.lastIndexOf('/') + 1);
    const open = (t: string) => api(`/api/documents/${t}`);
    const genuine = await open(token);
    expect(genuine.status).toBe(200);
    await genuine.body?.cancel();
    for (const f of await jwtForgeries(token, 'activation+jwt')) {
      expect(await problemOf(await open(f.token)), f.name).toEqual({ status: 403, code: 'document_link_invalid' });
    }
  });
});

/** A KTP-el application walked to "card at the counter", its receipt as the front office printed it. */
async function cardAtCounter(): Promise<{ fo: SignedIn; caseId: string; receipt: Receipt }> {
  const [foAcc, opAcc] = [await createStaff({ roles: ['front_office'] }), await createStaff({ roles: ['operator'] })];
  const [fo, op] = [await signIn(foAcc.username, foAcc.password), await signIn(opAcc.username, opAcc.password)];
  const resident = await addResident();
  const caseId = uuid7();
  const push = async (who: SignedIn, command: Record<string, unknown>) => {
    const out = (await (await who.fetch('/api/sync/push', { method: 'POST', json: { commands: [{ id: uuid7(), ...command }] } })).json()) as { results: { status: string }[] };
    expect(out.results[0]!.status, JSON.stringify(out)).toBe('applied');
  };
  await push(fo, { type: 'create', caseId, service: 'ktpel', input: { nik: resident.nik, reason: 'baru', channel: 'counter' } });
  await push(fo, { type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} });
  const receipt = ((await (await fo.fetch(`/api/cases/${caseId}/receipt`)).json()) as { receipt: Receipt }).receipt;
  await push(op, { type: 'action', caseId, action: 'record_input', baseVersion: 2, input: {} });
  await push(op, { type: 'action', caseId, action: 'hand_to_fo', baseVersion: 3, input: { blankoSerial: `BLK-${crypto.randomUUID().slice(0, 8)}` } });
  return { fo, caseId, receipt };
}

describe('compact signed QR codes', () => {
  it('KTP-el receipt (compact): forged, altered and foreign-key receipts are receipt_invalid, an old one receipt_expired', async () => {
    const { fo, caseId, receipt } = await cardAtCounter();
    const bytes = b64u.decode(new URL(receipt.checkUrl).hash.slice('#r='.length));
    const check = (b: Uint8Array) => fo.fetch('/api/ktpel/pickup/check', { method: 'POST', json: { qr: compactReceiptUrl(ORIGIN, b) } });
    expect((await check(bytes)).status, 'the genuine receipt').toBe(200);
    const claims = { number: caseId, officeCode: TABALONG, nikMasked: receipt.nikMasked, name: 'SITI AMINAH', acceptedAt: receipt.acceptedAt };
    const signedBy = async (key: CryptoKey, kid: string, c = claims) => (await signCompactReceipt(key, kid, ORIGIN, c)).bytes;
    const forgeries: [string, Uint8Array][] = [
      ['truncated', bytes.slice(0, -8)],
      ['signature bit flipped', flipByte(bytes, -3)],
      ['payload changed (a byte of the name), signature kept', flipByte(bytes, 40)],
      ['acceptance time moved, signature kept', flipByte(bytes, 3 + 4 + 16 + 2 + 1)],
      ['algorithm byte switched', flipByte(bytes, 2)],
      ['not a receipt (magic byte)', flipByte(bytes, 0)],
      ["attacker's key under our kid", await signedBy(attacker.privateKey, office.kid)],
      ['wrong kid (a key that is not ours)', await signedBy(attacker.privateKey, 'retired-2019')],
      ['signature of another receipt spliced in', new Uint8Array([...bytes.slice(0, -64), ...(await signedBy(office.key, office.kid, { ...claims, name: 'ORANG LAIN' })).slice(-64)])],
    ];
    for (const [name, forged] of forgeries) expect(await problemOf(await check(forged)), name).toEqual({ status: 422, code: 'receipt_invalid' });
    const old = await signedBy(office.key, office.kid, { ...claims, acceptedAt: Date.now() - (RECEIPT_TTL_SECONDS + 3600) * 1000 });
    expect(await problemOf(await check(old)), 'expired').toEqual({ status: 410, code: 'receipt_expired' });
  });

  it('birth certificate QR: altered codes are tampered, foreign kids unknown_key, cut ones malformed', async () => {
    const claims = { officeCode: TABALONG, signingDay: '2026-11-30', sequence: 7, childName: 'PUTRI AYU', birthDate: '2026-11-20', docHash: 'ab'.repeat(16) };
    const genuine = await signCertificateQr(office.key, office.kid, claims);
    const verify = async (b: Uint8Array) => (await (await api('/api/birth/verify', { method: 'POST', json: { qr: b64u.encode(b) } })).json()) as { status: string };
    // A genuine signature on a number the office never issued: the signature passes, the register says "not found".
    expect(await verify(genuine)).toMatchObject({ status: 'not_found' });
    const cases: [string, Uint8Array, string][] = [
      ['signature bit flipped', flipByte(genuine, -2), 'tampered'],
      ['payload changed (the sequence), signature kept', flipByte(genuine, genuine.length - 64 - 1), 'tampered'],
      ["attacker's key under our kid", await signCertificateQr(attacker.privateKey, office.kid, claims), 'tampered'],
      ['wrong kid (a key that is not ours)', await signCertificateQr(attacker.privateKey, 'retired-2019', claims), 'unknown_key'],
      ['kid path injection', await signCertificateQr(attacker.privateKey, '../../../../dev/null', claims), 'unknown_key'],
      ['algorithm byte switched', flipByte(genuine, 2), 'malformed'],
      ['not a birth QR (magic byte)', flipByte(genuine, 0), 'malformed'],
      ['truncated', genuine.slice(0, -10), 'malformed'],
    ];
    for (const [name, forged, status] of cases) expect((await verify(forged)).status, name).toBe(status);
  });

  it('digital KTP: altered QR bytes, the JWS attack set on the credential, expired, not yet valid and replayed presentations', async () => {
    const { held, deviceKey } = await heldCredential();
    const verify = async (body: unknown) => ((await (await api('/api/ktp/verify', { method: 'POST', json: body, ip: testIp() })).json()) as { result: { status: string; reason: string } }).result;
    const present = (now = Date.now()) => makePresentation({ held, reveal: [], deviceKey, now });
    const fresh = async () => b64u.decode(b64u.encode(await present()));
    expect((await verify({ qr: b64u.encode(await fresh()) })).status, 'a genuine QR').toBe('valid');
    const qrCases: [string, () => Promise<Uint8Array>, string[]][] = [
      ['truncated', async () => (await fresh()).slice(0, -5), ['malformed']],
      ['device signature bit flipped', async () => flipByte(await fresh(), -2), ['tampered']],
      ['office signature bit flipped', async () => flipByte(await fresh(), 90), ['tampered', 'malformed']],
    ];
    for (const [name, make, statuses] of qrCases) expect(statuses, name).toContain((await verify({ qr: b64u.encode(await make()) })).status);
    expect(await verify({ qr: b64u.encode(await present(Date.now() - 120_000)) }), 'expired').toMatchObject({ status: 'expired' });
    expect(await verify({ qr: b64u.encode(await present(Date.now() + 600_000)) }), 'not yet valid').toMatchObject({ status: 'not_yet_valid' });
    const once = b64u.encode(await present());
    expect((await verify({ qr: once })).status).toBe('valid');
    expect(await verify({ qr: once }), 'replayed (the presentation nonce)').toEqual({ status: 'replayed', reason: 'nonce' });
    // The JWS form: the generated JWT attack set on the office credential; the presentation stays genuine.
    const jws = await toJws(await present());
    for (const f of await jwtForgeries(jws.credential, 'activation+jwt')) {
      const jwsForm = await toJws(await present());
      const result = await verify({ credential: f.token, presentation: jwsForm.presentation });
      expect(['tampered', 'unknown_key', 'malformed', 'expired', 'not_yet_valid'], `${f.name}: ${JSON.stringify(result)}`).toContain(result.status);
    }
  });
});

/** A resident with an active IKD, a bound phone key and a credential issued for it (as ktp.test.ts sets it up). */
async function heldCredential(): Promise<{ held: HolderCredential; deviceKey: CryptoKey }> {
  const resident = await addResident();
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const full = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JWK;
  const jwk = { kty: full.kty, crv: full.crv, x: full.x, y: full.y };
  const thumbprint = await thumbprintOf(jwk as JWK);
  const now = Date.now();
  const token = b64u.encode(crypto.getRandomValues(new Uint8Array(32)));
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO ikd_accounts (nik, office_code, case_id, status, pin_hash, pin_set_at, activated_at, created_at, updated_at) VALUES (?, ?, 'case-tokens', 'active', 'x', 1, 1, 1, 1)`).bind(resident.nik, TABALONG),
    env.DB.prepare(`INSERT INTO devices (id, nik, case_id, thumbprint, public_jwk, status, created_at, bound_at) VALUES (?, ?, 'case-tokens', ?, ?, 'bound', ?, ?)`)
      .bind(`dev-tokens-${crypto.randomUUID()}`, resident.nik, thumbprint, JSON.stringify(jwk), now - 1000, now - 500),
    env.DB.prepare(`INSERT INTO sessions (token_hash, subject_type, subject_id, created_at, last_seen_at, expires_at, assurance) VALUES (?, 'resident', ?, ?, ?, ?, 'full')`)
      .bind(await hashToken(token), resident.nik, now, now, now + 3600_000),
  ]);
  const res = await api(`/api/ktp/credential?thumbprint=${encodeURIComponent(thumbprint)}`, { cookie: `loket_session=${token}` });
  expect(res.status, await res.clone().text()).toBe(200);
  return { held: (await res.json()) as HolderCredential, deviceKey: pair.privateKey };
}

describe('opaque and keyed tokens', () => {
  it('session cookie: altered, cut or extended tokens are unauthenticated; ended sessions (signed out, expired, idle) session_expired', async () => {
    const acc = await createStaff({ roles: ['front_office'] });
    const me = (cookie: string) => api('/api/auth/me', { cookie });
    const fresh = async () => (await signIn(acc.username, acc.password, { ip: testIp() })).cookie;
    const cookie = await fresh();
    const token = cookie.slice(cookie.indexOf('=') + 1);
    expect((await me(cookie)).status, 'the genuine cookie').toBe(200);
    const altered: [string, string][] = [
      ['one character changed', flipChar(token, 10)],
      ['last character changed', flipChar(token, -1)],
      ['truncated', token.slice(0, -4)],
      ['extended', `${token}A`],
      ['empty', ''],
      ['its stored hash sent as the token', await hashToken(token)],
      ['a made-up token of the right shape', b64u.encode(crypto.getRandomValues(new Uint8Array(32)))],
    ];
    for (const [name, t] of altered) expect(await problemOf(await me(`loket_session=${t}`)), name).toEqual({ status: 401, code: 'unauthenticated' });
    // Replay after sign-out: the server revoked it.
    const out = await api('/api/auth/logout', { method: 'POST', cookie });
    expect(out.status).toBeLessThan(300);
    expect(await problemOf(await me(cookie)), 'replayed after sign-out').toEqual({ status: 401, code: 'session_expired' });
    const ended = async (column: 'expires_at' | 'last_seen_at', at: number) => {
      const c = await fresh();
      await env.DB.prepare(`UPDATE sessions SET ${column} = ? WHERE token_hash = ?`).bind(at, await hashToken(c.slice(c.indexOf('=') + 1))).run();
      return me(c);
    };
    expect(await problemOf(await ended('expires_at', Date.now() - 1000)), 'past its absolute limit').toEqual({ status: 401, code: 'session_expired' });
    expect(await problemOf(await ended('last_seen_at', Date.now() - 31 * 60_000)), 'idle').toEqual({ status: 401, code: 'session_expired' });
  });

  it('complaint tracking code: any change to a real code answers as an unknown code', async () => {
    const { trackingCode } = await filePublic({}, TABALONG);
    const track = (code: string) => api('/api/aduan/track', { method: 'POST', json: { code }, ip: testIp() });
    expect((await track(trackingCode)).status, 'the genuine code').toBe(200);
    const altered: [string, string][] = [
      ['one character changed', flipChar(trackingCode, 3)],
      ['last character changed', flipChar(trackingCode, -1)],
      ['truncated', trackingCode.slice(0, -2)],
      ['extended', `${trackingCode}A`],
      ['its stored hash sent as the code', [...new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(trackingCode)))].map((b) => b.toString(16).padStart(2, '0')).join('')],
    ];
    for (const [name, code] of altered) expect(await problemOf(await track(code)), name).toEqual({ status: 404, code: 'aduan_tracking_unknown' });
  });

  it('WhatsApp webhook signature: missing, other algorithm, other secret, altered or for another body is webhook_signature_invalid; a replayed delivery files once', async () => {
    const secret = 'wa-app-secret-token-attacks';
    const app = createApp();
    const secrets = { ...env, ENVIRONMENT: 'test' as const, WA_APP_SECRET: secret, WA_VERIFY_TOKEN: 'verify-token-attacks', ADUAN_OFFICE: TABALONG };
    const hmac = async (body: string, key = secret, hash = 'SHA-256') => {
      const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash }, false, ['sign']);
      return [...new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(body)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    };
    const messageId = `wamid.tokens.${crypto.randomUUID()}`;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { phone_number_id: '123' }, contacts: [{ wa_id: '6281234500077', profile: { name: 'Warga WA' } }],
        messages: [{ from: '6281234500077', id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Antrean KTP-el sangat lama' } }],
      } }] }],
    });
    const post = (b: string, signature?: string) =>
      app.request('/api/aduan/whatsapp/webhook', { method: 'POST', body: b, headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }) } }, secrets);
    const good = `sha256=${await hmac(body)}`;
    const forged: [string, string, string | undefined][] = [
      ['no signature', body, undefined],
      ['empty signature', body, ''],
      ['algorithm switched to SHA-1', body, `sha1=${await hmac(body, secret, 'SHA-1')}`],
      ['SHA-1 MAC under the sha256 label', body, `sha256=${await hmac(body, secret, 'SHA-1')}`],
      ['another secret', body, `sha256=${await hmac(body, 'someone-else')}`],
      ['one bit flipped', body, `sha256=${good.slice(7, -1)}${good.endsWith('0') ? '1' : '0'}`],
      ['truncated', body, good.slice(0, -8)],
      ['body changed after signing', body.replace('sangat lama', 'sangat cepat'), good],
      ['signature of an empty body', body, `sha256=${await hmac('')}`],
    ];
    for (const [name, b, sig] of forged) expect(await problemOf(await post(b, sig)), name).toEqual({ status: 401, code: 'webhook_signature_invalid' });
    const count = async () => (await env.DB.prepare(`SELECT count(*) AS n FROM complaints WHERE channel = 'whatsapp'`).first<{ n: number }>())!.n;
    const before = await count();
    expect(await (await post(body, good)).json()).toMatchObject({ filed: 1 });
    // Meta's message id is the nonce: the same signed delivery again files nothing new.
    expect(await (await post(body, good)).json()).toMatchObject({ filed: 0 });
    expect(await count()).toBe(before + 1);
  });
});
