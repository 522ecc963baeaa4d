/**
 * Possible duplicates (issue 10): two births of the same mother on the same date with similar child names are
 * flagged on BOTH cases, also when each was made offline on a different partner's device and pushed later; the
 * flag holds when other writers change the earlier case at the same moment; the earlier case's flag reaches office
 * clients through the change feed without turning their queued actions into conflicts; a partner clerk sees only
 * that a duplicate is suspected, never the other case's id or data, while office staff read the links.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import * as bdb from '../../worker/db/birth';
import { applyCommand } from '../../worker/engine';
import { registryFor } from '../../worker/db/registry';
import * as kit from './birth-kit';
import { submission, seedBirthOffice, PARTNER_A, PARTNER_B, signedInClerk } from './birth-kit';
import { createStaff, signIn, type SignedIn } from './helpers/auth';

let clerkA: SignedIn;
let clerkB: SignedIn;
let operator: SignedIn;
let verifier: SignedIn;

type View = { id: string; version: number; data: { flags?: { possibleDuplicate?: boolean; possibleDuplicates?: unknown } } };
type Result = { commandId: string; status: string; case?: View; problem?: { code: string } };

async function push(who: SignedIn, commands: unknown[]): Promise<Result[]> {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Result[] }).results;
}

/** The links as stored, sorted (both directions are rows of their own). */
const linksOf = async (caseId: string) => (await bdb.duplicateLinks(env.DB, caseId)).sort();

