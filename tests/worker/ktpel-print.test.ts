/** SIAK operator print batches (seed 001 KTP-el steps 3–4): each card marked printed on a blank, or the blank spoiled with its reason; blanks are controlled stock counted per office. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { createStaff, signIn, type SignedIn } from './helpers/auth';
import { OTHER_OFFICE_NIK, RESIDENT_NIK, seedMinimalOffice } from './helpers/fixtures';

let fo: SignedIn;
let op: SignedIn;
let jambiFo: SignedIn;
let jambiOp: SignedIn;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  const staff = await Promise.all([
    createStaff({ roles: ['front_office'] }),
    createStaff({ roles: ['operator'] }),
    createStaff({ roles: ['front_office'], officeCode: '15.71' }),
    createStaff({ roles: ['operator'], officeCode: '15.71' }),
  ]);
  [fo, op, jambiFo, jambiOp] = (await Promise.all(staff.map((s) => signIn(s.username, s.password)))) as [SignedIn, SignedIn, SignedIn, SignedIn];
});

type Result = { commandId: string; status: string; problem?: { code: string; detail?: string }; case?: { version: number; state: string; stepStartedAt: number } };

async function push(who: SignedIn, commands: unknown[]): Promise<Result[]> {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Result[] }).results;
}

/** A case in the print queue (state printing, version 3) of the given office. */
async function inPrintQueue(office: 'tabalong' | 'jambi' = 'tabalong'): Promise<string> {
  const [frontOffice, operator, nik] = office === 'tabalong' ? [fo, op, RESIDENT_NIK] : [jambiFo, jambiOp, OTHER_OFFICE_NIK];
  const caseId = uuid7();
  const made = await push(frontOffice, [
    { id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik, reason: 'baru', channel: 'counter' } },
    { id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} },
  ]);
  expect(made.map((r) => r.status)).toEqual(['applied', 'applied']);
  const queued = await push(operator, [{ id: uuid7(), type: 'action', caseId, action: 'record_input', baseVersion: 2, input: {} }]);
  expect(queued[0]!.status).toBe('applied');
  return caseId;
}

