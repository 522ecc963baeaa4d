/**
 * Video-call slots (seed 000 steps 1–3): operators (or an admin for them) open slots inside the office's service
 * hours with a per-operator capacity; residents list the free ones. Booking is the `book_slot` SOP action.
 */
import { QUEUE_ROLES } from './views';
import type { z } from 'zod';
import type { SlotCreateRequest, StaffSlot } from '../../schema/contracts/ikd';
import { BOOKING_LEAD_MINUTES } from '../../schema/ikd-rules';
import { maskNik } from '../../schema/nik';
import { isOpenAt, localToMs, msToLocal, serviceMinutesBetween } from '../../schema/service-time';
import { withAudit } from '../audit';
import {
  cancelSlot as cancelSlotStatement,
  getSlot,
  insertSlot,
  isSlotBookedError,
  isSlotOverlapError,
  listFreeSlots,
  listSlotsWithBookings,
  type SlotRow,
} from '../db/ikd';
import { findUserById } from '../db/users';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';
import { officeInfo } from './hooks';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A call takes about 15 minutes (seed 000); a slot holds one call at least and half a day at most. */
const MIN_SLOT_MINUTES = 10;
const MAX_SLOT_MINUTES = 4 * 60;

function requireSlotStaff(session: Session): void {
  if (session.subjectType !== 'staff' || !session.roles.some((r) => r === 'operator' || r === 'admin')) {
    throw new ApiError('forbidden_role', 'Hanya operator atau admin. / Operators or admins only.');
  }
}

/** Opens a slot; refuses times outside service hours (a slot may not span a break or closing) and overlaps. */
export async function createSlot(db: D1Database, session: Session, body: z.infer<typeof SlotCreateRequest>, ip: string | null): Promise<z.infer<typeof StaffSlot>> {
  requireSlotStaff(session);
  let operatorId = body.operatorId ?? session.subjectId;
  if (operatorId !== session.subjectId && !session.roles.includes('admin')) throw new ApiError('forbidden_role', 'Operator membuat slot untuk dirinya sendiri. / Operators open slots for themselves.');
  const operator = await findUserById(db, operatorId);
  if (!operator || operator.disabled || operator.officeCode !== session.officeCode || !operator.roles.includes('operator')) {
    throw new ApiError('validation_failed', 'operatorId: bukan operator aktif di kantor ini / not an active operator of this office');
  }
  operatorId = operator.id;
  const now = Date.now();
  const minutes = (body.endsAt - body.startsAt) / MINUTE;
  if (body.startsAt <= now) throw new ApiError('validation_failed', 'startsAt: harus di masa depan / must be in the future');
  if (!Number.isInteger(minutes) || minutes < MIN_SLOT_MINUTES || minutes > MAX_SLOT_MINUTES) {
    throw new ApiError('validation_failed', `endsAt: slot ${MIN_SLOT_MINUTES}–${MAX_SLOT_MINUTES} menit, menit penuh / slots last ${MIN_SLOT_MINUTES}–${MAX_SLOT_MINUTES} whole minutes`);
  }
  const office = await officeInfo(db, session.officeCode);
  const inside = isOpenAt(office.hours, body.startsAt) && isOpenAt(office.hours, body.endsAt - 1) && serviceMinutesBetween(office.hours, body.startsAt, body.endsAt) === minutes;
  if (!inside) throw new ApiError('slot_outside_hours', 'Slot harus di dalam jam layanan kantor. / The slot must lie within office service hours.');

  const slot: Omit<SlotRow, 'status'> = {
    id: crypto.randomUUID(),
    office_code: session.officeCode,
    operator_id: operatorId,
    starts_at: body.startsAt,
    ends_at: body.endsAt,
    capacity: body.capacity,
    created_by: `staff:${session.subjectId}`,
    created_at: now,
  };
  try {
    await withAudit(db, [{ actor: slot.created_by, action: 'ikd.slot_created', object: `slot:${slot.id}`, ip, detail: { operatorId, startsAt: slot.starts_at, endsAt: slot.ends_at, capacity: slot.capacity } }], () => [insertSlot(db, slot)]);
  } catch (err) {
    if (isSlotOverlapError(err)) throw new ApiError('slot_overlap', 'Operator sudah punya slot pada jam itu. / The operator already has a slot at that time.');
    throw err;
  }
  return { id: slot.id, operatorId, operatorName: operator.displayName, startsAt: slot.starts_at, endsAt: slot.ends_at, capacity: slot.capacity, booked: 0, status: 'open', bookings: [] };
}

/** Cancels an unbooked slot of the staff member's office. */
export async function cancelSlot(db: D1Database, session: Session, id: string, ip: string | null): Promise<void> {
  requireSlotStaff(session);
  const slot = await getSlot(db, id);
  if (!slot) throw new ApiError('slot_not_found');
  if (slot.office_code !== session.officeCode) throw new ApiError('forbidden_object');
  if (slot.operator_id !== session.subjectId && !session.roles.includes('admin')) throw new ApiError('forbidden_object', 'Slot operator lain. / Another operator’s slot.');
  if (slot.status !== 'open') return;
  try {
    await withAudit(db, [{ actor: `staff:${session.subjectId}`, action: 'ikd.slot_cancelled', object: `slot:${slot.id}`, ip }], () => [cancelSlotStatement(db, slot.id)]);
  } catch (err) {
    if (isSlotBookedError(err)) throw new ApiError('slot_booked', 'Slot sudah dipesan; minta pemohon mengubah jadwal. / The slot is booked; ask the residents to reschedule.');
    throw err;
  }
}

/** The office's slots of one local day with their bookings (NIK masked). */
export async function staffSlots(db: D1Database, session: Session, date?: string) {
  // Least privilege (issue 8 matrix): partners, field officers, verifiers and complaint handlers have no IKD slots to see.
  if (session.subjectType !== 'staff' || !session.roles.some((r) => QUEUE_ROLES.has(r))) throw new ApiError('forbidden_role');
  const office = await officeInfo(db, session.officeCode);
  const day = date ?? msToLocal(office.tz, Date.now()).slice(0, 10);
  const from = localToMs(office.tz, `${day}T00:00`);
  const { slots, bookings } = await listSlotsWithBookings(db, session.officeCode, from, from + DAY);
  return {
    date: day,
    timeZone: office.tz,
    slots: slots.map((s) => ({
      id: s.id,
      operatorId: s.operator_id,
      operatorName: s.operator_name,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      capacity: s.capacity,
      booked: s.taken,
      status: s.status,
      bookings: bookings.filter((b) => b.slot_id === s.id).map((b) => ({ caseId: b.case_id, nikMasked: maskNik(b.nik), name: b.name, status: b.status })),
    })),
  };
}

/** Bookable slots of the resident's office from `from` (default: now + lead time) for two weeks. */
export async function freeSlots(db: D1Database, session: Session, from?: number, to?: number) {
  if (session.subjectType !== 'resident') throw new ApiError('forbidden_role', 'Hanya untuk pemohon. / Residents only.');
  const office = await officeInfo(db, session.officeCode);
  const earliest = Date.now() + BOOKING_LEAD_MINUTES * MINUTE;
  const start = Math.max(from ?? earliest, earliest);
  const end = Math.min(to ?? start + 14 * DAY, start + 31 * DAY);
  const rows = await listFreeSlots(db, session.officeCode, start, end);
  return { timeZone: office.tz, slots: rows.map((s) => ({ id: s.id, startsAt: s.starts_at, endsAt: s.ends_at, free: s.capacity - s.taken })) };
}
