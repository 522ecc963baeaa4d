/** IKM survey and the dashboards against real D1: one answer per invitation, kiosk limits, the exact score, service-time per step. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { localToMs } from '../../schema/service-time';
import { submitResponse } from '../../worker/ikm/service';
import { applyCommand } from '../../worker/engine';
import { act, backdate, complaintIn, ctx, staff, type Staff } from './aduan-kit';
import { api, signIn, testIp, type SignedIn } from './helpers/auth';
import { RESIDENT_NIK, seedMinimalOffice, uuid7 } from './helpers/fixtures';

let handler: Staff;
let kabid: SignedIn;
let fo: SignedIn;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  handler = await staff(['complaint_handler']);
  const k = await staff(['head_of_division']);
  kabid = await signIn(k.username, k.password);
  const f = await staff(['front_office']);
  fo = await signIn(f.username, f.password);
});

const answer = (invitation: string, answers = [4, 4, 3, 4, 3, 3, 4, 3, 4], id = uuid7()) =>
  api('/api/ikm/responses', { method: 'POST', ip: testIp(), json: { id, invitation, answers, profile: { sex: 'P', ageGroup: '30-39' } } });

describe('survey by invitation', () => {
  it('a resolved complaint invites its complainant once, by the tracking code', async () => {
    const c = await complaintIn('resolved', handler);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const dashBefore = (await (await kabid.fetch(`/api/ikm/dashboard?service=aduan&from=${today}&to=${today}`)).json()) as { serviceUsers: number; respondents: number };
    const id = uuid7();
    expect(await (await answer(c.trackingCode, undefined, id)).json()).toEqual({ status: 'recorded' });
    // A resend of the same answer is the same answer.
    expect(await (await answer(c.trackingCode, undefined, id)).json()).toEqual({ status: 'duplicate' });
    const second = await answer(c.trackingCode);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { code: string }).code).toBe('ikm_invitation_used');
    const view = (await (await api('/api/aduan/track', { method: 'POST', json: { code: c.trackingCode }, ip: testIp() })).json()) as { survey: unknown };
    expect(view.survey).toEqual({ open: false, answered: true });
    const row = await env.DB.prepare("SELECT service, source, u1, sex FROM ikm_responses WHERE id = ?").bind(id).first();
    expect(row).toEqual({ service: 'aduan', source: 'invitation', u1: 4, sex: 'P' });
    // The complaint is a user of the complaint-handling service; the sample rule is checked against them.
    const dash = (await (await kabid.fetch(`/api/ikm/dashboard?service=aduan&from=${today}&to=${today}`)).json()) as { serviceUsers: number; respondents: number; sample: { required: number } };
    expect(dash.respondents).toBe(dashBefore.respondents + 1);
    expect(dash.serviceUsers).toBeGreaterThanOrEqual(1);
    expect(dash.sample.required).toBeGreaterThanOrEqual(1);
  });

  it('an open complaint has no invitation yet; unknown codes are refused and guessing is locked out', async () => {
    const c = await complaintIn('follow_up', handler);
    expect((await answer(c.trackingCode)).status).toBe(404);
    const ip = testIp();
    for (let i = 0; i < 20; i++) await api('/api/ikm/responses', { method: 'POST', ip, json: { id: uuid7(), invitation: `guess-${i}-xxxxxxxxxxxxxxxx`, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4] } });
    const locked = await api('/api/ikm/responses', { method: 'POST', ip, json: { id: uuid7(), invitation: 'another-guess-xxxxxxxx', answers: [4, 4, 4, 4, 4, 4, 4, 4, 4] } });
    expect(locked.status).toBe(429);
  });

  it('printed invitations from the counter work once each; answers outside 1–4 are refused', async () => {
    const res = await fo.fetch('/api/ikm/invitations', { method: 'POST', json: { service: 'ktpel', count: 2 } });
    const { codes } = (await res.json()) as { codes: string[] };
    expect(codes).toHaveLength(2);
    expect((await answer(codes[0]!, [5, 4, 4, 4, 4, 4, 4, 4, 4])).status).toBe(422);
    expect((await answer(codes[0]!)).status).toBe(200);
    expect((await answer(codes[0]!)).status).toBe(409);
    expect((await answer(codes[1]!)).status).toBe(200);
    expect((await api('/api/ikm/invitations', { method: 'POST', json: { service: 'ktpel', count: 1 } })).status).toBe(401);
  });
});

describe('kiosk mode', () => {
  it('takes anonymous answers, one per 20 seconds per tablet, and stops when closed', async () => {
    const { token } = (await (await fo.fetch('/api/ikm/kiosks', { method: 'POST', json: { service: 'ikd', label: 'Tablet loket 1' } })).json()) as { token: string };
    const t0 = Date.now();
    const send = (now: number) => submitResponse(env.DB, { id: uuid7(now), kiosk: token, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3] }, now);
    expect(await send(t0)).toMatchObject({ status: 'recorded', service: 'ikd' });
    await expect(send(t0 + 5_000)).rejects.toMatchObject({ code: 'too_many_attempts' });
    expect(await send(t0 + 21_000)).toMatchObject({ status: 'recorded' });
    expect((await fo.fetch('/api/ikm/kiosks/close', { method: 'POST', json: { token } })).status).toBe(200);
    await expect(send(t0 + 60_000)).rejects.toMatchObject({ code: 'ikm_kiosk_invalid' });
  });
});

describe('IKM dashboard', () => {
  it('shows the exact score, the grade, the spreadsheet figure beside it and the sample check', async () => {
    // The worked example of tests/unit/ikm.test.ts, through invitations for the RETAS service.
    const { codes } = (await (await fo.fetch('/api/ikm/invitations', { method: 'POST', json: { service: 'retas', count: 5 } })).json()) as { codes: string[] };
    const responses = [
      [4, 3, 3, 4, 3, 3, 4, 4, 4],
      [3, 3, 4, 4, 3, 4, 4, 4, 4],
      [3, 4, 3, 3, 3, 3, 4, 4, 4],
      [3, 3, 4, 3, 4, 4, 4, 3, 4],
      [3, 3, 3, 4, 3, 3, 4, 4, 4],
    ];
    for (const [i, r] of responses.entries()) expect((await answer(codes[i]!, r)).status).toBe(200);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const dash = (await (await kabid.fetch(`/api/ikm/dashboard?service=retas&from=${today}&to=${today}`)).json()) as Record<string, unknown>;
    expect(dash).toMatchObject({ respondents: 5, score: 88.33, grade: 'A', spreadsheetScore: 88.25, spreadsheetGrade: 'B', serviceUsers: 0, sample: null });
    expect((dash.elements as { average: number }[]).map((e) => e.average)).toEqual([3.2, 3.2, 3.4, 3.6, 3.2, 3.4, 4, 3.8, 4]);
    expect(dash.trend).toEqual([{ month: today.slice(0, 7), respondents: 5, score: 88.33 }]);
    const csv = await (await kabid.fetch(`/api/ikm/export.csv?service=retas&from=${today}&to=${today}`)).text();
    expect(csv.trim().split('\r\n')).toHaveLength(6);
    expect(csv.split('\r\n')[0]).toBe('answered_at,source,u1,u2,u3,u4,u5,u6,u7,u8,u9,sex,age_group,education,occupation');
    expect((await fo.fetch(`/api/ikm/dashboard?service=retas&from=${today}&to=${today}`)).status).toBe(403);
  });
});

describe('service-time dashboard', () => {
  it('per step: count, median, p90 against the standard, overrun share and cases overdue now', async () => {
    const f = await staff(['front_office']);
    const k = await staff(['head_of_division']);
    const kab = await signIn(k.username, k.password);
    const wita = (t: string) => localToMs('Asia/Makassar', t);
    // Two KTP-el cases submitted Monday 16 Nov 2026 at 09:00; accepted after 10 and 20 minutes (standard 15).
    // (The engine stamps the server clock; the test then moves the recorded times to that Monday.)
    for (const [submitted, accepted] of [['2026-11-16T09:00', '2026-11-16T09:10'], ['2026-11-16T09:00', '2026-11-16T09:20']] as const) {
      const id = uuid7();
      const r = await applyCommand(ctx(f.session), { id: uuid7(), type: 'create', caseId: id, service: 'ktpel', input: { nik: RESIDENT_NIK, reason: 'baru', channel: 'counter' } });
      expect(r.status).toBe('applied');
      await act(f.session, id, 'accept', {});
      await backdate(id, { steps: { 1: wita(submitted), 2: wita(accepted) }, createdAt: wita(submitted), stepStartedAt: wita(accepted) });
    }
    // A third one still waits at the counter since that morning: overdue now.
    const waiting = uuid7();
    await applyCommand(ctx(f.session), { id: uuid7(), type: 'create', caseId: waiting, service: 'ktpel', input: { nik: RESIDENT_NIK, reason: 'hilang', channel: 'counter' } });
    await backdate(waiting, { steps: { 1: wita('2026-11-16T09:30') }, createdAt: wita('2026-11-16T09:30'), stepStartedAt: wita('2026-11-16T09:30') });
    const res = await kab.fetch('/api/dashboard/service-time?service=ktpel&from=2026-11-16&to=2026-11-16');
    expect(res.status).toBe(200);
    const report = (await res.json()) as { steps: { state: string; count: number; medianMinutes: number; p90Minutes: number; standardMinutes: number; overrunShare: number; overdueNow: number }[] };
    const submitted = report.steps.find((s) => s.state === 'submitted')!;
    expect(submitted).toMatchObject({ count: 2, medianMinutes: 15, p90Minutes: 20, standardMinutes: 15, overrunShare: 0.5 });
    expect(submitted.overdueNow).toBeGreaterThanOrEqual(1);
    const csv = await (await kab.fetch('/api/dashboard/service-time.csv?service=ktpel&from=2026-11-16&to=2026-11-16')).text();
    expect(csv).toContain('submitted,"Berkas diajukan",2,15,20,15,0.5');
    expect((await fo.fetch('/api/dashboard/service-time?service=ktpel&from=2026-11-16&to=2026-11-16')).status).toBe(403);
    expect((await kab.fetch('/api/dashboard/service-time?service=nope&from=2026-11-16&to=2026-11-16')).status).toBe(404);
  });
});

describe('periods that are not dates', () => {
  // Found by the OpenAPI fuzzer: "7382-61-29" passed a bare YYYY-MM-DD pattern and became NaN, a 500.
  for (const [from, to] of [['7382-61-29', '8084-22-42'], ['2026-02-30', '2026-03-01'], ['2026-13-01', '2026-13-02']]) {
    it(`refuses ${from}..${to} with 422 on the IKM and service-time dashboards`, async () => {
      for (const path of [`/api/ikm/dashboard?service=ktpel&from=${from}&to=${to}`, `/api/ikm/export.csv?service=ktpel&from=${from}&to=${to}`, `/api/dashboard/service-time?service=ktpel&from=${from}&to=${to}`]) {
        const res = await kabid.fetch(path);
        expect(res.status, path).toBe(422);
        expect(((await res.json()) as { code: string }).code).toBe('validation_failed');
      }
    });
  }
});
