/** Partner organisations over HTTP with real sessions: the admin keeps partners, clerks and required documents; a clerk sees and acts on its own partner's submissions only. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { createStaff, signIn, STAFF_PASSWORD, type SignedIn } from './helpers/auth';
import { seedBirthOffice, submission } from './birth-kit';

let admin: SignedIn;
let clerkA: SignedIn;
let clerkB: SignedIn;
let operator: SignedIn;
let fo: SignedIn;
let partnerA: string;
let partnerB: string;

async function push(who: SignedIn, commands: unknown[]) {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { status: string; problem?: { code: string }; case?: { id: string; version: number } }[] }).results;
}

beforeAll(async () => {
  await seedBirthOffice();
  admin = await signIn((await createStaff({ roles: ['admin'] })).username, STAFF_PASSWORD);
  const a = await createStaff({ roles: ['partner_operator'] });
  const b = await createStaff({ roles: ['partner_operator'] });
  const mk = async (name: string, kind: string) => {
    const res = await admin.fetch('/api/birth/partners', { method: 'POST', json: { kind, name } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { partner: { id: string } }).partner.id;
  };
  partnerA = await mk('RS Pertamina Tanjung', 'hospital');
  partnerB = await mk("Bidan Ma'rifah", 'midwife');
  for (const [u, p] of [[a, partnerA], [b, partnerB]] as const) {
    expect((await admin.fetch('/api/birth/clerks', { method: 'PUT', json: { userId: u.id, partnerId: p } })).status).toBe(200);
  }
  clerkA = await signIn(a.username, STAFF_PASSWORD);
  clerkB = await signIn(b.username, STAFF_PASSWORD);
  operator = await signIn((await createStaff({ roles: ['operator'] })).username, STAFF_PASSWORD);
  fo = await signIn((await createStaff({ roles: ['front_office'] })).username, STAFF_PASSWORD);
});

describe('partners kept by the office admin', () => {
  it('lists partners with their clerks; other roles may not manage them', async () => {
    const res = await admin.fetch('/api/birth/partners');
    const { partners } = (await res.json()) as { partners: { id: string; clerks: unknown[] }[] };
    expect(partners.find((p) => p.id === partnerA)!.clerks).toHaveLength(1);
    expect((await operator.fetch('/api/birth/partners')).status).toBe(403);
    expect((await clerkA.fetch('/api/birth/partners', { method: 'POST', json: { kind: 'clinic', name: 'Klinik X' } })).status).toBe(403);
    const dup = await admin.fetch('/api/birth/partners', { method: 'POST', json: { kind: 'clinic', name: 'RS Pertamina Tanjung' } });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { code: string }).code).toBe('partner_name_taken');
  });

  it('only partner_operator accounts become clerks', async () => {
    const other = await createStaff({ roles: ['operator'] });
    const res = await admin.fetch('/api/birth/clerks', { method: 'PUT', json: { userId: other.id, partnerId: partnerA } });
    expect(res.status).toBe(422);
  });

  it('the required documents are office data the admin replaces and clerks read', async () => {
    const list = { requirements: [
      { code: 'surat_lahir', label: { id: 'Surat keterangan lahir', en: 'Birth letter' }, required: true },
      { code: 'kk', label: { id: 'Kartu Keluarga', en: 'Family card' }, required: true },
      { code: 'buku_nikah', label: { id: 'Buku nikah atau SPTJM', en: 'Marriage certificate or SPTJM' }, required: true },
      { code: 'saksi', label: { id: 'KTP-el dua saksi', en: "Two witnesses' KTP-el" }, required: false },
    ] };
    expect((await fo.fetch('/api/birth/requirements', { method: 'PUT', json: list })).status).toBe(403);
    expect((await admin.fetch('/api/birth/requirements', { method: 'PUT', json: list })).status).toBe(200);
    const got = (await (await clerkA.fetch('/api/birth/requirements')).json()) as typeof list;
    expect(got.requirements.map((r) => r.code)).toEqual(['surat_lahir', 'kk', 'buku_nikah', 'saksi']);
  });

  it('a deactivated partner submits nothing', async () => {
    const res = await admin.fetch('/api/birth/partners', { method: 'POST', json: { kind: 'clinic', name: 'Klinik Tutup' } });
    const id = ((await res.json()) as { partner: { id: string } }).partner.id;
    const c = await createStaff({ roles: ['partner_operator'] });
    await admin.fetch('/api/birth/clerks', { method: 'PUT', json: { userId: c.id, partnerId: id } });
    expect((await admin.fetch(`/api/birth/partners/${id}`, { method: 'PATCH', json: { active: false } })).status).toBe(200);
    const clerk = await signIn(c.username, STAFF_PASSWORD);
    const [r] = await push(clerk, [{ id: uuid7(), type: 'create', caseId: uuid7(), service: 'birth', input: submission() }]);
    expect(r!.problem?.code).toBe('forbidden_object');
  });
});

describe('partner isolation', () => {
  it("a clerk neither sees nor acts on another partner's submission; the office sees both", async () => {
    const start = async (who: SignedIn) => ((await (await who.fetch('/api/sync/pull?cursor=0&limit=500')).json()) as { cursor: number }).cursor;
    const cursorB = await start(clerkB);
    const cursorOp = await start(operator);
    const caseA = uuid7();
    const [created] = await push(clerkA, [{ id: uuid7(), type: 'create', caseId: caseA, service: 'birth', input: submission({ motherNik: '6309014101000055' }) }]);
    expect(created!.status).toBe('applied');
    const caseB = uuid7();
    await push(clerkB, [{ id: uuid7(), type: 'create', caseId: caseB, service: 'birth', input: submission({ motherNik: '6309014101000056' }) }]);

    // Read: one case, the list, the change feed.
    expect((await clerkB.fetch(`/api/cases/${caseA}`)).status).toBe(403);
    expect((await clerkA.fetch(`/api/cases/${caseA}`)).status).toBe(200);
    const listB = (await (await clerkB.fetch('/api/cases?service=birth')).json()) as { cases: { id: string }[] };
    expect(listB.cases.map((c) => c.id)).toContain(caseB);
    expect(listB.cases.map((c) => c.id)).not.toContain(caseA);
    const pullB = (await (await clerkB.fetch(`/api/sync/pull?cursor=${cursorB}`)).json()) as { cases: { id: string }[] };
    expect(pullB.cases.map((c) => c.id)).toEqual([caseB]);
    const pullOp = (await (await operator.fetch(`/api/sync/pull?cursor=${cursorOp}`)).json()) as { cases: { id: string }[] };
    expect(pullOp.cases.map((c) => c.id).sort()).toEqual([caseA, caseB].sort());

    // Act: the operator returns A's file; B may not resubmit it, A may.
    const [ret] = await push(operator, [{ id: uuid7(), type: 'action', caseId: caseA, action: 'return_incomplete', baseVersion: 1, input: { reasons: [{ requirement: 'kk', reason: 'Buram' }] } }]);
    expect(ret!.status).toBe('applied');
    const [byB] = await push(clerkB, [{ id: uuid7(), type: 'action', caseId: caseA, action: 'resubmit', baseVersion: 2, input: { attachments: [] } }]);
    expect(byB!.status).toBe('rejected');
    expect(byB!.problem?.code).toBe('forbidden_object');
    const [byA] = await push(clerkA, [{ id: uuid7(), type: 'action', caseId: caseA, action: 'resubmit', baseVersion: 2, input: { attachments: [] } }]);
    expect(byA!.status).toBe('applied');
    const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?').bind(caseA).first<{ version: number }>();
    expect(row!.version).toBe(3);
  });

  it('a partner_operator without a partner sees no birth case', async () => {
    const loose = await signIn((await createStaff({ roles: ['partner_operator'] })).username, STAFF_PASSWORD);
    const list = (await (await loose.fetch('/api/cases?service=birth')).json()) as { cases: unknown[] };
    expect(list.cases).toEqual([]);
  });
});
