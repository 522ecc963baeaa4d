/**
 * Possible duplicates (issue 10): two births of the same mother on the same date with similar child names are
 * flagged on BOTH cases, also when each was made offline on a different partner's device and pushed later; the
 * earlier case's flag reaches office clients through the change feed without turning their queued actions into
 * conflicts.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { submission, seedBirthOffice, PARTNER_A, PARTNER_B } from './birth-kit';
import { createStaff, signIn, type SignedIn } from './helpers/auth';

let clerkA: SignedIn;
let clerkB: SignedIn;
let operator: SignedIn;

type Result = { commandId: string; status: string; case?: { id: string; version: number; data: { flags?: { possibleDuplicates?: string[] } } }; problem?: { code: string } };

async function push(who: SignedIn, commands: unknown[]): Promise<Result[]> {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Result[] }).results;
}

async function duplicatesOf(caseId: string): Promise<string[]> {
  const row = await env.DB.prepare("SELECT json_extract(data_json, '$.flags.possibleDuplicates') AS d FROM cases WHERE id = ?").bind(caseId).first<{ d: string }>();
  return JSON.parse(row!.d) as string[];
}

async function clerkOf(partnerId: string): Promise<SignedIn> {
  const s = await createStaff({ roles: ['partner_operator'] });
  await env.DB.prepare('UPDATE users SET partner_id = ? WHERE id = ?').bind(partnerId, s.id).run();
  return signIn(s.username, s.password);
}

beforeAll(async () => {
  await seedBirthOffice();
  [clerkA, clerkB] = [await clerkOf(PARTNER_A), await clerkOf(PARTNER_B)];
  const op = await createStaff({ roles: ['operator'] });
  operator = await signIn(op.username, op.password);
});

/** A create command as a clerk's device queues it offline (ids made on the device). */
const offlineCreate = (input: ReturnType<typeof submission>) => ({ id: uuid7(), type: 'create' as const, caseId: uuid7(), service: 'birth', input });

describe('possible duplicate flagged on both cases', () => {
  it('two devices, both offline, pushed one after the other: each case names the other; a twin is on neither', async () => {
    const mother = '6309014101000088';
    // Both queued while offline, before either reached the server.
    const fromHospital = offlineCreate(submission({ motherNik: mother, childName: 'Aisyah Putri Ramadhani', daysAgo: 2 }));
    const fromMidwife = offlineCreate(submission({ motherNik: mother, childName: 'Aisah Putri Ramadani', daysAgo: 2 }));
    const twin = offlineCreate(submission({ motherNik: mother, childName: 'Muhammad Fajar', daysAgo: 2 }));

    const { cursor } = (await (await operator.fetch('/api/sync/pull?cursor=0&limit=500')).json()) as { cursor: number };
    const [a] = await push(clerkA, [fromHospital]);
    expect(a!.status).toBe('applied');
    expect(a!.case!.data.flags!.possibleDuplicates).toEqual([]);
    const [b, t] = await push(clerkB, [fromMidwife, twin]);
    expect([b!.status, t!.status]).toEqual(['applied', 'applied']);

    expect(await duplicatesOf(fromMidwife.caseId)).toEqual([fromHospital.caseId]);
    expect(await duplicatesOf(fromHospital.caseId)).toEqual([fromMidwife.caseId]);
    expect(await duplicatesOf(twin.caseId)).toEqual([]);

    // The earlier case comes again in the office's change feed, flagged, at the version the clients know.
    let pulled: { id: string; version: number; data: { flags?: { possibleDuplicates?: string[] } } }[] = [];
    for (let at = cursor, more = true; more; ) {
      const page = (await (await operator.fetch(`/api/sync/pull?cursor=${at}&limit=500`)).json()) as { cursor: number; more: boolean; cases: typeof pulled };
      pulled = [...pulled, ...page.cases];
      [at, more] = [page.cursor, page.more];
    }
    const first = pulled.filter((c) => c.id === fromHospital.caseId).at(-1);
    expect(first).toMatchObject({ version: 1, data: { flags: { possibleDuplicates: [fromMidwife.caseId] } } });

    // An office action queued on the earlier case at version 1 still applies: the flag made no conflict.
    const [ret] = await push(operator, [
      { id: uuid7(), type: 'action', caseId: fromHospital.caseId, action: 'return_incomplete', baseVersion: 1, input: { reasons: [{ requirement: 'kk', reason: 'KK tidak terbaca' }] } },
    ]);
    expect(ret!.status, JSON.stringify(ret!.problem)).toBe('applied');
    expect(await duplicatesOf(fromHospital.caseId)).toEqual([fromMidwife.caseId]);
  });

  it('the same push again and a third similar case: no repeated ids, each earlier case lists every later one', async () => {
    const mother = '6309014101000099';
    const one = offlineCreate(submission({ motherNik: mother, childName: 'Rizky Pratama', daysAgo: 4 }));
    const two = offlineCreate(submission({ motherNik: mother, childName: 'Rizki Pratama', daysAgo: 4 }));
    const three = offlineCreate(submission({ motherNik: mother, childName: 'Risky Pratama', daysAgo: 4 }));
    await push(clerkA, [one]);
    await push(clerkB, [two]);
    // A lost answer: the device pushes the same command again.
    const [again] = await push(clerkB, [two]);
    expect(again!.status).toBe('duplicate');
    await push(clerkA, [three]);
    expect(await duplicatesOf(one.caseId)).toEqual([two.caseId, three.caseId]);
    expect(await duplicatesOf(two.caseId)).toEqual([one.caseId, three.caseId]);
    expect((await duplicatesOf(three.caseId)).sort()).toEqual([one.caseId, two.caseId].sort());
  });
});
