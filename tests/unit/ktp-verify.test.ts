/**
 * Digital KTP checking: every refusal (expired, not yet valid, replayed, tampered, blocked, unknown key, malformed),
 * key rotation, and the attack set in the compact form and in the JWS form the API accepts.
 */
import { type CompactJWSHeaderParameters, CompactSign, FlattenedSign, SignJWT, type JWSHeaderParameters, base64url, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  type Disclosure,
  type HolderCredential,
  b64u,
  concat,
  credentialHash,
  credentialHeader,
  decodeDisclosure,
  decodeQrPayload,
  encodeCredentialPayload,
  encodeHeader,
  encodePresentationBody,
  makePresentation,
  presentationHeader,
  thumbprintOf,
  toJws,
  verifyKtp,
} from '../../schema/ktp';
import { DAY, T0, checker, deviceKey, issued, officeKey } from './ktp-helpers';

async function signRaw(header: JWSHeaderParameters, payload: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
  return b64u.decode((await new FlattenedSign(payload).setProtectedHeader(header).sign(key)).signature);
}

/** A presentation made by hand (to put in what makePresentation would refuse), signed by `key`. */
async function handMadeQr(held: HolderCredential, key: CryptoKey, o: { disclosures?: Disclosure[]; iat?: number; header?: JWSHeaderParameters } = {}): Promise<Uint8Array> {
  const cred = b64u.decode(held.credential);
  const body = encodePresentationBody(o.iat ?? T0 / 1000, crypto.getRandomValues(new Uint8Array(12)), o.disclosures ?? []);
  const sig = await signRaw(o.header ?? presentationHeader(), concat(await credentialHash(cred), body), key);
  return concat(cred, body, sig);
}

async function setup() {
  const office = await officeKey('test-key-1');
  const device = await deviceKey();
  const held = await issued(office, device);
  const present = (reveal: ('nik' | 'birthDate' | 'address')[] = [], now = T0) => makePresentation({ held, reveal, deviceKey: device.privateKey, now });
  return { office, device, held, present };
}

describe('a genuine presentation', () => {
  it('is VALID and shows only name, masked NIK, 17+ and validity by default', async () => {
    const { office, device, present } = await setup();
    const r = await verifyKtp(await present(), checker([office], { now: T0 + 5000 }));
    expect(r).toEqual({
      status: 'valid',
      reason: 'ok',
      holder: { name: 'SITI AMINAH', nikMasked: '6309••••••••0001', ageOver17: true },
      credential: { kid: 'test-key-1', officeCode: '63.09', issuedAt: T0 / 1000, expiresAt: T0 / 1000 + 30 * DAY, deviceThumbprint: await thumbprintOf(device.publicJwk) },
      presentation: { issuedAt: T0 / 1000, expiresAt: T0 / 1000 + 90 },
    });
  });

  it('reveals full NIK, birth date and address only when chosen', async () => {
    const { office, present } = await setup();
    const r = await verifyKtp(await present(['nik', 'birthDate', 'address']), checker([office]));
    expect(r.status).toBe('valid');
    if (r.status !== 'valid') return;
    expect(r.holder).toEqual({
      name: 'SITI AMINAH',
      nikMasked: '6309••••••••0001',
      ageOver17: true,
      nik: '6309014101000001',
      birthDate: '2000-01-01',
      address: { street: 'Jl. Tanjung 1 RT 003/RW 002', districtCode: '63.09.01' },
    });
    const onlyBirth = await verifyKtp(await present(['birthDate']), checker([office]));
    expect(onlyBirth.status === 'valid' && onlyBirth.holder).toEqual({ name: 'SITI AMINAH', nikMasked: '6309••••••••0001', ageOver17: true, birthDate: '2000-01-01' });
  });
});

