/**
 * The hourly SLA check: open complaints whose clock ran out are flagged `escalated` (the head of division's inbox
 * filter and badge) with one audit entry per run, and the head of division is told by the notification outbox at
 * the office's escalation contact (aduan settings): one message per complaint, naming no complainant.
 */
import { aduanDueAt, resolutionDaysFor } from '../../schema/aduan/sla';
import { msToLocal, serviceHoursFromRow, type ServiceHours } from '../../schema/service-time';
import { ADUAN_OPEN_STATES, publicStatus } from '../../schema/workflows/aduan';
import { withAudit } from '../audit';
import { escalationNoticeIf, getAduanSettings, markEscalated, openUnescalated } from '../db/aduan';
import { findOffice } from '../db/offices';

/** Flags overdue complaints; returns the ticket numbers flagged. At most 500 per run, the oldest first. */
export async function escalateOverdue(db: D1Database, now: number): Promise<string[]> {
  const rows = await openUnescalated(db, ADUAN_OPEN_STATES, 500);
  const offices = new Map<string, { hours: ServiceHours; published?: string } | null>();
  const due: { caseId: string; ticketNo: string; state: string; dueAt: number; timeZone: ServiceHours['timeZone'] }[] = [];
  for (const r of rows) {
    if (!offices.has(r.office_code)) {
      const [office, settings] = await Promise.all([findOffice(db, r.office_code), getAduanSettings(db, r.office_code)]);
      offices.set(r.office_code, office ? { hours: serviceHoursFromRow(office), published: settings?.resolution_days_json } : null);
    }
    const o = offices.get(r.office_code);
    if (!o) continue;
    const data = JSON.parse(r.data_json) as Record<string, unknown>;
    const at = aduanDueAt(o.hours, {
      state: r.state, stepStartedAt: r.step_started_at, routedAt: r.routed_at, postponeUntil: typeof data.postponeUntil === 'string' ? data.postponeUntil : undefined,
      resolutionDays: resolutionDaysFor(data.resolutionClass, o.published),
    });
    if (at !== null && now > at) due.push({ caseId: r.case_id, ticketNo: r.ticket_no, state: r.state, dueAt: at, timeZone: o.hours.timeZone });
  }
  if (due.length === 0) return [];
  await withAudit(db, [{ actor: 'system', action: 'aduan.escalate', object: 'aduan', detail: { tickets: due.map((d) => d.ticketNo) } }], () => [
    markEscalated(db, due.map((d) => d.caseId), now),
    ...due.flatMap((d) => {
      const subject = `Eskalasi aduan ${d.ticketNo}: melewati batas waktu`;
      const body =
        `Aduan ${d.ticketNo} (tahap: ${publicStatus(d.state).id}) melewati batas waktu ${msToLocal(d.timeZone, d.dueAt).replace('T', ' ')} (${d.timeZone}). ` +
        'Mohon ditindaklanjuti atau dialihkan ke penangan lain di Kotak Aduan. / This complaint is overdue: follow it up or reassign it in the complaints inbox.';
      return [escalationNoticeIf(db, d.caseId, now, 'email', subject, body), escalationNoticeIf(db, d.caseId, now, 'whatsapp', subject, body)];
    }),
  ]);
  return due.map((d) => d.ticketNo);
}
