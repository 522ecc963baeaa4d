/** Turns a case row into what clients see: masked NIK, due time of the current step in office service time, overrun. */
import type { CaseView } from '../schema/contracts/sync';
import { maskNik } from '../schema/nik';
import { dueAt, serviceHoursFromRow, type ServiceHours } from '../schema/service-time';
import { workflowOf } from '../schema/workflows';
import type { CaseRow } from './db/cases';
import { findOffice } from './db/offices';
import type { Session } from './middleware/session';
import { partnerMayAccess } from './birth/access';
import { hasDuplicateLink } from './db/birth';

// Office hours change rarely; a short per-isolate cache spares one query per case in lists and pulls.
const hoursCache = new Map<string, { at: number; hours: ServiceHours | null }>();
const HOURS_TTL_MS = 60_000;

async function officeHours(db: D1Database, code: string): Promise<ServiceHours | null> {
  const hit = hoursCache.get(code);
  if (hit && Date.now() - hit.at < HOURS_TTL_MS) return hit.hours;
  const row = await findOffice(db, code);
  const hours = row ? serviceHoursFromRow(row) : null;
  hoursCache.set(code, { at: Date.now(), hours });
  return hours;
}

export async function caseView(db: D1Database, row: CaseRow, now = Date.now()): Promise<CaseView> {
  const standard = workflowOf(row.service)?.states[row.state]?.standardMinutes;
  const hours = standard === undefined ? null : await officeHours(db, row.office_code);
  const due = hours && standard !== undefined ? dueAt(hours, row.step_started_at, standard) : null;
  const data = maskedData(JSON.parse(row.data_json) as Record<string, unknown>);
  if (row.service === 'birth') data.flags = birthFlags(data.flags, await hasDuplicateLink(db, row.id));
  return {
    id: row.id,
    service: row.service,
    officeCode: row.office_code,
    state: row.state,
    version: row.version,
    residentNikMasked: row.resident_nik ? maskNik(row.resident_nik) : null,
    data,
    stepStartedAt: row.step_started_at,
    dueAt: due,
    overrun: due !== null && now > due,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Case data as sent to clients: NIKs are masked (also the parents' of a birth case, and the KK number); the full
 * values stay in D1 for staff tools that need them.
 */
export function maskedData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  if (typeof out.nik === 'string') out.nik = maskNik(out.nik);
  if (typeof out.kkNumber === 'string') out.kkNumber = maskNik(out.kkNumber);
  for (const who of ['mother', 'father'] as const) {
    const p = out[who];
    if (p && typeof p === 'object' && typeof (p as { nik?: unknown }).nik === 'string') out[who] = { ...p, nik: maskNik((p as { nik: string }).nik) };
  }
  return out;
}

/**
 * A birth case's flags as every viewer gets them: whether a possible duplicate is suspected, never which case (the
 * other may be another partner's; office staff read the links from GET /api/birth/cases/{id}/duplicates). The
 * links live in birth_duplicates; an id list kept in older case data is dropped here.
 */
function birthFlags(flags: unknown, duplicate: boolean): Record<string, unknown> | undefined {
  if (!flags || typeof flags !== 'object') return duplicate ? { possibleDuplicate: true } : undefined;
  const { possibleDuplicates: _ids, ...rest } = flags as Record<string, unknown>;
  return { ...rest, possibleDuplicate: duplicate };
}

/** Whether the subject's roles take part in the case's service at all (a partner operator sees no KTP-el queue). */
export function visibleTo(session: Session, row: CaseRow): boolean {
  if (session.subjectType === 'resident') return row.resident_nik === session.subjectId;
  // A partner clerk sees its own organisation's birth submissions only (also in the sync pull and lists).
  if (!partnerMayAccess(session, row)) return false;
  const wf = workflowOf(row.service);
  if (!wf) return false;
  const involved = new Set(Object.values(wf.actions).flatMap((a) => a.roles));
  return session.roles.some((r) => involved.has(r) || r === 'admin' || r === 'head_of_division' || r === 'head_of_office');
}
