/**
 * The hourly SLA check: open complaints whose clock ran out are flagged `escalated` (the head of division's inbox
 * filter and badge) with one audit entry per run. Users have no contact of their own yet, so the flag is the signal.
 */
import { aduanDueAt } from '../../schema/aduan/sla';
import { serviceHoursFromRow, type ServiceHours } from '../../schema/service-time';
import { ADUAN_OPEN_STATES } from '../../schema/workflows/aduan';
import { withAudit } from '../audit';
import { markEscalated, openUnescalated } from '../db/aduan';
import { findOffice } from '../db/offices';

/** Flags overdue complaints; returns the ticket numbers flagged. At most 500 per run, the oldest first. */
export async function escalateOverdue(db: D1Database, now: number): Promise<string[]> {
  const rows = await openUnescalated(db, ADUAN_OPEN_STATES, 500);
  const hours = new Map<string, ServiceHours | null>();
  const due: { caseId: string; ticketNo: string }[] = [];
  for (const r of rows) {
    if (!hours.has(r.office_code)) {
      const office = await findOffice(db, r.office_code);
      hours.set(r.office_code, office ? serviceHoursFromRow(office) : null);
    }
    const h = hours.get(r.office_code);
    if (!h) continue;
    const data = JSON.parse(r.data_json) as Record<string, unknown>;
    const at = aduanDueAt(h, { state: r.state, stepStartedAt: r.step_started_at, routedAt: r.routed_at, postponeUntil: typeof data.postponeUntil === 'string' ? data.postponeUntil : undefined });
    if (at !== null && now > at) due.push({ caseId: r.case_id, ticketNo: r.ticket_no });
  }
  if (due.length === 0) return [];
  await withAudit(db, [{ actor: 'system', action: 'aduan.escalate', object: 'aduan', detail: { tickets: due.map((d) => d.ticketNo) } }], () => [
    markEscalated(db, due.map((d) => d.caseId), now),
  ]);
  return due.map((d) => d.ticketNo);
}
