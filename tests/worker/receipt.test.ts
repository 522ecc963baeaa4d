/** The KTP-el receipt: only after the front office accepted, only for staff who may see the case, signed by the office. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { RECEIPT_CHECK_PATH, type Receipt } from '../../schema/receipt';
import { parseReceiptText, verifyCompactReceipt } from '../../schema/receipt-qr';
import { officeKeys } from '../../worker/keys';
import { createStaff, signIn, type SignedIn } from './helpers/auth';
import { RESIDENT_NIK, seedMinimalOffice } from './helpers/fixtures';

let fo: SignedIn;
let jambiFo: SignedIn;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  const [a, b] = await Promise.all([createStaff({ roles: ['front_office'] }), createStaff({ roles: ['front_office'], officeCode: '15.71' })]);
  [fo, jambiFo] = await Promise.all([signIn(a.username, a.password), signIn(b.username, b.password)]);
});

async function push(commands: unknown[]) {
  const res = await fo.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  expect(res.status).toBe(200);
  const { results } = (await res.json()) as { results: { status: string }[] };
  expect(results.map((r) => r.status)).toEqual(commands.map(() => 'applied'));
}

async function submitted(): Promise<string> {
  const caseId = uuid7();
  await push([{ id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik: RESIDENT_NIK, reason: 'baru', channel: 'counter' } }]);
  return caseId;
}

const receiptOf = (who: SignedIn, caseId: string) => who.fetch(`/api/cases/${caseId}/receipt`);
const code = async (res: Response) => ((await res.json()) as { code: string }).code;

describe('KTP-el receipt', () => {
  it('is not there before the front office accepts the application', async () => {
    const caseId = await submitted();
    const res = await receiptOf(fo, caseId);
    expect(res.status).toBe(409);
    expect(await code(res)).toBe('receipt_not_ready');
  });

  it('after accept: the applicant by name and masked NIK, and a check link whose token the office key verifies', async () => {
    const caseId = await submitted();
    await push([{ id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} }]);
    const res = await receiptOf(fo, caseId);
    expect(res.status).toBe(200);
    const { receipt } = (await res.json()) as { receipt: Receipt };
    expect(receipt).toMatchObject({ number: caseId, officeCode: '63.09', name: 'SITI AMINAH', nikMasked: expect.stringMatching(/^6309•+0001$/) });
    expect(JSON.stringify(receipt)).not.toContain(RESIDENT_NIK);

    const url = new URL(receipt.checkUrl);
    expect(url.pathname).toBe(RECEIPT_CHECK_PATH);
    expect(receipt.qrVersion).toBeLessThanOrEqual(10);
    const scanned = parseReceiptText(receipt.checkUrl);
    if (scanned.kind !== 'compact') throw new Error(`expected a compact receipt, got ${scanned.kind}`);
    const verdict = await verifyCompactReceipt(scanned.bytes, (await officeKeys(env)).jwks.keys);
    expect(verdict).toMatchObject({ status: 'valid', receipt: { number: caseId, officeCode: '63.09', name: 'SITI AMINAH', nikMasked: receipt.nikMasked } });
    // Signed to the second; the receipt says when the application was accepted.
    if (verdict.status === 'valid') expect(Math.abs(verdict.receipt.acceptedAt - receipt.acceptedAt)).toBeLessThan(1000);
    // Another key's signature does not pass.
    expect(await verifyCompactReceipt(scanned.bytes, [])).toEqual({ status: 'unknown_key' });
  });

  it('is refused to staff of another office and to nobody signed in', async () => {
    const caseId = await submitted();
    await push([{ id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} }]);
    const other = await receiptOf(jambiFo, caseId);
    expect(other.status).toBe(403);
    const { api } = await import('./helpers/auth');
    expect((await api(`/api/cases/${caseId}/receipt`)).status).toBe(401);
    expect((await receiptOf(fo, uuid7())).status).toBe(404);
  });
});
