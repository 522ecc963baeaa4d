/** Digital KTP compact format: round trips, field limits, the QR budget and P-256 point compression. */
import fc from 'fast-check';
import { calculateJwkThumbprint } from 'jose';
import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import {
  type ClaimName,
  DISCLOSABLE,
  KtpFormatError,
  QR_BUDGET_BYTES,
  b64u,
  bcd,
  claimDigest,
  compressPoint,
  decodeCredential,
  decodeDisclosure,
  decodeQrPayload,
  decompressPoint,
  makePresentation,
  thumbprintOf,
  unbcd,
} from '../../schema/ktp';
import { DAY, T0, deviceKey, issued, officeKey } from './ktp-helpers';

describe('P-256 points', () => {
  it('compresses a device key to 33 bytes and back to the same JWK and thumbprint', async () => {
    for (let i = 0; i < 8; i++) {
      const d = await deviceKey();
      const point = compressPoint(d.publicJwk);
      expect(point.length).toBe(33);
      const back = decompressPoint(point);
      expect(back).toEqual({ kty: 'EC', crv: 'P-256', x: d.publicJwk.x, y: d.publicJwk.y });
      expect(await thumbprintOf(back)).toBe(await calculateJwkThumbprint(d.publicJwk));
    }
  });

  it('refuses bytes that are not a point on the curve', () => {
    expect(() => decompressPoint(new Uint8Array(33))).toThrow(KtpFormatError); // prefix 0
    // About half of all x have no point on the curve; among x = 1..40 some must be refused, and not all.
    let refused = 0;
    for (let x = 1; x <= 40; x++) {
      const candidate = new Uint8Array(33);
      candidate[0] = 2;
      candidate[32] = x;
      try {
        const jwk = decompressPoint(candidate);
        expect(compressPoint(jwk)).toEqual(candidate);
      } catch (err) {
        expect(String(err)).toMatch(/not on P-256/);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(5);
    expect(refused).toBeLessThan(35);
    expect(() => decompressPoint(new Uint8Array(32))).toThrow(KtpFormatError);
  });

  it('refuses a JWK whose y does not belong to its x', async () => {
    const d = await deviceKey();
    const other = await deviceKey();
    expect(() => compressPoint({ ...d.publicJwk, y: other.publicJwk.y })).toThrow(/not a point/);
  });
});

describe('BCD', () => {
  it('round-trips digit strings and refuses nibbles above 9', () => {
    fc.assert(fc.property(fc.stringMatching(/^(\d\d){0,10}$/), (s) => unbcd(bcd(s)) === s));
    expect(() => unbcd(Uint8Array.of(0xa1))).toThrow(KtpFormatError);
  });
});

describe('credential and presentation bytes', () => {
  it('a credential carries the claims in clear that the default shows, and only digests of the rest', async () => {
    const office = await officeKey('k-2026a');
    const device = await deviceKey();
    const held = await issued(office, device);
    const bytes = b64u.decode(held.credential);
    const c = decodeCredential(bytes);
    expect(c).toMatchObject({ kid: 'k-2026a', officeCode: '63.09', name: 'SITI AMINAH', nikMasked: '6309••••••••0001', ageOver17: true, issuedAt: T0 / 1000, expiresAt: T0 / 1000 + 30 * DAY });
    expect(c.devicePoint).toEqual(compressPoint(device.publicJwk));
    // The undisclosed values are nowhere in the bytes, neither as text nor as BCD.
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).not.toContain('Tanjung');
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).not.toContain('6309014101000001');
    expect(hex).not.toContain('20000101');
    for (const claim of DISCLOSABLE) {
      const d = decodeDisclosure(claim, b64u.decode(held.disclosures[claim]));
      expect(await claimDigest(claim, d.salt, d.value)).toEqual(c.digests[claim]);
    }
  });

  it('salts are fresh per issuance, so two credentials of the same person have unrelated digests', async () => {
    const office = await officeKey('k1');
    const device = await deviceKey();
    const a = decodeCredential(b64u.decode((await issued(office, device)).credential));
    const b = decodeCredential(b64u.decode((await issued(office, device)).credential));
    for (const claim of DISCLOSABLE) expect(a.digests[claim]).not.toEqual(b.digests[claim]);
  });

  it('a presentation decodes with exactly the chosen disclosures', async () => {
    const office = await officeKey('k1');
    const device = await deviceKey();
    const held = await issued(office, device);
    const choices: ClaimName[][] = [[], ['nik'], ['birthDate'], ['address'], ['nik', 'address'], ['nik', 'birthDate', 'address']];
    for (const reveal of choices) {
      const qr = await makePresentation({ held, reveal, deviceKey: device.privateKey, now: T0 + 1500 });
      const p = decodeQrPayload(qr);
      expect(p.presentation.issuedAt).toBe(T0 / 1000 + 1);
      expect(p.presentation.nonce.length).toBe(12);
      expect(p.presentation.disclosures.map((d) => d.claim)).toEqual(DISCLOSABLE.filter((c) => reveal.includes(c)));
      expect(p.credentialBytes).toEqual(b64u.decode(held.credential));
    }
  });

  it('fits the QR budget: default at version ≤ 13, everything revealed at version ≤ 15 (level M)', async () => {
    const office = await officeKey('test-key-1');
    const device = await deviceKey();
    // A long but realistic name and street.
    const held = await issued(office, device, {
      name: 'RADEN AJENG SRI WAHYUNINGSIH KUSUMAWARDHANI',
      address: { street: 'Jl. Jenderal Sudirman No. 123 RT 012/RW 004', districtCode: '63.09.01' },
    });
    const versionOf = (bytes: Uint8Array) => {
      for (let v = 1; v <= 40; v++) {
        try {
          const q = qrcode(v as TypeNumber, 'M');
          q.addData(String.fromCharCode(...bytes), 'Byte');
          q.make();
          return v;
        } catch {
          // too small, try the next version
        }
      }
      return Infinity;
    };
    const def = await makePresentation({ held, reveal: [], deviceKey: device.privateKey });
    const all = await makePresentation({ held, reveal: ['nik', 'birthDate', 'address'], deviceKey: device.privateKey });
    expect(def.length).toBeLessThan(320);
    expect(versionOf(def)).toBeLessThanOrEqual(13);
    expect(all.length).toBeLessThanOrEqual(QR_BUDGET_BYTES);
    expect(versionOf(all)).toBeLessThanOrEqual(15);
  });

  it('refuses to make a presentation that would not fit, and names that are too long', async () => {
    const office = await officeKey('test-key-1');
    const device = await deviceKey();
    const held = await issued(office, device, { name: 'A'.repeat(72), address: { street: 'B'.repeat(64), districtCode: '63.09.01' } });
    await expect(makePresentation({ held, reveal: [], deviceKey: device.privateKey })).resolves.toBeInstanceOf(Uint8Array);
    await expect(makePresentation({ held, reveal: ['nik', 'birthDate', 'address'], deviceKey: device.privateKey })).rejects.toMatchObject({ reason: 'too_large' });
    await expect(issued(office, device, { name: 'A'.repeat(73) })).rejects.toThrow(/1\.\.72/);
  });

  it('refuses a stored disclosure that does not match the credential', async () => {
    const office = await officeKey('k1');
    const device = await deviceKey();
    const held = await issued(office, device);
    const other = await issued(office, device, { birthDate: '2000-01-02' });
    await expect(makePresentation({ held: { ...held, disclosures: { ...held.disclosures, birthDate: other.disclosures.birthDate } }, reveal: ['birthDate'], deviceKey: device.privateKey })).rejects.toThrow(/does not match/);
  });

  it('decoding random or cut bytes fails with a format error, never anything else', async () => {
    const office = await officeKey('k1');
    const device = await deviceKey();
    const qr = await makePresentation({ held: await issued(office, device), reveal: ['address'], deviceKey: device.privateKey });
    for (let cut = 0; cut < qr.length; cut += 7) expect(() => decodeQrPayload(qr.slice(0, cut))).toThrow(KtpFormatError);
    expect(() => decodeQrPayload(Uint8Array.of(...qr, 0))).toThrow(/after the end/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        try {
          decodeQrPayload(bytes);
        } catch (err) {
          return err instanceof KtpFormatError;
        }
        return true;
      }),
    );
  });
});
