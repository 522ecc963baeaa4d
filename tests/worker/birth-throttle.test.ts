/**
 * The public birth-certificate checks (QR, PDF, revocation list) are rate-limited per client address: a script
 * hammering them from one address is stopped with 429 and Retry-After, while a checker at a desk, working at a
 * human pace from another address, is never refused, not even during the attack.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { b64u } from '../../schema/ktp/bytes';
import { issueCertificate } from '../../worker/birth/issue';
import * as bdb from '../../worker/db/birth';
import type { Env } from '../../worker/env';
import { BIRTH_PUBLIC_LIMITS } from '../../worker/routes/birth-sign';
import { caseIn, seedBirthOffice } from './birth-kit';
import { api, testIp } from './helpers/auth';

let qr: string;
let pdf: Uint8Array;

beforeAll(async () => {
  await seedBirthOffice();
  const { caseId } = await caseIn('signed');
  const [cert] = await bdb.certificatesOfCase(env.DB, caseId);
  await issueCertificate(env as unknown as Env, cert!.register_no);
  const issued = (await bdb.getCertificate(env.DB, cert!.register_no))!;
  qr = issued.qr!;
  pdf = new Uint8Array(await (await env.FILES.get(issued.r2_key!))!.arrayBuffer());
});

const verifyQr = (code: string, ip: string) => api('/api/birth/verify', { method: 'POST', json: { qr: code }, ip });
const verifyPdf = (body: Uint8Array, ip: string) => api('/api/birth/verify-pdf', { method: 'POST', body, headers: { 'content-type': 'application/pdf' }, ip });
const revocations = (ip: string) => api('/api/birth/revocations/63.09', { ip });

/** A forged QR: the genuine one with one byte changed (the kind of thing a script tries in bulk). */
function forged(i: number): string {
  const bytes = b64u.decode(qr);
  bytes[10 + (i % 40)] = bytes[10 + (i % 40)]! ^ (1 + (i % 200));
  return b64u.encode(bytes);
}

async function expectLimited(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await res.json()) as { code: string }).code).toBe('too_many_attempts');
}

describe('public birth verification is rate-limited per client address', () => {
  it('a script sending forged QRs is stopped at the limit; the checker at a desk is not', async () => {
    const attacker = testIp();
    const checker = testIp();
    const limit = BIRTH_PUBLIC_LIMITS.verify.limit;
    for (let i = 0; i < limit; i++) {
      const res = await verifyQr(forged(i), attacker);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).not.toBe('valid');
      // The checker verifies a real certificate now and then while the attack runs.
      if (i % 15 === 0) expect(((await (await verifyQr(qr, checker)).json()) as { status: string }).status).toBe('valid');
    }
    await expectLimited(await verifyQr(forged(limit), attacker));
    // Stopped for the rest of the window, even with a genuine QR.
    await expectLimited(await verifyQr(qr, attacker));
    const after = await verifyQr(qr, checker);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { status: string; registerNo: string }).status).toBe('valid');
  });

  it('PDF uploads have their own, smaller budget, refused before the body is read; QR checks are unaffected', async () => {
    const attacker = testIp();
    const checker = testIp();
    const junk = new Uint8Array(64 * 1024).fill(0x25);
    for (let i = 0; i < BIRTH_PUBLIC_LIMITS.verifyPdf.limit; i++) expect((await verifyPdf(junk, attacker)).status).toBe(200);
    await expectLimited(await verifyPdf(pdf, attacker));
    // Even a body over the 10 MB cap is answered 429 (the counter is checked first), not 413.
    await expectLimited(await verifyPdf(new Uint8Array(11 * 1024 * 1024), attacker));
    expect((await verifyQr(qr, attacker)).status).toBe(200);
    const ok = await verifyPdf(pdf, checker);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { match: boolean }).match).toBe(true);
  });

  it('the revocation list the offline checker caches: a normal refresh passes, a flood is stopped', async () => {
    const flood = testIp();
    const phone = testIp();
    for (let i = 0; i < BIRTH_PUBLIC_LIMITS.revocations.limit; i++) expect((await revocations(flood)).status).toBe(200);
    await expectLimited(await revocations(flood));
    expect((await revocations(phone)).status).toBe(200);
  });
});
