import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECEIPT_AUDIENCE, RECEIPT_TYP } from '../../../../schema/receipt';
import { checkReceipt, tokenFromHash } from './receipt-check';

const ORIGIN = 'https://loket.example';
const NOW = Date.UTC(2026, 10, 24, 2, 0);
const claims = { off: '63.09', offName: 'Disdukcapil Kabupaten Tabalong', nm: 'SITI AMINAH', nik: '6309••••••••0001', acc: NOW - 60_000 };
let keys: JWK[];
let key: CryptoKey;
let otherKey: CryptoKey;

async function sign(opts: { k?: CryptoKey; kid?: string; typ?: string; aud?: string; iss?: string; exp?: number; alg?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'ES256', kid: opts.kid ?? 'k1', typ: opts.typ ?? RECEIPT_TYP })
    .setIssuer(opts.iss ?? ORIGIN)
    .setAudience(opts.aud ?? RECEIPT_AUDIENCE)
    .setSubject('01a20a05-1317-77b7-b395-64cc7f95bbb8')
    .setIssuedAt(Math.floor(NOW / 1000))
    .setExpirationTime(opts.exp ?? Math.floor(NOW / 1000) + 3600)
    .sign(opts.k ?? key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  keys = [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }];
});

describe('KTP-el receipt check', () => {
  it('accepts a receipt signed by a cached office key and reads its claims', async () => {
    const r = await checkReceipt(await sign(), keys, ORIGIN, NOW);
    expect(r).toMatchObject({ status: 'valid', claims: { nm: 'SITI AMINAH', off: '63.09' } });
  });

  it('says exactly why not', async () => {
    const token = await sign();
    const [h, p, s] = token.split('.');
    const flipped = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BA' : 'AA'}`;
    expect((await checkReceipt(flipped, keys, ORIGIN, NOW)).status).toBe('tampered');
    expect((await checkReceipt(await sign({ k: otherKey }), keys, ORIGIN, NOW)).status).toBe('tampered');
    expect((await checkReceipt(await sign({ kid: 'k9' }), keys, ORIGIN, NOW)).status).toBe('unknown_key');
    expect((await checkReceipt(await sign({ exp: Math.floor(NOW / 1000) - 120 }), keys, ORIGIN, NOW)).status).toBe('expired');
    expect((await checkReceipt(await sign({ typ: 'activation+jwt' }), keys, ORIGIN, NOW)).status).toBe('wrong_kind');
    expect((await checkReceipt(await sign({ aud: 'loket:activation' }), keys, ORIGIN, NOW)).status).toBe('wrong_kind');
    expect((await checkReceipt(await sign({ iss: 'https://elsewhere.example' }), keys, ORIGIN, NOW)).status).toBe('wrong_kind');
    expect((await checkReceipt('not.a.token', keys, ORIGIN, NOW)).status).toBe('malformed');
    expect((await checkReceipt(await sign(), undefined, ORIGIN, NOW)).status).toBe('no_keys');
  });

  it('refuses alg none and HS256 made with the public key', async () => {
    const enc = (o: object) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const body = enc({ ...claims, iss: ORIGIN, aud: RECEIPT_AUDIENCE, exp: Math.floor(NOW / 1000) + 60 });
    const none = `${enc({ alg: 'none', typ: RECEIPT_TYP, kid: 'k1' })}.${body}.`;
    expect((await checkReceipt(none, keys, ORIGIN, NOW)).status).not.toBe('valid');
    const hs = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: RECEIPT_TYP })
      .setIssuer(ORIGIN)
      .setAudience(RECEIPT_AUDIENCE)
      .setExpirationTime(Math.floor(NOW / 1000) + 60)
      .sign(new TextEncoder().encode(JSON.stringify(keys[0])));
    expect((await checkReceipt(hs, keys, ORIGIN, NOW)).status).not.toBe('valid');
  });

  it('reads the token from a check link fragment', () => {
    expect(tokenFromHash('#t=aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
    expect(tokenFromHash('#t=<script>')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });
});
