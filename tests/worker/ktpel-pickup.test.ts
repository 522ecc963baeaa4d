/** Pickup by receipt scan (seed 001 KTP-el step 5): the scanned receipt is checked, then the card handed over once; forged, foreign, reused and early receipts are refused with their reason. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { b64u } from '../../schema/ktp/bytes';
import { uuid7 } from '../../schema/ids';
import { RECEIPT_AUDIENCE, RECEIPT_TTL_SECONDS, RECEIPT_TYP, type Receipt } from '../../schema/receipt';
import { compactReceiptUrl, parseReceiptText, signCompactReceipt, verifyCompactReceipt } from '../../schema/receipt-qr';
import { officeKeys, signToken } from '../../worker/keys';
import { createStaff, signIn, type SignedIn } from './helpers/auth';
import { RESIDENT_NIK, seedMinimalOffice } from './helpers/fixtures';

let fo: SignedIn;
let op: SignedIn;
let jambiFo: SignedIn;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  const [a, b, c] = await Promise.all([
    createStaff({ roles: ['front_office'] }),
    createStaff({ roles: ['operator'] }),
    createStaff({ roles: ['front_office'], officeCode: '15.71' }),
  ]);
  [fo, op, jambiFo] = await Promise.all([signIn(a.username, a.password), signIn(b.username, b.password), signIn(c.username, c.password)]);
});

async function act(who: SignedIn, caseId: string, action: string, baseVersion: number, input: Record<string, unknown> = {}) {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands: [{ id: uuid7(), type: 'action', caseId, action, baseVersion, input }] } });
  const { results } = (await res.json()) as { results: { status: string; problem?: unknown }[] };
  expect(results[0]!.status, JSON.stringify(results[0]!.problem)).toBe('applied');
}

/** A case walked to `upTo`, and the receipt the front office printed at acceptance. */
async function caseWithReceipt(upTo: 'accepted' | 'printing' | 'ready'): Promise<{ caseId: string; receipt: Receipt }> {
  const caseId = uuid7();
  const res = await fo.fetch('/api/sync/push', {
    method: 'POST',
    json: { commands: [{ id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik: RESIDENT_NIK, reason: 'baru', channel: 'counter' } }] },
  });
  expect(res.status).toBe(200);
  await act(fo, caseId, 'accept', 1);
  const receipt = ((await (await fo.fetch(`/api/cases/${caseId}/receipt`)).json()) as { receipt: Receipt }).receipt;
  if (upTo !== 'accepted') await act(op, caseId, 'record_input', 2);
  if (upTo === 'ready') await act(op, caseId, 'hand_to_fo', 3, { blankoSerial: `BLK-${crypto.randomUUID().slice(0, 8)}` });
  return { caseId, receipt };
}

const check = (who: SignedIn, qr: string) => who.fetch('/api/ktpel/pickup/check', { method: 'POST', json: { qr } });
const pickup = (who: SignedIn, qr: string, commandId = uuid7()) => who.fetch('/api/ktpel/pickup', { method: 'POST', json: { qr, commandId } });
const problemOf = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { code: string }).code });

