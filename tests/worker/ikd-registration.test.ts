/** IKD registration over HTTP with real D1: identity match (no hint), limits, eligibility edge cases, one open case, resumption. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { maskNik } from '../../schema/nik';
import { api, sessionCookieOf, testIp } from './helpers/auth';
import { addResident, KOTA_JAMBI, officeDate, register, registerBody, staff } from './ikd-kit';

async function problem(res: Response) {
  return (await res.json()) as { code: string; detail?: string; reason?: string; reasons?: string[]; case?: { id: string }; retryAfterSeconds?: number };
}

describe('registration', () => {
  it('registers: case "registered", a registration session, no KK number or maiden name kept', async () => {
    const r = await addResident();
    const reg = await register(r, { route: 'video' });
    expect(reg.case).toMatchObject({ service: 'ikd', state: 'registered', officeCode: '63.09', residentNikMasked: maskNik(r.nik) });
    expect(reg.case.data).toEqual({ nik: maskNik(r.nik), email: r.email, phone: r.phone, route: 'video', residentName: r.name });
    expect(reg.cookie).toMatch(/^loket_session=/);

    const session = await env.DB.prepare(`SELECT assurance, subject_id FROM sessions WHERE subject_type = 'resident' AND subject_id = ?`).bind(r.nik).first();
    expect(session).toEqual({ assurance: 'registration', subject_id: r.nik });
    const account = await env.DB.prepare('SELECT status, pin_hash, case_id FROM ikd_accounts WHERE nik = ?').bind(r.nik).first();
    expect(account).toEqual({ status: 'pending', pin_hash: null, case_id: reg.case.id });

    const me = await reg.fetch('/api/ikd/me');
    expect(me.status).toBe(200);
    const body = (await me.json()) as { assurance: string; case: { id: string; currentStep: { state: string; standardMinutes: number | null }; actions: string[] }; events: { kind: string }[] };
    expect(body.assurance).toBe('registration');
    expect(body.case.id).toBe(reg.case.id);
    expect(body.case.currentStep).toMatchObject({ state: 'registered', standardMinutes: null });
    expect(body.case.actions).toEqual(['book_slot']);
    expect(body.events.map((e) => e.kind)).toEqual(['registered']);

    // Nothing anywhere in D1 holds the maiden name or the KK number next to the case.
    const dump = JSON.stringify([
      (await env.DB.prepare('SELECT * FROM cases WHERE id = ?').bind(reg.case.id).all()).results,
      (await env.DB.prepare('SELECT * FROM case_steps WHERE case_id = ?').bind(reg.case.id).all()).results,
      (await env.DB.prepare('SELECT * FROM audit_log').all()).results,
    ]);
    expect(dump).not.toContain(r.maiden);
    expect(dump.toUpperCase()).not.toContain(r.maiden.toUpperCase());
    expect(dump).not.toContain(r.kkNumber);
  });

  it('answers one generic identity_mismatch for a wrong KK number, a wrong maiden name and an unknown NIK; staff see which', async () => {
    const r = await addResident();
    const other = await addResident();
    const wrongKk = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, { kkNumber: other.kkNumber }), ip: testIp() });
    const wrongName = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, { motherMaidenName: 'Bukan Ibu' }), ip: testIp() });
    const unknown = await api('/api/ikd/register', { method: 'POST', json: registerBody({ ...r, nik: '6309010101950999' }), ip: testIp() });
    const bodies = await Promise.all([wrongKk, wrongName, unknown].map(async (res) => ({ status: res.status, ...(await problem(res)) })));
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ status: 422, code: 'identity_mismatch' });
    expect(JSON.stringify(bodies[0])).not.toMatch(/kkNumber|motherMaidenName|differs|residentFound/);

    const op = await staff(['operator']);
    const detail = await op.fetch('/api/ikd/residents/match-attempts', { method: 'POST', json: { nik: r.nik } });
    expect(detail.status).toBe(200);
    const { nikMasked, attempts } = (await detail.json()) as { nikMasked: string; attempts: { matched: boolean; differs: string[]; purpose: string }[] };
    expect(nikMasked).toBe(maskNik(r.nik));
    expect(attempts.map((a) => a.differs).sort()).toEqual([['kkNumber'], ['motherMaidenName']].sort());
    expect(attempts.every((a) => !a.matched && a.purpose === 'register')).toBe(true);

    // The audit log keeps the detail with the NIK masked.
    const audit = (await env.DB.prepare(`SELECT object, detail_json FROM audit_log WHERE action = 'ikd.identity_mismatch'`).all<{ object: string; detail_json: string }>()).results;
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audit)).not.toContain(r.nik);

    // An operator of another office does not see them.
    const jambi = await staff(['operator'], KOTA_JAMBI);
    expect((await problem(await jambi.fetch('/api/ikd/residents/match-attempts', { method: 'POST', json: { nik: r.nik } }))).code).toBe('forbidden_object');
    // Residents never do.
    const reg = await register(other);
    expect((await reg.fetch('/api/ikd/residents/match-attempts', { method: 'POST', json: { nik: other.nik } })).status).toBe(403);
  });

  it('pauses a NIK after 5 mismatches for an hour, capped at 4, and tells the resident to go to the counter (id + en)', async () => {
    const r = await addResident();
    for (let i = 0; i < 4; i++) {
      const res = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, { motherMaidenName: `Salah ${i}` }), ip: testIp() });
      expect(res.status).toBe(422);
    }
    const fifth = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, { motherMaidenName: 'Salah 4' }), ip: testIp() });
    expect(fifth.status).toBe(429);
    const res = await api('/api/ikd/register', { method: 'POST', json: registerBody(r), ip: testIp() });
    expect(res.status).toBe(429);
    const body = await problem(res);
    expect(body.code).toBe('identity_check_locked');
    expect(body.detail).toMatch(/loket Disdukcapil/);
    expect(body.detail).toMatch(/Disdukcapil counter/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(3600);

    // Further mismatches from other addresses double the pause, but never beyond 4 hours.
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await env.DB.prepare('UPDATE throttles SET locked_until = 0 WHERE key = ?').bind(`match:${r.nik}`).run();
      const again = await api('/api/ikd/resume', { method: 'POST', json: { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: 'Masih Salah' }, ip: testIp() });
      expect((await problem(again)).code).toBe('identity_check_locked');
      waits.push(Math.round(Number(again.headers.get('retry-after')) / 3600));
    }
    expect(waits).toEqual([2, 4, 4, 4]);
  });

  it('limits identity checks per IP (20 an hour), matched or not', async () => {
    const ip = testIp();
    const r = await addResident();
    for (let i = 0; i < 20; i++) {
      const res = await api('/api/ikd/resume', { method: 'POST', json: { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.maiden }, ip });
      expect(res.status).toBe(404); // matches, but nothing to resume
    }
    const res = await api('/api/ikd/resume', { method: 'POST', json: { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.maiden }, ip });
    expect(res.status).toBe(429);
  });

  it('refuses a malformed NIK with its reason, before any lookup', async () => {
    const r = await addResident();
    const res = await api('/api/ikd/register', { method: 'POST', json: registerBody({ ...r, nik: '6309013201950001' }), ip: testIp() });
    expect(res.status).toBe(422);
    expect(await problem(res)).toMatchObject({ code: 'invalid_nik', reason: 'invalid_date' });
  });

  it('refuses unknown fields and a bad phone number (422 validation_failed)', async () => {
    const r = await addResident();
    for (const extra of [{ extra: 1 }, { phone: '12345' }, { route: 'post' }]) {
      const res = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, extra), ip: testIp() });
      expect((await problem(res)).code).toBe('validation_failed');
    }
  });
});

describe('eligibility (seed 003), judged on the office’s date', () => {
  it('turns 17 today: registers', async () => {
    const r = await addResident({ birthDate: officeDate('63.09', 17) });
    await register(r);
  });

  it('turns 17 tomorrow: 403 not_eligible, reason under_17', async () => {
    const today = officeDate('63.09', 17);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const r = await addResident({ birthDate: tomorrow });
    const res = await api('/api/ikd/register', { method: 'POST', json: registerBody(r), ip: testIp() });
    expect(res.status).toBe(403);
    expect(await problem(res)).toMatchObject({ code: 'not_eligible', reason: 'under_17', reasons: ['under_17'] });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM cases WHERE resident_nik = ?').bind(r.nik).first())!.n).toBe(0);
  });

  it('married at 16: registers', async () => {
    const r = await addResident({ birthDate: officeDate('63.09', 16), marital: 'KAWIN' });
    await register(r);
  });

  it('e-KTP not recorded: 403 not_eligible, reason ektp_not_recorded', async () => {
    const r = await addResident({ ektp: false });
    const res = await api('/api/ikd/register', { method: 'POST', json: registerBody(r), ip: testIp() });
    expect(res.status).toBe(403);
    expect(await problem(res)).toMatchObject({ code: 'not_eligible', reason: 'ektp_not_recorded' });
  });

  it('the eligibility reason is told only after the identity matched', async () => {
    const r = await addResident({ ektp: false });
    const res = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, { motherMaidenName: 'Salah' }), ip: testIp() });
    expect((await problem(res)).code).toBe('identity_mismatch');
  });
});

describe('one open application per resident', () => {
  it('a second registration answers 409 ikd_case_open with the existing case', async () => {
    const r = await addResident();
    const first = await register(r);
    const again = await api('/api/ikd/register', { method: 'POST', json: registerBody(r), ip: testIp() });
    expect(again.status).toBe(409);
    const body = await problem(again);
    expect(body.code).toBe('ikd_case_open');
    expect(body.case?.id).toBe(first.case.id);
    expect(sessionCookieOf(again)).toBeNull();
    expect((await env.DB.prepare(`SELECT count(*) AS n FROM cases WHERE service = 'ikd' AND resident_nik = ?`).bind(r.nik).first())!.n).toBe(1);
  });

  it('a retried registration (same caseId and commandId) answers the first case', async () => {
    const r = await addResident();
    const ids = { caseId: uuid7(), commandId: uuid7() };
    const first = await register(r, ids);
    const retry = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, ids), ip: testIp() });
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { case: { id: string } }).case.id).toBe(first.case.id);
  });

  it('two racing registrations leave one case', async () => {
    const r = await addResident();
    const [a, b] = await Promise.all([0, 1].map(() => api('/api/ikd/register', { method: 'POST', json: registerBody(r), ip: testIp() })));
    expect([a!.status, b!.status].sort()).toEqual([201, 409]);
    expect((await env.DB.prepare(`SELECT count(*) AS n FROM cases WHERE service = 'ikd' AND resident_nik = ?`).bind(r.nik).first())!.n).toBe(1);
  });

  it('the unique index itself refuses a second open IKD case', async () => {
    const r = await addResident();
    const reg = await register(r);
    const row = await env.DB.prepare('SELECT * FROM cases WHERE id = ?').bind(reg.case.id).first<Record<string, unknown>>();
    await expect(
      env.DB.prepare(`INSERT INTO cases (id, service, office_code, state, version, resident_nik, data_json, step_started_at, created_by, created_at, updated_at, last_command_id)
        VALUES (?, 'ikd', '63.09', 'registered', 1, ?, '{}', 0, 'x', 0, 0, 'x')`).bind(uuid7(), row!.resident_nik).run(),
    ).rejects.toThrow(/UNIQUE/);
  });
});

describe('resumption', () => {
  it('gives a new registration session for an application before activation', async () => {
    const r = await addResident();
    const reg = await register(r);
    const res = await api('/api/ikd/resume', { method: 'POST', json: { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.maiden }, ip: testIp() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { case: { id: string }; assurance: string };
    expect(body).toMatchObject({ case: { id: reg.case.id }, assurance: 'registration' });
    const cookie = sessionCookieOf(res)!;
    expect((await api('/api/ikd/me', { cookie })).status).toBe(200);
  });

  it('answers a wrong maiden name with identity_mismatch', async () => {
    const r = await addResident();
    await register(r);
    const res = await api('/api/ikd/resume', { method: 'POST', json: { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: 'Salah' }, ip: testIp() });
    expect((await problem(res)).code).toBe('identity_mismatch');
  });
});
