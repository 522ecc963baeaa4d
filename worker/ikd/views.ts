/**
 * Read views of IKD: the operator's queue of today (video calls and counter visitors, with the current step's due
 * time and overrun in office service time), the resident's account screen, and the identity-check detail for staff.
 */
import type { z } from 'zod';
import type { IkdMeResponse, MatchAttemptsResponse, QueueItem } from '../../schema/contracts/ikd';
import { maskNik } from '../../schema/nik';
import { dueAt, localToMs, msToLocal } from '../../schema/service-time';
import { availableActions } from '../../schema/workflows';
import { ikd } from '../../schema/workflows/ikd';
import { caseView } from '../case-view';
import {
  activeBookingOf,
  getAccount,
  latestIkdCase,
  listDevices,
  listEvents,
  listMatchAttempts,
  queueRows,
  sessionAssurance,
} from '../db/ikd';
import { registryFor } from '../db/registry';
import type { Env } from '../env';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';
import { caseData, officeInfo } from './hooks';
import { residentSummary } from './registration';

const DAY = 86_400_000;
/** Seed 003 step 3: verify data and scan the QR within 5 minutes of the resident being in front of the operator. */
export const CALL_STANDARD_MINUTES = 5;

/** Staff who work the IKD queue and its video-call slots (the slot list names bookings). */
export const QUEUE_ROLES: ReadonlySet<string> = new Set(['operator', 'front_office', 'admin', 'head_of_division', 'head_of_office']);

/** Today's IKD work of the staff member's office, ordered by call time or step start. */
export async function queue(db: D1Database, session: Session, now = Date.now()) {
  if (session.subjectType !== 'staff' || !session.roles.some((r) => QUEUE_ROLES.has(r))) throw new ApiError('forbidden_role');
  const office = await officeInfo(db, session.officeCode);
  const date = msToLocal(office.tz, now).slice(0, 10);
  const dayStart = localToMs(office.tz, `${date}T00:00`);
  const rows = await queueRows(db, session.officeCode, dayStart, dayStart + DAY);
  const items: z.infer<typeof QueueItem>[] = rows.map((r) => {
    const state = r.state as keyof typeof ikd.states;
    const def = ikd.states[state];
    let standard = def?.standardMinutes ?? null;
    let due = standard !== null ? dueAt(office.hours, r.step_started_at, standard) : null;
    if (state === 'scheduled' && r.slot_starts_at !== null) {
      // A booked call is due from its start, not from when it was booked.
      standard = CALL_STANDARD_MINUTES;
      due = dueAt(office.hours, r.slot_starts_at, CALL_STANDARD_MINUTES);
    }
    const data = caseData(r);
    return {
      caseId: r.id,
      version: r.version,
      state: r.state,
      stateLabel: def?.label ?? { id: r.state, en: r.state },
      kind: r.slot_id !== null || data.route === 'video' ? 'video' : 'counter',
      nikMasked: r.resident_nik ? maskNik(r.resident_nik) : '',
      name: r.resident_name,
      slot: r.slot_id !== null && r.slot_starts_at !== null && r.slot_ends_at !== null ? { id: r.slot_id, startsAt: r.slot_starts_at, endsAt: r.slot_ends_at, operatorId: r.slot_operator_id } : null,
      stepStartedAt: r.step_started_at,
      standardMinutes: standard,
      dueAt: due,
      overrun: due !== null && now > due,
      actions: availableActions(ikd, r.state, session.roles),
    };
  });
  return { date, timeZone: office.tz, items };
}

/** The resident's own account screen: case with its current step, devices, sign-in and device history. */
export async function me(env: Env, session: Session, now = Date.now()): Promise<z.infer<typeof IkdMeResponse>> {
  if (session.subjectType !== 'resident') throw new ApiError('forbidden_role', 'Hanya untuk pemohon. / Residents only.');
  const db = env.DB;
  const nik = session.subjectId;
  const resident = await registryFor(env).findResident(nik);
  if (!resident) throw new ApiError('resident_not_found');
  const [office, account, row, devices, events, assurance] = await Promise.all([
    officeInfo(db, resident.officeCode),
    getAccount(db, nik),
    latestIkdCase(db, nik),
    listDevices(db, nik),
    listEvents(db, nik),
    sessionAssurance(db, session.tokenHash),
  ]);
  let caseOut: z.infer<typeof IkdMeResponse>['case'] = null;
  if (row) {
    const view = await caseView(db, row, now);
    const booking = await activeBookingOf(db, row.id);
    const def = ikd.states[row.state as keyof typeof ikd.states];
    caseOut = {
      ...view,
      currentStep: { state: row.state, label: def?.label ?? { id: row.state, en: row.state }, standardMinutes: def?.standardMinutes ?? null, dueAt: view.dueAt, overrun: view.overrun },
      booking: booking ? { slotId: booking.slot_id, startsAt: booking.starts_at, endsAt: booking.ends_at, status: booking.status } : null,
      actions: availableActions(ikd, row.state, ['resident']),
    };
  }
  return {
    resident: await residentSummary(db, resident),
    assurance,
    office: { timeZone: office.tz, waLink: office.wa },
    account: account ? { status: account.status, pinSetAt: account.pin_set_at, activatedAt: account.activated_at } : null,
    case: caseOut,
    devices: devices.map((d) => ({ id: d.id, thumbprint: d.thumbprint, status: d.status, createdAt: d.created_at, boundAt: d.bound_at, releasedAt: d.released_at, blockedAt: d.blocked_at })),
    events: events.map((e) => ({ at: e.at, kind: e.kind, deviceId: e.device_id, ip: e.ip, detail: JSON.parse(e.detail_json) as Record<string, unknown> })),
  };
}

const MATCH_DETAIL_ROLES = new Set(['operator', 'front_office', 'admin']);

/** Identity checks made for a NIK of the staff member's office, with which fields differed. */
export async function matchAttempts(env: Env, session: Session, nik: string): Promise<z.infer<typeof MatchAttemptsResponse>> {
  if (session.subjectType !== 'staff' || !session.roles.some((r) => MATCH_DETAIL_ROLES.has(r))) throw new ApiError('forbidden_role');
  const resident = await registryFor(env).findResident(nik);
  if (!resident) throw new ApiError('resident_not_found');
  if (resident.officeCode !== session.officeCode) throw new ApiError('forbidden_object', 'Penduduk kantor lain. / A resident of another office.');
  const rows = await listMatchAttempts(env.DB, nik);
  return {
    nikMasked: maskNik(nik),
    attempts: rows.map((r) => ({ at: r.at, purpose: r.purpose, matched: r.matched === 1, differs: JSON.parse(r.differs_json) as string[], ip: r.ip })),
  };
}