describe('time', () => {
  it('the 90-second life is strict: valid at +90 s, EXPIRED at +91 s', async () => {
    const { office, present } = await setup();
    const qr = await present();
    expect((await verifyKtp(qr, checker([office], { now: T0 + 90_000 }))).status).toBe('valid');
    expect(await verifyKtp(qr, checker([office], { now: T0 + 91_000 }))).toEqual({ status: 'expired', reason: 'presentation' });
  });

  it('tolerates a phone clock up to 10 s ahead, not more', async () => {
    const { office, present } = await setup();
    expect((await verifyKtp(await present([], T0 + 10_000), checker([office]))).status).toBe('valid');
    expect(await verifyKtp(await present([], T0 + 11_000), checker([office]))).toEqual({ status: 'not_yet_valid', reason: 'presentation' });
    const strict = { ...checker([office]), clockToleranceSeconds: 0 };
    expect(await verifyKtp(await present([], T0 + 1000), strict)).toEqual({ status: 'not_yet_valid', reason: 'presentation' });
  });

  it('an expired credential is EXPIRED even with a fresh presentation', async () => {
    const { office, device } = await setup();
    const held = await issued(office, device, { issuedAt: T0 / 1000 - 31 * DAY, expiresAt: T0 / 1000 - 1 });
    const qr = await makePresentation({ held, reveal: [], deviceKey: device.privateKey, now: T0 });
    expect(await verifyKtp(qr, checker([office]))).toEqual({ status: 'expired', reason: 'credential' });
  });

  it('a credential issued in the future is not yet valid', async () => {
    const { office, device } = await setup();
    const held = await issued(office, device, { issuedAt: T0 / 1000 + 3600, expiresAt: T0 / 1000 + 2 * DAY });
    const qr = await makePresentation({ held, reveal: [], deviceKey: device.privateKey, now: T0 });
    expect(await verifyKtp(qr, checker([office]))).toEqual({ status: 'not_yet_valid', reason: 'credential' });
  });
});

describe('replay and blocking', () => {
  it('the same QR scanned twice on one checker is REPLAYED; another checker still sees it VALID', async () => {
    const { office, present } = await setup();
    const qr = await present();
    const here = checker([office]);
    expect((await verifyKtp(qr, here)).status).toBe('valid');
    expect(await verifyKtp(qr, here)).toEqual({ status: 'replayed', reason: 'nonce' });
    expect((await verifyKtp(qr, checker([office]))).status).toBe('valid');
    // A new presentation from the same phone has a new nonce.
    expect((await verifyKtp(await present(), here)).status).toBe('valid');
  });

  it('a device on the blocked list is BLOCKED, and a blocked scan does not use up the nonce', async () => {
    const { office, device, present } = await setup();
    const qr = await present();
    const thumb = await thumbprintOf(device.publicJwk);
    const ctx = checker([office], { blocked: [thumb] });
    expect(await verifyKtp(qr, ctx)).toEqual({ status: 'blocked', reason: 'device' });
    expect(await verifyKtp(qr, ctx)).toEqual({ status: 'blocked', reason: 'device' });
    expect((await verifyKtp(qr, checker([office], { blocked: ['someone-else'] }))).status).toBe('valid');
  });

  it('an expired presentation is EXPIRED, not REPLAYED, on the second scan', async () => {
    const { office, present } = await setup();
    const qr = await present();
    const ctx = checker([office]);
    expect((await verifyKtp(qr, ctx)).status).toBe('valid');
    ctx.setNow(T0 + 91_000);
    expect((await verifyKtp(qr, ctx)).status).toBe('expired');
  });
});

describe('keys and rotation', () => {
  it('an unknown kid is UNKNOWN_KEY; a non-ES256 entry in the JWKS is never used', async () => {
    const { office, present } = await setup();
    const stranger = await officeKey('test-key-9');
    expect(await verifyKtp(await present(), checker([stranger]))).toEqual({ status: 'unknown_key', reason: 'kid' });
    const ctx = checker([]);
    const oct = { kty: 'oct', kid: 'test-key-1', k: base64url.encode(new Uint8Array(32)) };
    const rsaLike = { ...office.publicJwk, alg: 'RS256' };
    const wrongUse = { ...office.publicJwk, use: 'enc' };
    for (const bad of [oct, rsaLike, wrongUse]) {
      expect(await verifyKtp(await present(), { ...ctx, keys: new (await import('../../schema/ktp')).OfficeKeySet({ keys: [bad] }) })).toEqual({ status: 'unknown_key', reason: 'kid' });
    }
  });

  it('after rotation old credentials verify until expiry or until their key leaves the JWKS; new ones use the new kid', async () => {
    const k1 = await officeKey('k-2026a');
    const k2 = await officeKey('k-2026b');
    const device = await deviceKey();
    const oldHeld = await issued(k1, device);
    const newHeld = await issued(k2, device);
    const oldQr = await makePresentation({ held: oldHeld, reveal: [], deviceKey: device.privateKey, now: T0 });
    const newQr = await makePresentation({ held: newHeld, reveal: [], deviceKey: device.privateKey, now: T0 });
    expect(decodeQrPayload(newQr).credential.kid).toBe('k-2026b');
    const both = checker([k2, k1]);
    expect(await verifyKtp(oldQr, both)).toMatchObject({ status: 'valid', credential: { kid: 'k-2026a' } });
    expect(await verifyKtp(newQr, both)).toMatchObject({ status: 'valid', credential: { kid: 'k-2026b' } });
    expect(await verifyKtp(oldQr, checker([k2]))).toEqual({ status: 'unknown_key', reason: 'kid' });
    expect(await verifyKtp(oldQr, checker([k2, k1], { now: T0 + 31 * DAY * 1000 }))).toEqual({ status: 'expired', reason: 'credential' });
  });
});

