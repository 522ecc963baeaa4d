/**
 * Escalation that reaches a person (the head of division's contact, through the outbox and the real delivery
 * path), reassignment within a stage (assignee or head of division only, audited, the clock unchanged), and the
 * office's published resolution times by class driving the handling clock.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { aduanDueAt } from '../../schema/aduan/sla';
import { addWorkingDays, serviceHoursFromRow } from '../../schema/service-time';
import { escalateOverdue } from '../../worker/aduan/escalate';
import { complaintDetail, inbox } from '../../worker/aduan/service';
import { findOffice } from '../../worker/db/offices';
import type { Env } from '../../worker/env';
import { deliverDue } from '../../worker/notify/deliver';
import type { NotificationRow } from '../../worker/db/notifications';
import { act, attempt, backdate, complaintIn, filePublic, inputFor, staff, type Staff } from './aduan-kit';
import { signIn, TABALONG } from './helpers/auth';
import { seedMinimalOffice } from './helpers/fixtures';

const workerEnv = env as unknown as Env;
const DAY = 86_400_000;
let handler: Staff;
let second: Staff;
let third: Staff;
let kabid: Staff;
let admin: Staff;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  [handler, second, third, kabid, admin] = [
    await staff(['complaint_handler']), await staff(['complaint_handler']), await staff(['complaint_handler']),
    await staff(['head_of_division']), await staff(['admin']),
  ];
});

async function putSettings(body: Record<string, unknown>) {
  const as = await signIn(admin.username, admin.password);
  return as.fetch('/api/aduan/settings', { method: 'PUT', json: { reopenWorkingDays: 10, resolutionDays: { ringan: 2, normatif: 5, investigasi: 60 }, ...body } });
}

describe('escalation to the head of division', () => {
  it('queues a message to the office escalation contact once per overdue complaint, delivered by the outbox', async () => {
    const res = await putSettings({ escalationEmail: 'kabid.aduan@disdukcapil.example', escalationPhone: '081311112222' });
    expect(res.status).toBe(200);
    const c = await filePublic();
    await backdate(c.caseId, { stepStartedAt: Date.now() - 30 * DAY });
    const now = Date.now();
    expect(await escalateOverdue(env.DB, now)).toContain(c.ticketNo);
    // A second run in the same hour (or an overlapping one) adds nothing.
    expect(await escalateOverdue(env.DB, now + 1000)).not.toContain(c.ticketNo);
    const rows = (await env.DB.prepare('SELECT * FROM notifications WHERE case_id = ? AND subject LIKE ?').bind(c.caseId, 'Eskalasi%').all<NotificationRow>()).results;
    expect(rows.map((r) => [r.channel, r.recipient]).sort()).toEqual([['email', 'kabid.aduan@disdukcapil.example'], ['whatsapp', '081311112222']]);
    expect(rows[0]!.body).toContain(c.ticketNo);
    expect(rows[0]!.body).toContain('Diterima, menunggu verifikasi');

    const sent: string[] = [];
    const record = async (n: NotificationRow) => (sent.push(`${n.channel}:${n.recipient}:${n.subject}`), { via: 'dev_mailbox' as const, ref: null });
    await deliverDue(workerEnv, now + 2000, { senders: { email: record, whatsapp: record }, batchSize: 500 });
    expect(sent).toEqual(expect.arrayContaining([
      `email:kabid.aduan@disdukcapil.example:Eskalasi aduan ${c.ticketNo}: melewati batas waktu`,
      `whatsapp:081311112222:Eskalasi aduan ${c.ticketNo}: melewati batas waktu`,
    ]));
    const after = (await env.DB.prepare('SELECT status FROM notifications WHERE case_id = ? AND subject LIKE ?').bind(c.caseId, 'Eskalasi%').all<{ status: string }>()).results;
    expect(after.map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('a settings screen that leaves the contact out keeps it; null removes it', async () => {
    await putSettings({ escalationEmail: 'kabid.aduan@disdukcapil.example' });
    const as = await signIn(admin.username, admin.password);
    expect(await (await putSettings({})).json()).toMatchObject({ reopenWorkingDays: 10 });
    expect(await (await as.fetch('/api/aduan/settings')).json()).toMatchObject({ escalationEmail: 'kabid.aduan@disdukcapil.example' });
    await putSettings({ escalationEmail: null, escalationPhone: null });
    expect(await (await as.fetch('/api/aduan/settings')).json()).toMatchObject({ escalationEmail: null, escalationPhone: null });
    const bad = await putSettings({ escalationEmail: 'bukan-email' });
    expect(bad.status).toBe(422);
  });
});

describe('reassigning a complaint within a stage', () => {
  it('the assignee hands over, the new handler works the stage, the old one no longer may; the routing clock stays', async () => {
    const c = await complaintIn('internal_coordination', handler, { privacy: 'rahasia', name: 'Pelapor Rahasia', phone: '081344445555' });
    const before = await env.DB.prepare('SELECT routed_at FROM complaints WHERE case_id = ?').bind(c.caseId).first<{ routed_at: number }>();
    expect((await complaintDetail(env.DB, handler.session, c.caseId)).identity).toMatchObject({ status: 'shown' });

    // Another handler cannot take it over; a reason is required; someone outside the handlers cannot receive it.
    const stranger = await attempt(second.session, c.caseId, 'reassign_internal_coordination', { assigneeId: second.id, reassignReason: 'Saya ambil alih' });
    expect(stranger.problem?.code).toBe('aduan_not_assignee');
    expect((await attempt(handler.session, c.caseId, 'reassign_internal_coordination', { assigneeId: second.id })).problem?.code).toBe('validation_failed');
    expect((await attempt(handler.session, c.caseId, 'reassign_internal_coordination', { assigneeId: kabid.id, reassignReason: 'Cuti mulai besok' })).problem?.code).toBe('aduan_assignee_invalid');
    expect((await attempt(handler.session, c.caseId, 'reassign_onsite_check', { assigneeId: second.id, reassignReason: 'Cuti mulai besok' })).problem?.code).toBe('illegal_action');

    await act(handler.session, c.caseId, 'reassign_internal_coordination', { assigneeId: second.id, reassignReason: 'Cuti mulai besok' });
    const row = await env.DB.prepare('SELECT c.assignee_id, c.routed_at, k.state FROM complaints c JOIN cases k ON k.id = c.case_id WHERE c.case_id = ?').bind(c.caseId).first<{ assignee_id: string; routed_at: number; state: string }>();
    expect(row).toEqual({ assignee_id: second.id, routed_at: before!.routed_at, state: 'internal_coordination' });
    // The confidential identity follows the assignment.
    expect((await complaintDetail(env.DB, second.session, c.caseId)).identity).toMatchObject({ status: 'shown', name: 'Pelapor Rahasia' });
    expect((await complaintDetail(env.DB, handler.session, c.caseId)).identity).toEqual({ status: 'hidden' });
    expect((await attempt(handler.session, c.caseId, 'finish_internal_coordination', { note: 'Sudah dibahas' })).problem?.code).toBe('aduan_not_assignee');

    // The head of division reassigns too (after an escalation, say); the engine audited both hand-overs.
    await act(kabid.session, c.caseId, 'reassign_internal_coordination', { assigneeId: third.id, reassignReason: 'Beban kerja dibagi ulang' });
    await act(third.session, c.caseId, 'finish_internal_coordination', { note: 'Sudah dibahas' });
    const audit = (await env.DB.prepare("SELECT actor, action, detail_json FROM audit_log WHERE object = ? AND action LIKE '%reassign%' ORDER BY seq").bind(`case:${c.caseId}`).all<{ actor: string; action: string; detail_json: string }>()).results;
    expect(audit).toHaveLength(2);
    expect(audit[0]!.actor).toContain(handler.id);
    expect(audit[0]!.detail_json).toContain(second.id);
    expect(audit[1]!.actor).toContain(kabid.id);
    expect(audit[1]!.detail_json).toContain('Beban kerja dibagi ulang');
    expect(audit.map((a) => a.detail_json).join()).not.toContain('Pelapor Rahasia');
  });
});

describe('resolution times by class drive the handling clock', () => {
  it('due at routing + the office published working days of the class set at verification', async () => {
    await putSettings({ resolutionDays: { ringan: 3, normatif: 7, investigasi: 40 } });
    const office = await findOffice(env.DB, TABALONG);
    const hours = serviceHoursFromRow(office!);
    const routedAt = Date.now();
    for (const [cls, days] of [['ringan', 3], ['normatif', 7], ['investigasi', 40], [undefined, 5]] as const) {
      const filed = await filePublic();
      await act(handler.session, filed.caseId, 'verify', { ...inputFor('verify', handler.id), ...(cls ? { resolutionClass: cls } : {}) });
      await act(handler.session, filed.caseId, 'assign', { assigneeId: handler.id });
      await backdate(filed.caseId, { routedAt });
      const item = (await inbox(env.DB, handler.session, { filter: 'open' })).find((i) => i.caseId === filed.caseId)!;
      expect(item.resolutionClass, String(cls)).toBe(cls ?? null);
      expect(item.dueAt, `${cls}: ${days} working days`).toBe(addWorkingDays(hours, routedAt, days));
      expect((await complaintDetail(env.DB, handler.session, filed.caseId)).case.dueAt).toBe(item.dueAt);
    }
    // Distinct clocks, so the class really changes the due time (not one fixed 5-day clock).
    expect(new Set([3, 7, 40, 5].map((d) => addWorkingDays(hours, routedAt, d))).size).toBe(4);
    expect(aduanDueAt(hours, { state: 'follow_up', stepStartedAt: 0, routedAt, resolutionDays: 40 })).toBe(addWorkingDays(hours, routedAt, 40));
  });

  it('escalates a light complaint after its 3 working days, an investigation not yet', async () => {
    const light = await complaintIn('verified', handler);
    const heavy = await complaintIn('verified', handler);
    await env.DB.prepare(`UPDATE cases SET data_json = json_set(data_json, '$.resolutionClass', ?) WHERE id = ?`).bind('ringan', light.caseId).run();
    await env.DB.prepare(`UPDATE cases SET data_json = json_set(data_json, '$.resolutionClass', ?) WHERE id = ?`).bind('investigasi', heavy.caseId).run();
    for (const c of [light, heavy]) {
      await act(handler.session, c.caseId, 'assign', { assigneeId: handler.id });
      await backdate(c.caseId, { routedAt: Date.now() - 14 * DAY });
    }
    const flagged = await escalateOverdue(env.DB, Date.now());
    expect(flagged).toContain(light.ticketNo);
    expect(flagged).not.toContain(heavy.ticketNo);
  });
});

describe('monthly report', () => {
  it('counts the month by channel, stage and clock, and serves it as a PDF to the inbox roles', async () => {
    const { monthlyReport } = await import('../../worker/aduan/report');
    const { PDFDocument } = await import('pdf-lib');
    const { msToLocal } = await import('../../schema/service-time');
    const office = await findOffice(env.DB, TABALONG);
    const hours = serviceHoursFromRow(office!);
    // A month of its own (no other test files complaints in it): March 2025, local to the office.
    const month = '2025-03';
    const mid = Date.parse('2025-03-12T02:00:00Z');
    const onTime = await complaintIn('resolved', handler);
    const late = await complaintIn('resolved', handler);
    const overdue = await complaintIn('onsite_check', handler);
    const fresh = await complaintIn('received', handler);
    const outside = await complaintIn('received', handler);
    for (const c of [onTime, late, overdue, fresh]) await backdate(c.caseId, { receivedAt: mid, routedAt: mid, stepStartedAt: mid });
    await backdate(outside.caseId, { receivedAt: Date.parse('2025-04-01T01:00:00Z') });
    await env.DB.prepare('UPDATE complaints SET resolved_at = ? WHERE case_id = ?').bind(addWorkingDays(hours, mid, 2), onTime.caseId).run();
    await env.DB.prepare('UPDATE complaints SET resolved_at = ? WHERE case_id = ?').bind(addWorkingDays(hours, mid, 9), late.caseId).run();
    await env.DB.prepare("UPDATE complaints SET channel = 'phone' WHERE case_id = ?").bind(fresh.caseId).run();
    // "fresh" counts as of a moment inside its verification clock; "overdue" has run past its 5 days by then.
    const asOf = addWorkingDays(hours, mid, 2)!;
    expect(msToLocal(hours.timeZone, asOf).slice(0, 7)).toBe(month);

    const r = await monthlyReport(env.DB, TABALONG, month, asOf + 10 * DAY);
    expect(r.total).toBe(4);
    expect(r.byChannel).toMatchObject({ web: 3, phone: 1, email: 0 });
    expect(r.byState).toMatchObject({ resolved: 2, onsite_check: 1, received: 1 });
    expect(r.sla).toEqual({ resolvedOnTime: 1, resolvedLate: 1, openOnTime: 0, openOverdue: 2 });
    expect((await monthlyReport(env.DB, TABALONG, month, asOf)).sla).toEqual({ resolvedOnTime: 1, resolvedLate: 1, openOnTime: 2, openOverdue: 0 });

    const as = await signIn(kabid.username, kabid.password);
    const res = await as.fetch(`/api/aduan/report.pdf?month=${month}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe(`LAPORAN BULANAN PENGADUAN ${month}`);
    expect(pdf.getSubject()).toMatch(new RegExp(`office=${TABALONG.replace('.', '\\.')} month=${month} total=4 resolvedOnTime=1 resolvedLate=1 `));
    expect((await as.fetch('/api/aduan/report.pdf?month=2025-13')).status).toBe(422);
    const fo = await staff(['front_office']);
    expect((await (await signIn(fo.username, fo.password)).fetch(`/api/aduan/report.pdf?month=${month}`)).status).toBe(403);
  });
});
