/** The compact KTP-el receipt (schema/receipt-qr.ts): fits a version-10 QR at level M with the link around it, and says exactly why a receipt is not genuine. */
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../schema/ktp/bytes';
import { encodeQr } from '../../schema/ktp/qr';
import { RECEIPT_TTL_SECONDS } from '../../schema/receipt';
import { parseReceiptText, signCompactReceipt, verifyCompactReceipt } from '../../schema/receipt-qr';

const NUMBER = '019ad4f2-1c3b-7e21-9a40-0123456789ab';
const ACCEPTED = Date.UTC(2026, 10, 30, 2, 15, 7);
const base = { number: NUMBER, officeCode: '63.09', nikMasked: '6309••••••••0001', name: 'SITI AMINAH', acceptedAt: ACCEPTED };
let key: CryptoKey;
let oldKey: CryptoKey;
let jwks: JWK[];

beforeAll(async () => {
  const [a, b] = await Promise.all([generateKeyPair('ES256', { extractable: true }), generateKeyPair('ES256', { extractable: true })]);
  key = a.privateKey;
  oldKey = b.privateKey;
  jwks = [
    { ...(await exportJWK(a.publicKey)), kid: 'office-2026-12', alg: 'ES256' },
    { ...(await exportJWK(b.publicKey)), kid: 'office-2026-06', alg: 'ES256' },
  ];
});

const bytesOf = (url: string) => (parseReceiptText(url) as { bytes: Uint8Array }).bytes;

describe('size', () => {
  const origins = ['http://localhost:8787', 'https://loket.disdukcapil.tabalongkab.go.id'];
  const names = ['SITI AMINAH', 'MUHAMMAD RIZKY ABDILLAH PRATAMA PUTRA WIJAYAKUSUMA NUGROHO', 'Ni Kadek Ayu Widyaningsih Çağlar Ŝĥ 黄'];
  for (const origin of origins) {
    for (const name of names) {
      it(`${origin} with a ${utf8(name).length}-byte name: version ≤ 10 at level M, and verifies`, async () => {
        const signed = await signCompactReceipt(key, 'office-2026-12', origin, { ...base, name });
        expect(signed.qrVersion).toBeLessThanOrEqual(10);
        expect(encodeQr(utf8(signed.url), 10, 'M').version).toBe(signed.qrVersion);
        const check = await verifyCompactReceipt(bytesOf(signed.url), jwks, ACCEPTED + 1000);
        expect(check.status).toBe('valid');
        if (check.status !== 'valid') return;
        // Cut at a character boundary, never past the whole name, never empty.
        expect(name.startsWith(check.receipt.name)).toBe(true);
        expect(check.receipt.name.length).toBeGreaterThan(3);
        expect(check.receipt).toMatchObject({ number: NUMBER, officeCode: '63.09', nikMasked: base.nikMasked, acceptedAt: Math.floor(ACCEPTED / 1000) * 1000 });
        expect(check.receipt.expiresAt).toBe(check.receipt.acceptedAt + RECEIPT_TTL_SECONDS * 1000);
      });
    }
  }
});

describe('verification', () => {
  it('a receipt signed before a key rotation still verifies with the older key', async () => {
    const signed = await signCompactReceipt(oldKey, 'office-2026-06', 'http://localhost:8787', base);
    expect((await verifyCompactReceipt(bytesOf(signed.url), jwks, ACCEPTED)).status).toBe('valid');
  });

  it('every single changed byte is refused (tampered, unknown key or malformed), never valid', async () => {
    const bytes = bytesOf((await signCompactReceipt(key, 'office-2026-12', 'http://localhost:8787', base)).url);
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i] = changed[i]! ^ 0x04;
      const { status } = await verifyCompactReceipt(changed, jwks, ACCEPTED);
      expect(['tampered', 'unknown_key', 'malformed'], `byte ${i}`).toContain(status);
    }
  });

  it('expired after 180 days; unknown key; truncated and trailing bytes', async () => {
    const bytes = bytesOf((await signCompactReceipt(key, 'office-2026-12', 'http://localhost:8787', base)).url);
    expect((await verifyCompactReceipt(bytes, jwks, ACCEPTED + (RECEIPT_TTL_SECONDS + 120) * 1000)).status).toBe('expired');
    expect((await verifyCompactReceipt(bytes, jwks.slice(1), ACCEPTED)).status).toBe('unknown_key');
    expect((await verifyCompactReceipt(bytes.slice(0, -1), jwks, ACCEPTED)).status).toBe('malformed');
    expect((await verifyCompactReceipt(Uint8Array.from([...bytes, 0]), jwks, ACCEPTED)).status).toBe('malformed');
  });
});

describe('parseReceiptText', () => {
  it('tells the compact link, an old JWT link and anything else apart', () => {
    expect(parseReceiptText('https://x.test/v/resi#r=UgEB').kind).toBe('compact');
    expect(parseReceiptText('https://x.test/v/resi#t=aaa.bbb.ccc')).toEqual({ kind: 'jwt', token: 'aaa.bbb.ccc' });
    expect(parseReceiptText('https://x.test/v/resi#t=<script>').kind).toBe('none');
    expect(parseReceiptText('https://x.test/v/resi#r=not*base64').kind).toBe('none');
    expect(parseReceiptText('just text').kind).toBe('none');
  });
});
