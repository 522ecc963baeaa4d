/** Complaints against real D1: the SOP table row by row, the stages, confidentiality, tracking codes, limits and escaping. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { aduan } from '../../schema/workflows/aduan';
import { newTrackingCode, trackingHash } from '../../schema/aduan/tracking';
import { localToMs, msToLocal } from '../../schema/service-time';
import { exportCsv, inbox, complaintDetail } from '../../worker/aduan/service';
import { act, attempt, backdate, baseInput, complaintIn, filePublic, inputFor, PATHS, staff, type Staff } from './aduan-kit';
import { api, signIn, testIp, TABALONG } from './helpers/auth';
import { seedMinimalOffice, uuid7 } from './helpers/fixtures';

let handler: Staff;
let other: Staff;
let kabid: Staff;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  handler = await staff(['complaint_handler']);
  other = await staff(['complaint_handler']);
  kabid = await staff(['head_of_division']);
});

describe('the SOP table, row by row', () => {
  const actions = Object.entries(aduan.actions).filter(([, a]) => a.from !== null);
  it.each(actions.map(([name, a]) => [name, a.from![0]!, a.to] as const))('%s from %s → %s', async (action, from, to) => {
    const c = await complaintIn(from, handler);
    const input = action === 'merge' ? { intoTicket: (await filePublic()).ticketNo }
      // A hand-over goes to someone else (the same handler again is refused).
      : action.startsWith('reassign_') ? { assigneeId: other.id, reassignReason: 'Dialihkan karena cuti' }
      : inputFor(action, handler.id);
    await act(handler.session, c.caseId, action, input);
    const row = await env.DB.prepare('SELECT state FROM cases WHERE id = ?').bind(c.caseId).first<{ state: string }>();
    expect(row!.state).toBe(to);
  });

  const refused = actions.map(([name, a]) => [name, Object.keys(PATHS).find((s) => !a.from!.includes(s as never))!] as const);
  it.each(refused)('%s is refused from %s', async (action, state) => {
    const c = await complaintIn(state, handler);
    const r = await attempt(handler.session, c.caseId, action, inputFor(action, handler.id));
    expect(r.status).toBe('rejected');
    expect(r.problem!.code).toBe('illegal_action');
  });

  it('a front-office clerk may not verify', async () => {
    const fo = await staff(['front_office']);
    const c = await filePublic();
    const r = await attempt(fo.session, c.caseId, 'verify', inputFor('verify', ''));
    expect(r.problem!.code).toBe('forbidden_role');
  });
});

describe('the four stages', () => {
  it('run in order, each with a note; skipping needs a reason', async () => {
    const c = await complaintIn('onsite_check', handler);
    const noReason = await attempt(handler.session, c.caseId, 'skip_onsite_check', {});
    expect(noReason.problem!.code).toBe('validation_failed');
    // External coordination cannot come before internal coordination.
    expect((await attempt(handler.session, c.caseId, 'finish_external_coordination', { note: 'x dicatat' })).problem!.code).toBe('illegal_action');
    await act(handler.session, c.caseId, 'skip_onsite_check', { skipReason: 'Tidak perlu ke lapangan' });
    await act(handler.session, c.caseId, 'finish_internal_coordination', { note: 'Dibahas dengan bidang PIAK' });
    await act(handler.session, c.caseId, 'finish_external_coordination', { note: 'Dikoordinasikan dengan kecamatan' });
    await act(handler.session, c.caseId, 'resolve', { resolution: 'KTP-el sudah diserahkan kepada pelapor.' });
    const steps = await env.DB.prepare('SELECT action, input_json FROM case_steps WHERE case_id = ? ORDER BY version').bind(c.caseId).all<{ action: string; input_json: string }>();
    expect(steps.results.map((s) => s.action)).toEqual([
      'submit', 'verify', 'assign', 'skip_onsite_check', 'finish_internal_coordination', 'finish_external_coordination', 'resolve',
    ]);
    expect(JSON.parse(steps.results[3]!.input_json)).toEqual({ skipReason: 'Tidak perlu ke lapangan' });
  });

  it('only the assigned handler (or the head of division) works a stage', async () => {
    const c = await complaintIn('onsite_check', handler);
    const r = await attempt(other.session, c.caseId, 'finish_onsite_check', { note: 'bukan saya' });
    expect(r.problem!.code).toBe('aduan_not_assignee');
    await act(kabid.session, c.caseId, 'finish_onsite_check', { note: 'Kabid mengambil alih' });
  });

  it('assigning someone who is not a complaint handler of this office is refused', async () => {
    const c = await complaintIn('verified', handler);
    const fo = await staff(['front_office']);
    expect((await attempt(handler.session, c.caseId, 'assign', { assigneeId: fo.id })).problem!.code).toBe('aduan_assignee_invalid');
    const jambi = await staff(['complaint_handler'], '15.71');
    expect((await attempt(handler.session, c.caseId, 'assign', { assigneeId: jambi.id })).problem!.code).toBe('aduan_assignee_invalid');
  });

  it('postponing needs a reason and a date after today', async () => {
    const c = await filePublic();
    expect((await attempt(handler.session, c.caseId, 'postpone', { postponeReason: 'Menunggu', postponeUntil: '2020-01-01' })).problem!.code).toBe('validation_failed');
    expect((await attempt(handler.session, c.caseId, 'postpone', { postponeUntil: '2099-01-01' })).problem!.code).toBe('validation_failed');
  });

  it('a stage change tells the complainant by the channel they used', async () => {
    const c = await complaintIn('verified', handler, { email: 'pelapor@example.test', name: 'Rina' });
    await act(handler.session, c.caseId, 'assign', { assigneeId: handler.id });
    const rows = await env.DB.prepare("SELECT channel, recipient, body FROM notifications WHERE case_id = ? ORDER BY created_at").bind(c.caseId).all<{ channel: string; recipient: string; body: string }>();
    expect(rows.results.map((r) => r.channel)).toEqual(['email', 'email', 'email']); // filed, verified, assigned
    expect(rows.results.at(-1)!.body).toContain(c.ticketNo);
    expect(rows.results.at(-1)!.body).toContain('cek di tempat');
  });
});

describe('merging duplicates', () => {
  it('the complainants of merged tickets all get the answer', async () => {
    const a = await complaintIn('verified', handler, { email: 'a@example.test' });
    const b = await filePublic({ phone: '081211112222' });
    await act(handler.session, b.caseId, 'merge', { intoTicket: a.ticketNo });
    expect((await attempt(handler.session, a.caseId, 'merge', { intoTicket: a.ticketNo })).problem!.code).toBe('aduan_merge_target');
    for (const action of ['assign', 'finish_onsite_check', 'finish_internal_coordination', 'finish_external_coordination', 'resolve']) {
      await act(handler.session, a.caseId, action, inputFor(action, handler.id));
    }
    const toB = await env.DB.prepare("SELECT channel, recipient, body FROM notifications WHERE case_id = ? AND body LIKE '%selesai%'").bind(b.caseId).first<{ channel: string; recipient: string; body: string }>();
    expect(toB).toMatchObject({ channel: 'whatsapp', recipient: '081211112222' });
    expect(toB!.body).toContain(b.ticketNo);
    // B's tracking page follows A.
    const res = await api('/api/aduan/track', { method: 'POST', json: { code: b.trackingCode }, ip: testIp() });
    const view = (await res.json()) as { state: string; mergedInto: string; resolution: string };
    expect(view).toMatchObject({ state: 'resolved', mergedInto: a.ticketNo });
    expect(view.resolution).toContain('KTP-el sudah dicetak');
  });
});

describe('confidential and anonymous complaints', () => {
  it('a confidential identity is shown to the assigned handler only, never in the case, steps, audit, export or feed', async () => {
    const c = await complaintIn('verified', handler, { privacy: 'rahasia', name: 'Nama Rahasia Sekali', phone: '081299998888' });
    // Before assignment nobody sees it, not even the handler who verified.
    expect((await complaintDetail(env.DB, handler.session, c.caseId)).identity).toEqual({ status: 'hidden' });
    await act(handler.session, c.caseId, 'assign', { assigneeId: handler.id });
    expect((await complaintDetail(env.DB, handler.session, c.caseId)).identity).toMatchObject({ status: 'shown', name: 'Nama Rahasia Sekali', phone: '081299998888' });
    expect((await complaintDetail(env.DB, other.session, c.caseId)).identity).toEqual({ status: 'hidden' });
    expect((await complaintDetail(env.DB, kabid.session, c.caseId)).identity).toEqual({ status: 'hidden' });

    for (const [table, where] of [['cases', 'id'], ['case_steps', 'case_id']] as const) {
      const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table} WHERE ${where} = ?`).bind(c.caseId).all()).results);
      expect(dump).not.toContain('Nama Rahasia');
      expect(dump).not.toContain('081299998888');
    }
    const audit = JSON.stringify((await env.DB.prepare('SELECT detail_json FROM audit_log WHERE object = ?').bind(`case:${c.caseId}`).all()).results);
    expect(audit).not.toContain('Nama Rahasia');
    expect(audit).not.toContain('081299998888');
    const csv = await exportCsv(env.DB, kabid.session);
    expect(csv).toContain(c.ticketNo);
    expect(csv).not.toContain('Nama Rahasia');
    expect(csv).not.toContain('081299998888');

    // Through HTTP as the other handler: detail and the sync feed carry no identity.
    const as = await signIn(other.username, other.password);
    const detail = await (await as.fetch(`/api/aduan/cases/${c.caseId}`)).text();
    expect(detail).not.toContain('Nama Rahasia');
    const pull = await (await as.fetch('/api/sync/pull?limit=500')).text();
    expect(pull).toContain(c.caseId);
    expect(pull).not.toContain('Nama Rahasia');
  });

  it('an anonymous complaint keeps no identity and refuses one', async () => {
    const c = await filePublic({ privacy: 'anonim' });
    expect(await env.DB.prepare('SELECT 1 FROM complaint_contacts WHERE case_id = ?').bind(c.caseId).first()).toBeNull();
    await expect(filePublic({ privacy: 'anonim', name: 'Budi' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await complaintDetail(env.DB, handler.session, c.caseId)).identity).toEqual({ status: 'anonymous' });
  });
});

describe('public filing and tracking', () => {
  async function submit(input: Record<string, unknown>, ip = testIp()) {
    return api('/api/aduan/public', { method: 'POST', ip, json: { office: TABALONG, commandId: uuid7(), caseId: uuid7(), input } });
  }

  it('files without an account, answers with a ticket, and the code alone shows the status', async () => {
    const code = newTrackingCode();
    const res = await submit({ ...baseInput, privacy: 'biasa', trackingCode: code, email: 'warga1@example.test' });
    expect(res.status).toBe(200);
    const filed = (await res.json()) as { ticketNo: string; caseId: string };
    expect(filed.ticketNo).toMatch(/^ADU-6309-\d{4}-\d{6}$/);
    const track = await api('/api/aduan/track', { method: 'POST', json: { code }, ip: testIp() });
    expect(track.status).toBe(200);
    expect(await track.json()).toMatchObject({ ticketNo: filed.ticketNo, state: 'received', status: { id: 'Diterima, menunggu verifikasi' } });
    // Only the hash is stored; the code is nowhere in the case, the steps, the command log or the audit log.
    const stored = await env.DB.prepare('SELECT tracking_hash FROM complaints WHERE case_id = ?').bind(filed.caseId).first<{ tracking_hash: string }>();
    expect(stored!.tracking_hash).toBe(await trackingHash(code));
    for (const sql of ['SELECT data_json AS v FROM cases', 'SELECT input_json AS v FROM case_steps', 'SELECT result_json AS v FROM commands', 'SELECT detail_json AS v FROM audit_log']) {
      const all = JSON.stringify((await env.DB.prepare(sql).all()).results);
      expect(all).not.toContain(code);
    }
    // The first reply carries the link with the code, and is scrubbed after sending.
    const reply = await env.DB.prepare('SELECT body, scrub_after_send FROM notifications WHERE case_id = ?').bind(filed.caseId).first<{ body: string; scrub_after_send: number }>();
    expect(reply!.body).toContain(`/aduan/lacak#kode=${code}`);
    expect(reply!.scrub_after_send).toBe(1);
  });

  it('a resend of the same command files once', async () => {
    const code = newTrackingCode();
    const body = { office: TABALONG, commandId: uuid7(), caseId: uuid7(), input: { ...baseInput, privacy: 'anonim', trackingCode: code } };
    const ip = testIp();
    const first = (await (await api('/api/aduan/public', { method: 'POST', json: body, ip })).json()) as { ticketNo: string };
    const again = await api('/api/aduan/public', { method: 'POST', json: body, ip });
    expect(await again.json()).toMatchObject({ ticketNo: first.ticketNo, status: 'duplicate' });
    // Someone else replaying the command id with another code learns nothing.
    const stolen = await api('/api/aduan/public', { method: 'POST', json: { ...body, input: { ...body.input, trackingCode: newTrackingCode() } }, ip });
    expect(stolen.status).toBe(403);
  });

  it('codes are not enumerable: one answer for unknown and malformed, and guessing gets locked out', async () => {
    const ip = testIp();
    const { trackingCode } = await filePublic();
    const unknown = await api('/api/aduan/track', { method: 'POST', json: { code: newTrackingCode() }, ip });
    const malformed = await api('/api/aduan/track', { method: 'POST', json: { code: 'abc' }, ip });
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(await unknown.json()).toEqual(await malformed.json());
    for (let i = 0; i < 18; i++) await api('/api/aduan/track', { method: 'POST', json: { code: newTrackingCode() }, ip });
    // The 20th miss locked this address: even a right code is not looked up now.
    const locked = await api('/api/aduan/track', { method: 'POST', json: { code: trackingCode }, ip });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another address is unaffected.
    expect((await api('/api/aduan/track', { method: 'POST', json: { code: trackingCode }, ip: testIp() })).status).toBe(200);
  });

  it('filing is limited per address', async () => {
    const ip = testIp();
    for (let i = 0; i < 10; i++) expect((await submit({ ...baseInput, privacy: 'anonim', trackingCode: newTrackingCode() }, ip)).status).toBe(200);
    const over = await submit({ ...baseInput, privacy: 'anonim', trackingCode: newTrackingCode() }, ip);
    expect(over.status).toBe(429);
  });

  it('a 1 MB description is refused by the body limit, one over 10,000 characters by the contract', async () => {
    const huge = await submit({ ...baseInput, privacy: 'anonim', trackingCode: newTrackingCode(), description: 'a'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('body_too_large');
    const long = await submit({ ...baseInput, privacy: 'anonim', trackingCode: newTrackingCode(), description: 'a'.repeat(10_001) });
    expect(long.status).toBe(422);
    expect(((await long.json()) as { detail: string }).detail).toContain('10000');
    const max = await submit({ ...baseInput, privacy: 'anonim', trackingCode: newTrackingCode(), description: 'a'.repeat(10_000) });
    expect(max.status).toBe(200);
  });

  it('a <script> tag is stored as typed and comes back as JSON text, never as markup', async () => {
    const code = newTrackingCode();
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"';
    expect((await submit({ ...baseInput, privacy: 'anonim', trackingCode: code, description: evil, title: '<b>judul</b>' })).status).toBe(200);
    const res = await api('/api/aduan/track', { method: 'POST', json: { code }, ip: testIp() });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const view = (await res.json()) as { description: string; title: string };
    expect(view.description).toBe(evil);
    expect(view.title).toBe('<b>judul</b>');
  });

  it('the complainant reopens within the office period, not after', async () => {
    const c = await complaintIn('resolved', handler);
    const view = (await (await api('/api/aduan/track', { method: 'POST', json: { code: c.trackingCode }, ip: testIp() })).json()) as { canReopen: boolean; survey: unknown };
    expect(view).toMatchObject({ canReopen: true, survey: { open: true, answered: false } });
    const ok = await api('/api/aduan/track/reopen', { method: 'POST', ip: testIp(), json: { code: c.trackingCode, commandId: uuid7(), reopenReason: 'Belum saya terima' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ state: 'follow_up' });
    await act(handler.session, c.caseId, 'resolve', inputFor('resolve', handler.id));
    await env.DB.prepare('UPDATE complaints SET reopen_until = ? WHERE case_id = ?').bind(Date.now() - 1000, c.caseId).run();
    const late = await api('/api/aduan/track/reopen', { method: 'POST', ip: testIp(), json: { code: c.trackingCode, commandId: uuid7(), reopenReason: 'Masih belum' } });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { code: string }).code).toBe('aduan_reopen_closed');
  });
});

describe('SLA clocks and the inbox', () => {
  it('verification is due 3 working days later, across a weekend and a holiday', async () => {
    await env.DB.prepare('UPDATE offices SET holidays_json = ? WHERE code = ?').bind(JSON.stringify([{ date: '2026-12-24' }, { date: '2026-12-25' }]), TABALONG).run();
    // Wednesday 23 Dec 2026, 10:00 WITA; Thursday and Friday are holidays, then the weekend.
    const received = localToMs('Asia/Makassar', '2026-12-23T10:00');
    const c = await filePublic();
    await backdate(c.caseId, { stepStartedAt: received, receivedAt: received });
    const items = await inbox(env.DB, handler.session, { filter: 'new' }, received + 60_000);
    const item = items.find((i) => i.caseId === c.caseId)!;
    expect(msToLocal('Asia/Makassar', item.dueAt!)).toBe('2026-12-30T16:00');
    expect(item.overdue).toBe(false);
    const later = await inbox(env.DB, handler.session, { filter: 'overdue' }, localToMs('Asia/Makassar', '2026-12-30T16:01'));
    expect(later.map((i) => i.caseId)).toContain(c.caseId);
    // After routing, the follow-up clock is 5 working days from the assignment.
    const monday = localToMs('Asia/Makassar', '2026-12-28T09:00');
    await act(handler.session, c.caseId, 'verify', inputFor('verify', ''));
    await act(handler.session, c.caseId, 'assign', { assigneeId: handler.id });
    await backdate(c.caseId, { routedAt: monday + 60_000 });
    const mine = await inbox(env.DB, handler.session, { filter: 'mine' }, monday + 120_000);
    // Mon 28 Dec + 5 working days: Tue 29, Wed 30, Thu 31, Fri 1 Jan (2027, no holiday list yet), Mon 4 Jan.
    expect(msToLocal('Asia/Makassar', mine.find((i) => i.caseId === c.caseId)!.dueAt!)).toBe('2027-01-04T16:00');
    await env.DB.prepare("UPDATE offices SET holidays_json = '[]' WHERE code = ?").bind(TABALONG).run();
  });

  it('filters by service, channel and search; other offices see nothing', async () => {
    const c = await filePublic({ subjectService: 'ikd', title: 'Aktivasi IKD gagal terus' });
    const byService = await inbox(env.DB, handler.session, { filter: 'all', service: 'ikd' });
    expect(byService.every((i) => i.subjectService === 'ikd')).toBe(true);
    expect(byService.map((i) => i.caseId)).toContain(c.caseId);
    expect((await inbox(env.DB, handler.session, { filter: 'all', q: 'Aktivasi IKD gagal' })).map((i) => i.caseId)).toContain(c.caseId);
    expect((await inbox(env.DB, handler.session, { filter: 'all', channel: 'email' })).map((i) => i.caseId)).not.toContain(c.caseId);
    const jambi = await staff(['complaint_handler'], '15.71');
    expect((await inbox(env.DB, jambi.session, { filter: 'all' })).map((i) => i.caseId)).not.toContain(c.caseId);
    await expect(complaintDetail(env.DB, jambi.session, c.caseId)).rejects.toMatchObject({ code: 'forbidden_object' });
  });

  it('the inbox needs a handler role', async () => {
    const fo = await staff(['front_office']);
    const as = await signIn(fo.username, fo.password);
    expect((await as.fetch('/api/aduan/inbox')).status).toBe(403);
    expect((await api('/api/aduan/inbox')).status).toBe(401);
  });

  it('a complaint about a case number links to that case with its steps and overruns', async () => {
    const fo = await staff(['front_office']);
    const { applyCommand } = await import('../../worker/engine');
    const { ctx } = await import('./aduan-kit');
    const { RESIDENT_NIK } = await import('./helpers/fixtures');
    const ktpelId = uuid7();
    const created = await applyCommand(ctx(fo.session), { id: uuid7(), type: 'create', caseId: ktpelId, service: 'ktpel', input: { nik: RESIDENT_NIK, reason: 'baru', channel: 'counter' } });
    expect(created.status).toBe('applied');
    await act(fo.session, ktpelId, 'accept', {});
    const c = await filePublic({ caseRef: ktpelId });
    const detail = await complaintDetail(env.DB, handler.session, c.caseId);
    expect(detail.relatedCase).toMatchObject({ id: ktpelId, service: 'ktpel', state: 'accepted' });
    expect(detail.relatedCase!.steps.map((s) => s.action)).toEqual(['submit', 'accept']);
    expect(detail.relatedCase!.steps[1]).toMatchObject({ standardMinutes: 15 });
  });
});

describe('escalation', () => {
  it('flags an overdue complaint for the head of division once, and a new stage clears it', async () => {
    const { escalateOverdue } = await import('../../worker/aduan/escalate');
    const c = await filePublic();
    await backdate(c.caseId, { stepStartedAt: Date.now() - 30 * 86_400_000 });
    const flagged = await escalateOverdue(env.DB, Date.now());
    expect(flagged).toContain(c.ticketNo);
    expect(await escalateOverdue(env.DB, Date.now())).not.toContain(c.ticketNo);
    const items = await inbox(env.DB, kabid.session, { filter: 'escalated' });
    expect(items.find((i) => i.caseId === c.caseId)).toMatchObject({ escalated: true, overdue: true });
    await act(handler.session, c.caseId, 'verify', inputFor('verify', ''));
    expect((await inbox(env.DB, kabid.session, { filter: 'escalated' })).map((i) => i.caseId)).not.toContain(c.caseId);
  });
});