const serial = () => `BLK-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
const printed = (caseId: string, baseVersion: number, blankoSerial: string) => ({ id: uuid7(), type: 'action', caseId, action: 'hand_to_fo', baseVersion, input: { blankoSerial } });
const spoiled = (caseId: string, baseVersion: number, input: Record<string, unknown>) => ({ id: uuid7(), type: 'action', caseId, action: 'spoil_blank', baseVersion, input });

async function stock(who: SignedIn, from?: number) {
  const res = await who.fetch(`/api/ktpel/blanks${from ? `?from=${from}` : ''}`);
  return { status: res.status, body: (await res.json()) as { used: number; spoiled: number; spoiledByReason: Record<string, number>; spoiledBlanks: { serial: string; caseId: string; reason: string; note: string | null }[]; code?: string } };
}

describe('a print batch', () => {
  it('marks each card printed or its blank spoiled in one push, and the office counts the blanks', async () => {
    const since = Date.now() - 1;
    const [a, b, c] = await Promise.all([inPrintQueue(), inPrintQueue(), inPrintQueue()]);
    const [sa, sb1, sb2, sc] = [serial(), serial(), serial(), serial()];
    const results = await push(op, [
      printed(a, 3, sa),
      spoiled(b, 3, { spoiledSerial: sb1, spoilReason: 'chip_failure' }),
      printed(b, 4, sb2),
      spoiled(c, 3, { spoiledSerial: sc, spoilReason: 'other', spoilNote: 'tinta luntur' }),
    ]);
    expect(results.map((r) => [r.status, r.case?.state])).toEqual([
      ['applied', 'ready'],
      ['applied', 'printing'],
      ['applied', 'ready'],
      ['applied', 'printing'],
    ]);
    const { status, body } = await stock(op, since);
    expect(status).toBe(200);
    expect(body).toMatchObject({ used: 2, spoiled: 2, spoiledByReason: { chip_failure: 1, other: 1, misprint: 0 } });
    expect(body.spoiledBlanks.map((s) => [s.serial, s.caseId, s.reason, s.note]).sort()).toEqual(
      [[sb1, b, 'chip_failure', null], [sc, c, 'other', 'tinta luntur']].sort(),
    );
    // Another office's stock is its own.
    const jambi = await stock(jambiOp, since);
    expect(jambi.body).toMatchObject({ used: 0, spoiled: 0 });
  });

  it('keeps the printing step\'s clock running when a blank is spoiled (the same step, not a new one)', async () => {
    const caseId = await inPrintQueue();
    const [queued] = await env.DB.prepare('SELECT step_started_at FROM cases WHERE id = ?').bind(caseId).all<{ step_started_at: number }>().then((r) => r.results);
    await new Promise((r) => setTimeout(r, 20));
    const [spoil] = await push(op, [spoiled(caseId, 3, { spoiledSerial: serial(), spoilReason: 'misprint' })]);
    expect(spoil).toMatchObject({ status: 'applied', case: { state: 'printing', stepStartedAt: queued!.step_started_at } });
    const [done] = await push(op, [printed(caseId, 4, serial())]);
    expect(done!.case).toMatchObject({ state: 'ready' });
    expect(done!.case!.stepStartedAt).toBeGreaterThan(queued!.step_started_at);
  });

  const refusals: [string, (caseId: string, used: string) => unknown, string][] = [
    ['a serial already used for another card', (caseId, used) => printed(caseId, 3, used), 'blank_serial_used'],
    ['the same serial written in lower case', (caseId, used) => printed(caseId, 3, used.toLowerCase()), 'blank_serial_used'],
    ['a used blank reported spoiled', (caseId, used) => spoiled(caseId, 3, { spoiledSerial: used, spoilReason: 'misprint' }), 'blank_serial_used'],
    ['reason "other" without a note', (caseId) => spoiled(caseId, 3, { spoiledSerial: serial(), spoilReason: 'other' }), 'validation_failed'],
    ['an unknown reason', (caseId) => spoiled(caseId, 3, { spoiledSerial: serial(), spoilReason: 'lost' }), 'validation_failed'],
    ['a serial with spaces', (caseId) => printed(caseId, 3, 'BLK 0001'), 'validation_failed'],
  ];
  for (const [what, command, code] of refusals) {
    it(`refuses ${what} (${code}) and records no blank`, async () => {
      const [first, second] = await Promise.all([inPrintQueue(), inPrintQueue()]);
      const used = serial();
      expect((await push(op, [printed(first, 3, used)]))[0]!.status).toBe('applied');
      const before = (await stock(op)).body;
      const [r] = await push(op, [command(second, used)]);
      expect(r).toMatchObject({ status: 'rejected', problem: { code } });
      const after = (await stock(op)).body;
      expect([after.used, after.spoiled]).toEqual([before.used, before.spoiled]);
    });
  }

  it('a serial used twice within one push: the first card gets it, the second is refused', async () => {
    const [a, b] = await Promise.all([inPrintQueue(), inPrintQueue()]);
    const s = serial();
    const results = await push(op, [printed(a, 3, s), printed(b, 3, s)]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect(results[1]!.problem?.code).toBe('blank_serial_used');
  });

  it('two pushes racing for one serial: exactly one card gets it, the other is refused (never a 5xx)', async () => {
    const [a, b] = await Promise.all([inPrintQueue(), inPrintQueue()]);
    const s = serial();
    const [ra, rb] = await Promise.all([push(op, [printed(a, 3, s)]), push(op, [printed(b, 3, s)])]);
    const statuses = [ra[0]!.status, rb[0]!.status].sort();
    expect(statuses).toEqual(['applied', 'rejected']);
    expect([ra[0]!, rb[0]!].find((r) => r.status === 'rejected')?.problem?.code).toBe('blank_serial_used');
  });

  it('the same serial may be used once in each office', async () => {
    const [t, j] = await Promise.all([inPrintQueue('tabalong'), inPrintQueue('jambi')]);
    const s = serial();
    expect((await push(op, [printed(t, 3, s)]))[0]!.status).toBe('applied');
    expect((await push(jambiOp, [printed(j, 3, s)]))[0]!.status).toBe('applied');
  });

  it('only the operator prints and spoils; the stock is for operator and heads, not the front office', async () => {
    const caseId = await inPrintQueue();
    const [r] = await push(fo, [spoiled(caseId, 3, { spoiledSerial: serial(), spoilReason: 'misprint' })]);
    expect(r).toMatchObject({ status: 'rejected', problem: { code: 'forbidden_role' } });
    expect((await stock(fo)).status).toBe(403);
    const head = await createStaff({ roles: ['head_of_office'] });
    expect((await stock(await signIn(head.username, head.password))).status).toBe(200);
  });
});