describe('the receipt QR', () => {
  it('is the compact signed format in a version ≤ 10 QR, and verifies with the office keys', async () => {
    const { caseId, receipt } = await caseWithReceipt('accepted');
    expect(receipt.qrVersion).toBeLessThanOrEqual(10);
    expect(receipt.checkUrl).toMatch(/\/v\/resi#r=[\w-]+$/);
    const scanned = parseReceiptText(receipt.checkUrl);
    expect(scanned.kind).toBe('compact');
    const verdict = await verifyCompactReceipt((scanned as { bytes: Uint8Array }).bytes, (await officeKeys(env)).jwks.keys);
    expect(verdict).toMatchObject({ status: 'valid', receipt: { number: caseId, officeCode: '63.09', name: 'SITI AMINAH', nikMasked: receipt.nikMasked } });
    expect(receipt.checkUrl).not.toContain(RESIDENT_NIK);
  });
});

describe('pickup by scan', () => {
  it('checks the receipt, hands the card over once, and a retry of the same hand-over is a duplicate', async () => {
    const { caseId, receipt } = await caseWithReceipt('ready');
    const checked = await check(fo, receipt.checkUrl);
    expect(checked.status).toBe(200);
    expect(await checked.json()).toMatchObject({ receipt: { number: caseId, name: 'SITI AMINAH', format: 'compact' }, case: { id: caseId, state: 'ready' } });

    const commandId = uuid7();
    const done = await pickup(fo, receipt.checkUrl, commandId);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ result: { status: 'applied', case: { state: 'collected' } } });
    const again = await pickup(fo, receipt.checkUrl, commandId);
    expect(await again.json()).toMatchObject({ result: { status: 'duplicate' } });
    // The step records how the resident was checked.
    const view = (await (await fo.fetch(`/api/cases/${caseId}`)).json()) as { steps: { action: string; input: Record<string, unknown> }[] };
    expect(view.steps.at(-1)).toMatchObject({ action: 'collect', input: { via: 'receipt_scan' } });
  });

  it('refuses a receipt already collected (reused), on check and on hand-over', async () => {
    const { receipt } = await caseWithReceipt('ready');
    expect((await pickup(fo, receipt.checkUrl)).status).toBe(200);
    expect(await problemOf(await check(fo, receipt.checkUrl))).toEqual({ status: 409, code: 'receipt_already_collected' });
    expect(await problemOf(await pickup(fo, receipt.checkUrl))).toEqual({ status: 409, code: 'receipt_already_collected' });
  });

  it('refuses a forged receipt: a changed byte, another key, or no receipt at all', async () => {
    const { receipt } = await caseWithReceipt('ready');
    const bytes = (parseReceiptText(receipt.checkUrl) as { bytes: Uint8Array }).bytes;
    // Another case number under the same signature (the attacker's goal: collect someone else's card).
    const changed = bytes.slice();
    changed[10] = changed[10]! ^ 0x01;
    const origin = new URL(receipt.checkUrl).origin;
    expect(await problemOf(await pickup(fo, compactReceiptUrl(origin, changed)))).toEqual({ status: 422, code: 'receipt_invalid' });

    // Well formed and signed, but by a key that is not the office's.
    const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const foreignKey = await signCompactReceipt(privateKey, 'test-key-1', origin, {
      number: receipt.number, officeCode: '63.09', nikMasked: receipt.nikMasked, name: 'SITI AMINAH', acceptedAt: receipt.acceptedAt,
    });
    expect(await problemOf(await pickup(fo, foreignKey.url))).toEqual({ status: 422, code: 'receipt_invalid' });

    for (const junk of ['https://example.com/', `${origin}/v/resi#r=${b64u.encode(new Uint8Array([0x52, 1, 1]))}`, `${origin}/v/resi#t=a.b.c`]) {
      expect(await problemOf(await check(fo, junk))).toEqual({ status: 422, code: 'receipt_invalid' });
    }
  });

  it("refuses another office's receipt", async () => {
    const { receipt } = await caseWithReceipt('ready');
    expect(await problemOf(await check(jambiFo, receipt.checkUrl))).toEqual({ status: 403, code: 'receipt_other_office' });
    expect(await problemOf(await pickup(jambiFo, receipt.checkUrl))).toEqual({ status: 403, code: 'receipt_other_office' });
    // Still collectable at its own office.
    expect((await check(fo, receipt.checkUrl)).status).toBe(200);
  });

  it('refuses a receipt whose card is not printed yet, and an expired one', async () => {
    const { receipt } = await caseWithReceipt('printing');
    expect(await problemOf(await pickup(fo, receipt.checkUrl))).toEqual({ status: 409, code: 'card_not_ready' });

    const { signing } = await officeKeys(env);
    const old = await signCompactReceipt(signing.key, signing.kid, new URL(receipt.checkUrl).origin, {
      number: receipt.number, officeCode: '63.09', nikMasked: receipt.nikMasked, name: 'SITI AMINAH',
      acceptedAt: Date.now() - (RECEIPT_TTL_SECONDS + 3600) * 1000,
    });
    expect(await problemOf(await check(fo, old.url))).toEqual({ status: 410, code: 'receipt_expired' });
  });

  it('still takes an older JWT receipt (#t=) until it expires', async () => {
    const { caseId, receipt } = await caseWithReceipt('ready');
    const token = await signToken(env, { typ: RECEIPT_TYP, audience: RECEIPT_AUDIENCE, ttlSeconds: RECEIPT_TTL_SECONDS, subject: caseId }, {
      off: '63.09', offName: 'Disdukcapil Tabalong', nm: 'SITI AMINAH', nik: receipt.nikMasked, acc: receipt.acceptedAt,
    });
    const url = `${new URL(receipt.checkUrl).origin}/v/resi#t=${token}`;
    const checked = await check(fo, url);
    expect(checked.status).toBe(200);
    expect(await checked.json()).toMatchObject({ receipt: { number: caseId, format: 'jwt' } });
    expect(await pickup(fo, url).then((r) => r.json())).toMatchObject({ result: { status: 'applied' } });
  });

  it('is the front office’s: an operator may not hand cards over, nor anyone signed out', async () => {
    const { receipt } = await caseWithReceipt('ready');
    expect(await problemOf(await pickup(op, receipt.checkUrl))).toEqual({ status: 403, code: 'forbidden_role' });
    const { api } = await import('./helpers/auth');
    expect((await api('/api/ktpel/pickup/check', { method: 'POST', json: { qr: receipt.checkUrl } })).status).toBe(401);
  });
});