async function view(who: SignedIn, caseId: string): Promise<{ view: View; text: string }> {
  const res = await who.fetch(`/api/cases/${caseId}`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { view: JSON.parse(text) as View, text };
}

beforeAll(async () => {
  await seedBirthOffice();
  [clerkA, clerkB] = [await signedInClerk(PARTNER_A), await signedInClerk(PARTNER_B)];
  const op = await createStaff({ roles: ['operator'] });
  operator = await signIn(op.username, op.password);
  const ver = await createStaff({ roles: ['verifier'] });
  verifier = await signIn(ver.username, ver.password);
});

/** A create command as a clerk's device queues it offline (ids made on the device). */
const offlineCreate = (input: ReturnType<typeof submission>) => ({ id: uuid7(), type: 'create' as const, caseId: uuid7(), service: 'birth', input });

describe('possible duplicate flagged on both cases', () => {
  it('two devices, both offline, pushed one after the other: both cases flagged and linked; a twin is on neither', async () => {
    const mother = '6309014101000088';
    // Both queued while offline, before either reached the server.
    const fromHospital = offlineCreate(submission({ motherNik: mother, childName: 'Aisyah Putri Ramadhani', daysAgo: 2 }));
    const fromMidwife = offlineCreate(submission({ motherNik: mother, childName: 'Aisah Putri Ramadani', daysAgo: 2 }));
    const twin = offlineCreate(submission({ motherNik: mother, childName: 'Muhammad Fajar', daysAgo: 2 }));

    const { cursor } = (await (await operator.fetch('/api/sync/pull?cursor=0&limit=500')).json()) as { cursor: number };
    const [a] = await push(clerkA, [fromHospital]);
    expect(a!.status).toBe('applied');
    expect(a!.case!.data.flags!.possibleDuplicate).toBe(false);
    const [b, t] = await push(clerkB, [fromMidwife, twin]);
    expect([b!.status, t!.status]).toEqual(['applied', 'applied']);
    expect(b!.case!.data.flags).toMatchObject({ possibleDuplicate: true });
    expect(b!.case!.data.flags).not.toHaveProperty('possibleDuplicates');

    expect(await linksOf(fromMidwife.caseId)).toEqual([fromHospital.caseId]);
    expect(await linksOf(fromHospital.caseId)).toEqual([fromMidwife.caseId]);
    expect(await linksOf(twin.caseId)).toEqual([]);

    // The earlier case comes again in the office's change feed, flagged, at the version the clients know.
    let pulled: View[] = [];
    for (let at = cursor, more = true; more; ) {
      const page = (await (await operator.fetch(`/api/sync/pull?cursor=${at}&limit=500`)).json()) as { cursor: number; more: boolean; cases: View[] };
      pulled = [...pulled, ...page.cases];
      [at, more] = [page.cursor, page.more];
    }
    const first = pulled.filter((c) => c.id === fromHospital.caseId).at(-1);
    expect(first).toMatchObject({ version: 1, data: { flags: { possibleDuplicate: true } } });

    // An office action queued on the earlier case at version 1 still applies: the flag made no conflict.
    const [ret] = await push(operator, [
      { id: uuid7(), type: 'action', caseId: fromHospital.caseId, action: 'return_incomplete', baseVersion: 1, input: { reasons: [{ requirement: 'kk', reason: 'KK tidak terbaca' }] } },
    ]);
    expect(ret!.status, JSON.stringify(ret!.problem)).toBe('applied');
    expect(ret!.case!.data.flags!.possibleDuplicate).toBe(true);
    expect(await linksOf(fromHospital.caseId)).toEqual([fromMidwife.caseId]);
  });

  it('the same push again and a third similar case: no repeated links, each case is linked to every other', async () => {
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
    expect(await linksOf(one.caseId)).toEqual([two.caseId, three.caseId].sort());
    expect(await linksOf(two.caseId)).toEqual([one.caseId, three.caseId].sort());
    expect(await linksOf(three.caseId)).toEqual([one.caseId, two.caseId].sort());
  });

  it('a resubmit that corrects the child name drops its links, on both sides', async () => {
    const mother = '6309014101000066';
    const one = offlineCreate(submission({ motherNik: mother, childName: 'Dewi Lestari', daysAgo: 3 }));
    const two = offlineCreate(submission({ motherNik: mother, childName: 'Dewi Lestary', daysAgo: 3 }));
    await push(clerkA, [one]);
    await push(clerkB, [two]);
    expect(await linksOf(one.caseId)).toEqual([two.caseId]);
    const [ret] = await push(operator, [{ id: uuid7(), type: 'action', caseId: two.caseId, action: 'return_incomplete', baseVersion: 1, input: { reasons: [{ requirement: 'kk', reason: 'Nama anak salah' }] } }]);
    expect(ret!.status).toBe('applied');
    const child = { ...two.input.child, name: 'Bagus Saputra' };
    const [re] = await push(clerkB, [{ id: uuid7(), type: 'action', caseId: two.caseId, action: 'resubmit', baseVersion: 2, input: { attachments: [], child } }]);
    expect(re!.status, JSON.stringify(re!.problem)).toBe('applied');
    expect(re!.case!.data.flags!.possibleDuplicate).toBe(false);
    expect(await linksOf(one.caseId)).toEqual([]);
    expect(await linksOf(two.caseId)).toEqual([]);
  });
});

describe('the flag under concurrent writers', () => {
  it('a resubmit of the earlier case that read before a similar case arrived and writes after it: the flag holds', async () => {
    const mother = '6309014101000033';
    const a = await kit.submit(kit.clerkA, submission({ motherNik: mother, childName: 'Intan Permata Sari', daysAgo: 2 }));
    expect((await kit.act(kit.operator, a.caseId, 1, 'return_incomplete', { reasons: [{ requirement: 'kk', reason: 'KK buram' }] })).status).toBe('applied');
    // The resubmit's hook has read the case and searched for duplicates (none yet); it waits on the registry.
    let open!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const atGate = new Promise<void>((r) => (reached = r));
    const real = registryFor(env);
    const slowRegistry = { findResident: async (nik: string) => { reached(); await gate; return real.findResident(nik); } };
    const resubmitting = applyCommand({ ...kit.ctx(kit.clerkA), registry: slowRegistry }, { id: uuid7(), type: 'action', caseId: a.caseId, action: 'resubmit', baseVersion: 2, input: { attachments: [] } });
    await atGate;
    // Meanwhile another partner's similar case lands and links itself to the earlier one.
    const b = await kit.submit(kit.clerkB, submission({ motherNik: mother, childName: 'Intan Permata Sary', daysAgo: 2 }));
    expect(b.r.status).toBe('applied');
    expect(await linksOf(a.caseId)).toEqual([b.caseId]);
    open();
    // The resubmit writes the earlier case from what it read before the link: the link is not its to drop.
    const r = await resubmitting;
    expect(r.status, JSON.stringify(r.problem)).toBe('applied');
    expect(await linksOf(a.caseId)).toEqual([b.caseId]);
    expect(await linksOf(b.caseId)).toEqual([a.caseId]);
    expect((await view(operator, a.caseId)).view.data.flags!.possibleDuplicate).toBe(true);
  });

  it('office actions on the earlier cases racing the pushes that find their duplicates: no flag is lost', async () => {
    // Twelve earlier cases of different mothers, each at version 1.
    const earlier = Array.from({ length: 12 }, (_, i) => offlineCreate(submission({ motherNik: `63090141010${String(i).padStart(5, '0')}`, childName: 'Putri Ayu Lestari', daysAgo: 6 })));
    for (const e of earlier) expect((await push(clerkA, [e]))[0]!.status).toBe('applied');
    const later = earlier.map((e) => offlineCreate(submission({ motherNik: e.input.mother.nik, childName: 'Putri Ayu Lestary', daysAgo: 6 })));

    // At the same moment, for every earlier case: two office devices return it (one applies, the other conflicts)
    // and another partner's clerk pushes the similar later case.
    const returnOf = (caseId: string, why: string) => ({ id: uuid7(), type: 'action', caseId, action: 'return_incomplete', baseVersion: 1, input: { reasons: [{ requirement: 'kk', reason: why }] } });
    const outcomes = await Promise.all(
      earlier.flatMap((e, i) => [
        push(operator, [returnOf(e.caseId, 'KK buram')]),
        push(clerkB, [later[i]!]),
        push(operator, [returnOf(e.caseId, 'KK terpotong')]),
      ]),
    );
    const statuses = outcomes.flat().map((r) => r.status);
    expect(statuses.filter((s) => s === 'applied').length).toBe(earlier.length * 2); // one return per case + every later case

    for (const [i, e] of earlier.entries()) {
      expect(await linksOf(e.caseId)).toEqual([later[i]!.caseId]);
      expect(await linksOf(later[i]!.caseId)).toEqual([e.caseId]);
      const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?').bind(e.caseId).first<{ version: number }>();
      expect(row!.version).toBe(2); // the return applied; the flag did not need a version of its own
      expect((await view(operator, e.caseId)).view.data.flags!.possibleDuplicate).toBe(true);
      expect((await view(clerkA, e.caseId)).view.data.flags!.possibleDuplicate).toBe(true);
    }
  });
});

describe('who sees which duplicate', () => {
  it("a clerk sees that a duplicate is suspected, never the other partner's case; office staff see the link", async () => {
    const mother = '6309014101000055';
    const own = offlineCreate(submission({ motherNik: mother, childName: 'Nur Aini Rahmawati', daysAgo: 1 }));
    const theirs = offlineCreate(submission({ motherNik: mother, childName: 'Nuraini Rahmawati', daysAgo: 1 }));
    await push(clerkA, [own]);
    const [t] = await push(clerkB, [theirs]);
    expect(t!.status).toBe('applied');

    // Clerk A: its own case says "suspected", and nothing in its answers names the other partner's case.
    const { view: mine, text } = await view(clerkA, own.caseId);
    expect(mine.data.flags).toMatchObject({ possibleDuplicate: true });
    expect(text).not.toContain(theirs.caseId);
    const list = await (await clerkA.fetch('/api/cases?service=birth&limit=500')).text();
    expect(list).not.toContain(theirs.caseId);
    let pulled = '';
    for (let at = 0, more = true; more; ) {
      const res = await clerkA.fetch(`/api/sync/pull?cursor=${at}&limit=500`);
      const body = await res.text();
      pulled += body;
      const page = JSON.parse(body) as { cursor: number; more: boolean };
      [at, more] = [page.cursor, page.more];
    }
    expect(pulled).toContain(own.caseId);
    expect(pulled).not.toContain(theirs.caseId);
    // The links route is refused to a clerk, for its own case too; the other partner's case is not its to open.
    const refused = await clerkA.fetch(`/api/birth/cases/${own.caseId}/duplicates`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('forbidden_role');
    expect((await clerkA.fetch(`/api/cases/${theirs.caseId}`)).status).toBe(403);
    // Clerk B's answer for the later case names no id of clerk A's either.
    const { view: b, text: bText } = await view(clerkB, theirs.caseId);
    expect(b.data.flags).toMatchObject({ possibleDuplicate: true });
    expect(bText).not.toContain(own.caseId);

    // Office staff: the full link both ways, with the other case's state, child and partner.
    for (const who of [operator, verifier]) {
      const res = await who.fetch(`/api/birth/cases/${own.caseId}/duplicates`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ duplicates: [{ id: theirs.caseId, state: 'submitted', childName: 'Nuraini Rahmawati', partnerName: 'Bidan Aminah', createdAt: expect.any(Number) }] });
    }
    const back = (await (await operator.fetch(`/api/birth/cases/${theirs.caseId}/duplicates`)).json()) as { duplicates: { id: string }[] };
    expect(back.duplicates.map((d) => d.id)).toEqual([own.caseId]);
  });

  it('staff of another office cannot read the links; an unknown case is not found', async () => {
    const mother = '6309014101000044';
    const c = offlineCreate(submission({ motherNik: mother, childName: 'Siti Rahma', daysAgo: 1 }));
    await push(clerkA, [c]);
    const other = await createStaff({ roles: ['operator'], officeCode: '15.71' });
    const outsider = await signIn(other.username, other.password);
    expect((await outsider.fetch(`/api/birth/cases/${c.caseId}/duplicates`)).status).toBe(403);
    const missing = await operator.fetch(`/api/birth/cases/${uuid7()}/duplicates`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('case_not_found');
  });
});