describe('attacks on the compact form', () => {
  it('alg byte other than ES256 ("none" = 0, HS256 = 2) is TAMPERED', async () => {
    const { office, present } = await setup();
    const qr = await present();
    for (const alg of [0, 2, 255]) {
      const forged = qr.slice();
      forged[2] = alg;
      expect(await verifyKtp(forged, checker([office]))).toEqual({ status: 'tampered', reason: 'alg' });
    }
  });

  it('a credential signed by another key under our kid (kid pointing at our key) is TAMPERED', async () => {
    const { office, device } = await setup();
    const attacker = { ...(await officeKey('test-key-1')) };
    const held = await issued(attacker, device);
    const qr = await makePresentation({ held, reveal: [], deviceKey: device.privateKey, now: T0 });
    expect(await verifyKtp(qr, checker([office]))).toEqual({ status: 'tampered', reason: 'office_signature' });
  });

  it("a credential whose kid was changed to another of our keys is TAMPERED (the header is rebuilt from it)", async () => {
    const k1 = await officeKey('k-2026a');
    const k2 = await officeKey('k-2026b');
    const device = await deviceKey();
    const held = await issued(k1, device);
    const cred = b64u.decode(held.credential);
    const payload = cred.slice(0, cred.length - 64);
    const decoded = decodeQrPayload(await makePresentation({ held, reveal: [], deviceKey: device.privateKey, now: T0 })).credential;
    const relabelled = encodeCredentialPayload('k-2026b', decoded);
    expect(relabelled.length).toBe(payload.length);
    const qr = await handMadeQr({ ...held, credential: b64u.encode(concat(relabelled, cred.slice(-64))) }, device.privateKey);
    expect(await verifyKtp(qr, checker([k1, k2]))).toEqual({ status: 'tampered', reason: 'office_signature' });
  });

  it('a presentation signed by another device key is TAMPERED', async () => {
    const { office, held } = await setup();
    const thief = await deviceKey();
    const qr = await makePresentation({ held, reveal: [], deviceKey: thief.privateKey, now: T0 });
    expect(await verifyKtp(qr, checker([office]))).toEqual({ status: 'tampered', reason: 'device_signature' });
  });

  it("a presentation re-attached to another credential of the same device is TAMPERED", async () => {
    const { office, device, held, present } = await setup();
    const other = await issued(office, device, { name: 'SITI AMINAH BINTI UMAR' });
    const qr = decodeQrPayload(await present());
    const spliced = concat(b64u.decode(other.credential), qr.presentation.body, qr.presentation.signature);
    expect(await verifyKtp(spliced, checker([office]))).toEqual({ status: 'tampered', reason: 'device_signature' });
    expect(held.credential).not.toBe(other.credential);
  });

  it('a device signature made for another typ (e.g. the credential header) is TAMPERED', async () => {
    const { office, device, held } = await setup();
    const qr = await handMadeQr(held, device.privateKey, { header: credentialHeader('test-key-1') });
    expect(await verifyKtp(qr, checker([office]))).toEqual({ status: 'tampered', reason: 'device_signature' });
    const jwtLike = await handMadeQr(held, device.privateKey, { header: { alg: 'ES256', typ: 'JWT' } });
    expect(await verifyKtp(jwtLike, checker([office]))).toEqual({ status: 'tampered', reason: 'device_signature' });
  });

  it('a disclosure not matching its digest is TAMPERED, even when the device signs it', async () => {
    const { office, device, held } = await setup();
    const real = decodeDisclosure('birthDate', b64u.decode(held.disclosures.birthDate));
    const lie: Disclosure = { claim: 'birthDate', salt: real.salt, value: '1990-01-01' };
    const qr = await handMadeQr(held, device.privateKey, { disclosures: [lie] });
    expect(await verifyKtp(qr, checker([office]))).toEqual({ status: 'tampered', reason: 'disclosure' });
    const honest = await handMadeQr(held, device.privateKey, { disclosures: [real] });
    expect((await verifyKtp(honest, checker([office]))).status).toBe('valid');
  });

  it('flipping any bit anywhere in the QR never gives VALID', async () => {
    const { office, present } = await setup();
    const qr = await present(['address']);
    const seen = new Set<string>();
    for (let i = 0; i < qr.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const forged = qr.slice();
        forged[i]! ^= bit;
        const r = await verifyKtp(forged, checker([office]));
        expect(r.status, `byte ${i} bit ${bit}`).not.toBe('valid');
        seen.add(r.status);
      }
    }
    for (const status of seen) expect(['malformed', 'tampered', 'unknown_key']).toContain(status);
    expect(seen.has('tampered')).toBe(true);
  });

  it('anything that is not a Loket KTP QR is MALFORMED', async () => {
    const { office } = await setup();
    for (const text of ['LOKETB1.0190.abc.def', 'https://example.org', '']) {
      expect((await verifyKtp(new TextEncoder().encode(text), checker([office]))).status).toBe('malformed');
    }
    expect(await verifyKtp(new Uint8Array(500), checker([office]))).toEqual({ status: 'malformed', reason: 'too_large' });
  });
});

describe('attacks on the JWS form (POST /api/ktp/verify accepts it)', () => {
  async function jwsSetup() {
    const s = await setup();
    const jws = await toJws(await s.present(['nik']));
    const [ch, cp, cs] = jws.credential.split('.') as [string, string, string];
    const [ph, pp, ps] = jws.presentation.split('.') as [string, string, string];
    return { ...s, jws, ch, cp, cs, ph, pp, ps };
  }
  const hdr = (h: object) => base64url.encode(JSON.stringify(h));

  it('the JWS form of a genuine QR is VALID, and each part is a standard JWS any JOSE library verifies', async () => {
    const { office, jws, ch } = await jwsSetup();
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(ch)))).toEqual({ alg: 'ES256', kid: 'test-key-1', typ: 'ktp-cred' });
    const { compactVerify } = await import('jose');
    await expect(compactVerify(jws.credential, office.publicJwk as never, { algorithms: ['ES256'] })).resolves.toBeTruthy();
    expect(await verifyKtp(jws, checker([office]))).toMatchObject({ status: 'valid', holder: { nik: '6309014101000001' } });
  });

  it('alg "none" is TAMPERED', async () => {
    const { office, jws, cp } = await jwsSetup();
    const none = `${hdr({ alg: 'none', kid: 'test-key-1', typ: 'ktp-cred' })}.${cp}.`;
    expect(await verifyKtp({ ...jws, credential: none }, checker([office]))).toEqual({ status: 'tampered', reason: 'alg' });
  });

  it('HS256 "signed" with the office public key as the HMAC secret is TAMPERED', async () => {
    const { office, jws, cp } = await jwsSetup();
    const secret = new TextEncoder().encode(JSON.stringify(office.publicJwk));
    const hs = await new CompactSign(base64url.decode(cp)).setProtectedHeader({ alg: 'HS256', kid: 'test-key-1', typ: 'ktp-cred' }).sign(secret);
    expect(await verifyKtp({ ...jws, credential: hs }, checker([office]))).toEqual({ status: 'tampered', reason: 'alg' });
    const pem = await new CompactSign(base64url.decode(cp)).setProtectedHeader({ alg: 'HS256', kid: 'test-key-1', typ: 'ktp-cred' }).sign(base64url.decode(office.publicJwk.x!));
    expect(await verifyKtp({ ...jws, credential: pem }, checker([office]))).toEqual({ status: 'tampered', reason: 'alg' });
  });

  it('an embedded jwk (attacker key in the header) is TAMPERED, with or without our kid', async () => {
    const { office, jws, cp } = await jwsSetup();
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    for (const header of [{ alg: 'ES256', kid: 'test-key-1', typ: 'ktp-cred', jwk }, { alg: 'ES256', typ: 'ktp-cred', jwk }]) {
      const forged = await new CompactSign(base64url.decode(cp)).setProtectedHeader(header).sign(privateKey);
      expect(await verifyKtp({ ...jws, credential: forged }, checker([office]))).toEqual({ status: 'tampered', reason: 'header' });
    }
    for (const extra of [{ jku: 'https://evil.example/jwks.json' }, { x5u: 'https://evil.example/cert' }, { crit: ['exp'], exp: 1 }]) {
      const forged = await new CompactSign(base64url.decode(cp)).setProtectedHeader({ alg: 'ES256', kid: 'test-key-1', typ: 'ktp-cred', ...extra } as CompactJWSHeaderParameters).sign(privateKey).catch(() => null);
      const text = forged ?? `${hdr({ alg: 'ES256', kid: 'test-key-1', typ: 'ktp-cred', ...extra })}.${cp}.${'A'.repeat(86)}`;
      expect(await verifyKtp({ ...jws, credential: text }, checker([office]))).toEqual({ status: 'tampered', reason: 'header' });
    }
  });

  it('a kid pointing elsewhere is UNKNOWN_KEY; a header kid differing from the signed kid is TAMPERED', async () => {
    const { office, jws, cp, cs } = await jwsSetup();
    for (const kid of ['https://evil.example/jwks.json#1', '../../keys/k', 'test-key-2', '']) {
      const forged = `${hdr({ alg: 'ES256', kid, typ: 'ktp-cred' })}.${cp}.${cs}`;
      expect(await verifyKtp({ ...jws, credential: forged }, checker([office]))).toEqual({ status: 'unknown_key', reason: 'kid' });
    }
    const other = await officeKey('test-key-2');
    const swapped = `${hdr({ alg: 'ES256', kid: 'test-key-2', typ: 'ktp-cred' })}.${cp}.${cs}`;
    expect(await verifyKtp({ ...jws, credential: swapped }, checker([office, other]))).toEqual({ status: 'tampered', reason: 'kid_mismatch' });
  });

  it('wrong typ or audience: an office JWT of another kind, or the presentation posing as credential, is refused', async () => {
    const { office, jws, ph, pp, ps, cp, cs } = await jwsSetup();
    const activation = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key-1', typ: 'ikd-activation+jwt' })
      .setAudience('loket:ikd-activation')
      .setExpirationTime(T0 / 1000 + 600)
      .sign(office.key);
    expect(await verifyKtp({ ...jws, credential: activation }, checker([office]))).toEqual({ status: 'tampered', reason: 'typ' });
    // Right typ, but a JSON JWT payload signed by the office: not a KTP credential.
    const jsonPayload = await new CompactSign(new TextEncoder().encode('{"aud":"loket:ktp","sub":"6309014101000001"}')).setProtectedHeader({ alg: 'ES256', kid: 'test-key-1', typ: 'ktp-cred' }).sign(office.key);
    expect(await verifyKtp({ ...jws, credential: jsonPayload }, checker([office]))).toEqual({ status: 'malformed', reason: 'not_ktp' });
    expect(await verifyKtp({ credential: `${ph}.${pp}.${ps}`, presentation: `${ph}.${pp}.${ps}` }, checker([office]))).toEqual({ status: 'tampered', reason: 'typ' });
    const presAsCred = `${encodeHeader(presentationHeader())}.${cp}.${cs}`;
    expect(await verifyKtp({ ...jws, credential: presAsCred }, checker([office]))).toEqual({ status: 'tampered', reason: 'typ' });
    const credTypedPres = `${hdr({ alg: 'ES256', typ: 'ktp-cred' })}.${pp}.${ps}`;
    expect(await verifyKtp({ ...jws, presentation: credTypedPres }, checker([office]))).toEqual({ status: 'tampered', reason: 'typ' });
  });

  it('a presentation JWS bound to another credential is TAMPERED; another device key is TAMPERED; expiry applies', async () => {
    const { office, device, jws, pp, ps } = await jwsSetup();
    const other = await toJws(await makePresentation({ held: await issued(office, device), reveal: [], deviceKey: device.privateKey, now: T0 }));
    expect(await verifyKtp({ credential: other.credential, presentation: jws.presentation }, checker([office]))).toEqual({ status: 'tampered', reason: 'credential_binding' });
    const thief = await deviceKey();
    const stolen = `${encodeHeader(presentationHeader())}.${pp}.${b64u.encode(await signRaw(presentationHeader(), base64url.decode(pp), thief.privateKey))}`;
    expect(await verifyKtp({ ...jws, presentation: stolen }, checker([office]))).toEqual({ status: 'tampered', reason: 'device_signature' });
    expect(ps).not.toBe(stolen.split('.')[2]);
    expect(await verifyKtp(jws, checker([office], { now: T0 + 91_000 }))).toEqual({ status: 'expired', reason: 'presentation' });
  });

  it('garbage in the JWS form is MALFORMED', async () => {
    const { office, jws } = await jwsSetup();
    for (const credential of ['a.b', 'a.b.c.d', '!!.x.y', `${hdr([1])}.AA.AA`, `${base64url.encode('not json')}.AA.AA`]) {
      expect((await verifyKtp({ ...jws, credential }, checker([office]))).status).toBe('malformed');
    }
  });
});
