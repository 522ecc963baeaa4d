/**
 * What the IKD SOP actions do beyond the state change (worker/hooks.ts): eligibility and one open case at
 * registration, slot bookings with capacity and reminders, device binding in both QR directions, activation links
 * and PINs, release/block/unblock of devices, and the resident's event history. Every row is guarded by the case
 * stamp, so it lands only with the case change; secrets (PINs, nonces, tokens) never reach the recorded input.
 */
import {
  BOOKING_LEAD_MINUTES,
  checkPin,
  eligibility,
  INELIGIBLE_MESSAGES,
  type IneligibleReason,
  officeToday,
  operatorBindingQr,
} from '../../schema/ikd-rules';
import { serviceHoursFromRow, type ServiceHours, type TimeZone } from '../../schema/service-time';
import type { z } from 'zod';
import type {
  IkdActivateInput,
  IkdBindInput,
  IkdBlockInput,
  IkdRegisterInput,
  IkdRejectInput,
  IkdReissueInput,
  IkdReleaseInput,
  IkdSlotInput,
  IkdVerifyInput,
} from '../../schema/workflows/ikd';
import { hashPassword } from '../auth/password';
import type { CaseRow, Guard } from '../db/cases';
import { findOffice } from '../db/offices';
import {
  activateAccountIf,
  activeBookingOf,
  blockDevicesIf,
  bindPendingDeviceIf,
  bookedCount,
  closeBookingIf,
  deleteCaseRemindersIf,
  getDevice,
  getDeviceByThumbprint,
  getNonce,
  getSlot,
  ikdNotificationIf,
  insertBookingIf,
  insertBoundDeviceIf,
  insertEventIf,
  type NewEvent,
  openIkdCase,
  releaseBoundDeviceIf,
  releasePendingDevicesIf,
  reminderIdPrefix,
  revokeLiveLinksIf,
  revokeResidentSessionsIf,
  boundDeviceOf,
  sessionAssurance,
  setAccountStatusIf,
  upsertPendingAccountIf,
  useLinkIf,
  useNonceIf,
} from '../db/ikd';
import type { EngineContext } from '../engine';
import { ApiError } from '../errors';
import type { ActionHook, HookResult } from '../hooks';
import { notifyResidentIf } from '../notify/outbox';
import { checkActivationPin, issueActivation, openLink } from './activation';
import { canonicalJwk, sha256Hex, thumbprintOf, verifyDeviceSignature } from './device-keys';
import { workerEnv } from './env';
import { blocked, bookingConfirmed, bookingReminder, rejected, waLink } from './notices';
import { checkResidentPin } from './pin';

/** What the IKD case keeps in cases.data_json besides the recorded inputs. */
export interface IkdCaseData {
  nik: string;
  email: string;
  phone: string;
  route: 'counter' | 'video';
  slotId?: string | null;
  bookingId?: string | null;
  slotStartsAt?: number | null;
  slotEndsAt?: number | null;
  deviceId?: string;
  thumbprint?: string;
}

export const caseData = (row: CaseRow) => JSON.parse(row.data_json) as IkdCaseData;

export interface OfficeInfo {
  name: string;
  tz: TimeZone;
  hours: ServiceHours;
  wa: string | null;
}

export async function officeInfo(db: D1Database, code: string): Promise<OfficeInfo> {
  const row = await findOffice(db, code);
  if (!row) throw new Error(`office ${code} missing`);
  const hours = serviceHoursFromRow(row);
  return { name: row.name, tz: hours.timeZone, hours, wa: waLink(row.wa_number) };
}

const actorOf = (ctx: EngineContext) => `${ctx.session.subjectType}:${ctx.session.subjectId}`;
const nikOf = (row: CaseRow) => {
  if (!row.resident_nik) throw new Error('IKD case without a resident');
  return row.resident_nik;
};

function event(ctx: EngineContext, guard: Guard, nik: string, kind: string, extra: Omit<NewEvent, 'nik' | 'kind' | 'at'> = {}) {
  return insertEventIf(ctx.db, guard, { nik, kind, at: ctx.now, ip: ctx.ip, ...extra });
}

export function notEligible(reasons: IneligibleReason[]): ApiError {
  const first = reasons[0]!;
  return new ApiError('not_eligible', `${INELIGIBLE_MESSAGES[first].id} / ${INELIGIBLE_MESSAGES[first].en}`, { reason: first, reasons });
}

// ---- registration ----

const register: ActionHook = async ({ ctx, next, input, guard }) => {
  const i = input as z.infer<typeof IkdRegisterInput>;
  const resident = await ctx.registry.findResident(i.nik);
  // The route matched NIK + KK + maiden name; a command pushed by other means must at least state the right KK.
  if (!resident || resident.kkNumber !== i.kkNumber) throw new ApiError('identity_mismatch', 'Data tidak cocok dengan database kependudukan. / The data does not match the registry.');
  const office = await officeInfo(ctx.db, next.office_code);
  const el = eligibility(resident, officeToday(office.tz, ctx.now));
  if (!el.eligible) throw notEligible(el.reasons);
  const open = await openIkdCase(ctx.db, i.nik);
  if (open) throw new ApiError('ikd_case_open', 'Sudah ada permohonan IKD yang berjalan. / An IKD application is already open.', { caseId: open.id });
  return {
    statements: [
      upsertPendingAccountIf(ctx.db, guard, { nik: i.nik, officeCode: next.office_code, caseId: next.id, now: ctx.now }),
      event(ctx, guard, i.nik, 'registered', { detail: { route: i.route } }),
    ],
    // The KK number was checked against the registry; the case does not need a copy of it.
    recordedInput: { nik: i.nik, email: i.email, phone: i.phone, route: i.route },
    // The name as the registry has it, so the operator's lists can say whose case it is without a registry read.
    data: { residentName: resident.name },
  };
};

// ---- video-call slots ----

async function bookingEffects(ctx: EngineContext, row: CaseRow, slotId: string, guard: Guard): Promise<HookResult> {
  const slot = await getSlot(ctx.db, slotId);
  if (!slot || slot.office_code !== row.office_code) throw new ApiError('slot_not_found');
  if (slot.status !== 'open' || slot.starts_at < ctx.now + BOOKING_LEAD_MINUTES * 60_000) {
    throw new ApiError('slot_unavailable', 'Slot ini sudah tidak dapat dipesan. / This slot can no longer be booked.');
  }
  if ((await bookedCount(ctx.db, slot.id)) >= slot.capacity) throw new ApiError('slot_full', 'Slot ini sudah penuh; pilih slot lain. / This slot is full; choose another.');
  const data = caseData(row);
  const office = await officeInfo(ctx.db, row.office_code);
  const bookingId = crypto.randomUUID();
  const confirm = bookingConfirmed({ officeName: office.name, tz: office.tz, startsAt: slot.starts_at, endsAt: slot.ends_at, wa: office.wa, caseId: row.id });
  const statements: D1PreparedStatement[] = [
    // The capacity trigger aborts the whole batch if a racing booking took the last place meanwhile.
    insertBookingIf(ctx.db, guard, { id: bookingId, slotId: slot.id, caseId: row.id, nik: nikOf(row), now: ctx.now }),
    ...notifyResidentIf(ctx.db, data, confirm, row.id, ctx.now, guard),
  ];
  for (const [lead, ms] of [['24h', 24 * 3_600_000], ['1h', 3_600_000]] as const) {
    const dueAt = slot.starts_at - ms;
    if (dueAt <= ctx.now) continue;
    const msg = bookingReminder({ officeName: office.name, tz: office.tz, startsAt: slot.starts_at, wa: office.wa, lead });
    for (const [channel, recipient] of [['email', data.email], ['whatsapp', data.phone]] as const) {
      const id = `${reminderIdPrefix(bookingId)}${lead}:${channel}`;
      statements.push(ikdNotificationIf(ctx.db, guard, { id, channel, recipient, subject: msg.subject, body: msg.body, dueAt, scrubAfterSend: false }, ctx.now));
    }
  }
  return {
    statements,
    data: { route: 'video', slotId: slot.id, bookingId, slotStartsAt: slot.starts_at, slotEndsAt: slot.ends_at },
  };
}

const noBooking = { slotId: null, bookingId: null, slotStartsAt: null, slotEndsAt: null };

const bookSlot: ActionHook = async ({ ctx, previous, input, guard }) => {
  const { slotId } = input as z.infer<typeof IkdSlotInput>;
  return { ...(await bookingEffects(ctx, previous!, slotId, guard)), recordedInput: { slotId } };
};

const reschedule: ActionHook = async ({ ctx, previous, input, guard }) => {
  const { slotId } = input as z.infer<typeof IkdSlotInput>;
  const current = await activeBookingOf(ctx.db, previous!.id);
  if (current?.slot_id === slotId) throw new ApiError('slot_unavailable', 'Anda sudah terjadwal di slot ini. / You are already booked in this slot.');
  const booked = await bookingEffects(ctx, previous!, slotId, guard);
  // Cancel first: the capacity trigger then counts the new slot without the old booking.
  const cancel = [closeBookingIf(ctx.db, guard, previous!.id, 'cancelled', ctx.now), deleteCaseRemindersIf(ctx.db, guard, previous!.id)];
  return { ...booked, statements: [...cancel, ...(booked.statements ?? [])], recordedInput: { slotId } };
};

const cancelSlot: ActionHook = async ({ ctx, previous, guard }) => ({
  statements: [closeBookingIf(ctx.db, guard, previous!.id, 'cancelled', ctx.now), deleteCaseRemindersIf(ctx.db, guard, previous!.id)],
  data: noBooking,
});

// ---- verification and binding ----

const verify: ActionHook = async ({ ctx, previous, input, guard }) => {
  const i = input as z.infer<typeof IkdVerifyInput>;
  return {
    statements: [
      closeBookingIf(ctx.db, guard, previous!.id, 'attended', ctx.now),
      deleteCaseRemindersIf(ctx.db, guard, previous!.id),
      event(ctx, guard, nikOf(previous!), 'verified', { detail: { channel: i.channel } }),
    ],
    data: { verifiedBy: actorOf(ctx), verifiedAt: ctx.now },
  };
};

const bindDevice: ActionHook = async ({ ctx, previous, input, guard }) => {
  const i = input as z.infer<typeof IkdBindInput>;
  const row = previous!;
  const nik = nikOf(row);
  const isResident = ctx.session.subjectType === 'resident';
  // Each side takes the direction in which it is the scanner: the operator scans the phone, the phone the operator.
  if (i.direction === 'phone_qr' && isResident) throw new ApiError('forbidden_role', 'Kode QR ponsel dipindai oleh petugas. / The phone’s QR is scanned by the officer.');
  if (i.direction === 'operator_qr' && !isResident) throw new ApiError('forbidden_role', 'Kode QR petugas dipindai oleh ponsel pemohon. / The officer’s QR is scanned by the resident’s phone.');

  const nonceHash = await sha256Hex(i.nonce);
  const nonce = await getNonce(ctx.db, nonceHash);
  if (!nonce || nonce.case_id !== row.id || nonce.direction !== i.direction) throw new ApiError('binding_nonce_invalid', 'Kode QR tidak sah untuk permohonan ini. / This QR code is not valid for this application.');
  if (nonce.used_at !== null || nonce.expires_at <= ctx.now) throw new ApiError('binding_nonce_expired', 'Kode QR sudah dipakai atau kedaluwarsa; buat yang baru. / The QR code was used or has expired; make a new one.');
  if (await boundDeviceOf(ctx.db, nik)) throw new ApiError('device_in_use', 'Sudah ada perangkat terikat; lepas atau blokir dulu. / A device is already bound; release or block it first.');

  const statements: D1PreparedStatement[] = [useNonceIf(ctx.db, guard, nonceHash, ctx.now)];
  let deviceId: string;
  let thumbprint: string;
  if (i.direction === 'phone_qr') {
    const device = nonce.device_id ? await getDevice(ctx.db, nonce.device_id) : null;
    if (!device || device.nik !== nik || device.status !== 'pending' || device.thumbprint !== i.thumbprint) {
      throw new ApiError('binding_nonce_invalid', 'Kode QR tidak cocok dengan kunci perangkat. / The QR code does not match the device key.');
    }
    deviceId = device.id;
    thumbprint = device.thumbprint;
    statements.push(bindPendingDeviceIf(ctx.db, guard, device.id, ctx.now));
  } else {
    const signed = new TextEncoder().encode(operatorBindingQr({ caseId: row.id, nonce: i.nonce }));
    if (!(await verifyDeviceSignature(i.publicJwk, signed, i.signature))) {
      throw new ApiError('device_signature_invalid', 'Tanda tangan perangkat tidak sah. / The device signature does not verify.');
    }
    thumbprint = await thumbprintOf(i.publicJwk);
    const existing = await getDeviceByThumbprint(ctx.db, thumbprint);
    if (existing && (existing.nik !== nik || existing.status !== 'pending')) throw new ApiError('device_in_use', 'Kunci perangkat ini sudah terdaftar. / This device key is already registered.');
    if (existing) {
      deviceId = existing.id;
      statements.push(bindPendingDeviceIf(ctx.db, guard, existing.id, ctx.now));
    } else {
      deviceId = crypto.randomUUID();
      statements.push(insertBoundDeviceIf(ctx.db, guard, { id: deviceId, nik, caseId: row.id, thumbprint, jwk: JSON.stringify(canonicalJwk(i.publicJwk)), now: ctx.now }));
    }
  }
  statements.push(
    releasePendingDevicesIf(ctx.db, guard, row.id, ctx.now, 'superseded'),
    event(ctx, guard, nik, 'device_bound', { deviceId, detail: { direction: i.direction } }),
  );
  return { statements, data: { deviceId, thumbprint }, recordedInput: { direction: i.direction, thumbprint } };
};

// ---- approval, activation, reissue ----

function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 2)}${'•'.repeat(Math.max(1, user.length - 2))}@${domain}`;
}

async function activationEffects(ctx: EngineContext, row: CaseRow, guard: Guard) {
  const data = caseData(row);
  const office = await officeInfo(ctx.db, row.office_code);
  const issued = await issueActivation(workerEnv(), ctx.db, guard, { caseRow: row, email: data.email, phone: data.phone, actor: actorOf(ctx), now: ctx.now, office });
  return { statements: issued.statements, data: { activationSentTo: maskEmail(data.email), activationExpiresAt: issued.expiresAt } };
}

const approve: ActionHook = async ({ ctx, previous, guard }) => {
  const effects = await activationEffects(ctx, previous!, guard);
  return { statements: [...effects.statements, event(ctx, guard, nikOf(previous!), 'activation_sent')], data: effects.data };
};

const reissueActivation: ActionHook = async ({ ctx, previous, input, guard }) => {
  const i = input as z.infer<typeof IkdReissueInput>;
  const nik = nikOf(previous!);
  const effects = await activationEffects(ctx, previous!, guard);
  const statements = [...effects.statements, event(ctx, guard, nik, 'activation_reissued', { detail: { reason: i.reason } })];
  if (previous!.state === 'active') {
    // A forgotten PIN: the old one stops working now, and so does every session opened with it.
    statements.push(setAccountStatusIf(ctx.db, guard, nik, 'pending', ctx.now, true), revokeResidentSessionsIf(ctx.db, guard, nik, ctx.now));
  }
  return { statements, data: effects.data };
};

const activate: ActionHook = async ({ ctx, previous, input, guard }) => {
  const i = input as z.infer<typeof IkdActivateInput>;
  const row = previous!;
  const nik = nikOf(row);
  const env = workerEnv();
  const link = await openLink(env, ctx.db, i.token, ctx.now);
  if (link.case_id !== row.id || link.nik !== nik) throw new ApiError('activation_link_invalid');
  // The new PIN is judged before the activation PIN, so a weak choice does not cost one of the link's tries.
  const resident = await ctx.registry.findResident(nik);
  const policy = checkPin(i.pin, { birthDate: resident?.birthDate, nik, phone: caseData(row).phone, activationPin: i.activationPin });
  if (!policy.ok) throw new ApiError('pin_weak', `${policy.message.id} / ${policy.message.en}`, { reason: policy.reason });
  await checkActivationPin(env, ctx.db, link, i.activationPin, ctx.now);
  const pinHash = await hashPassword(i.pin, env.PEPPER);
  return {
    statements: [
      useLinkIf(ctx.db, guard, link.jti, ctx.now),
      activateAccountIf(ctx.db, guard, nik, pinHash, ctx.now),
      event(ctx, guard, nik, 'activated'),
      // Registration sessions end here: from now on only NIK + PIN + device signature opens a session.
      revokeResidentSessionsIf(ctx.db, guard, nik, ctx.now),
    ],
    data: { activatedAt: ctx.now },
    recordedInput: {},
  };
};

// ---- release, block, unblock, reject ----

const releaseDevice: ActionHook = async ({ ctx, previous, input, guard }) => {
  const { pin } = input as z.infer<typeof IkdReleaseInput>;
  const nik = nikOf(previous!);
  if ((await sessionAssurance(ctx.db, ctx.session.tokenHash)) !== 'full') {
    throw new ApiError('assurance_insufficient', 'Masuk dengan PIN di perangkat terikat dulu. / Sign in with your PIN on the bound device first.');
  }
  await checkResidentPin(workerEnv(), ctx.db, nik, pin, ctx.ip ?? 'unknown');
  const device = await boundDeviceOf(ctx.db, nik);
  return {
    statements: [
      releaseBoundDeviceIf(ctx.db, guard, nik, ctx.now, 'released_by_resident'),
      setAccountStatusIf(ctx.db, guard, nik, 'released', ctx.now, true),
      revokeLiveLinksIf(ctx.db, guard, nik, ctx.now),
      event(ctx, guard, nik, 'device_released', { deviceId: device?.id ?? null }),
      revokeResidentSessionsIf(ctx.db, guard, nik, ctx.now),
    ],
    data: { releasedAt: ctx.now },
    recordedInput: {},
  };
};

const blockDevice: ActionHook = async ({ ctx, previous, input, guard }) => {
  const i = input as z.infer<typeof IkdBlockInput>;
  const row = previous!;
  const nik = nikOf(row);
  const data = caseData(row);
  const office = await officeInfo(ctx.db, row.office_code);
  const device = await boundDeviceOf(ctx.db, nik);
  const notice = blocked({ officeName: office.name });
  return {
    statements: [
      blockDevicesIf(ctx.db, guard, nik, ctx.now, `lost (${i.reportedVia})`),
      setAccountStatusIf(ctx.db, guard, nik, 'blocked', ctx.now, true),
      revokeLiveLinksIf(ctx.db, guard, nik, ctx.now),
      revokeResidentSessionsIf(ctx.db, guard, nik, ctx.now),
      event(ctx, guard, nik, 'device_blocked', { deviceId: device?.id ?? null, detail: { reportedVia: i.reportedVia } }),
      ...notifyResidentIf(ctx.db, data, notice, row.id, ctx.now, guard),
    ],
    data: { blockedAt: ctx.now, blockedVia: i.reportedVia },
  };
};

const unblock: ActionHook = async ({ ctx, previous, guard }) => {
  const nik = nikOf(previous!);
  return {
    statements: [setAccountStatusIf(ctx.db, guard, nik, 'pending', ctx.now, true), event(ctx, guard, nik, 'unblocked')],
    // The blocked key stays blocked; a new one is bound from the verified state.
    data: { unblockedAt: ctx.now, deviceId: null, thumbprint: null },
  };
};

const reject: ActionHook = async ({ ctx, previous, input, guard }) => {
  const i = input as z.infer<typeof IkdRejectInput>;
  const row = previous!;
  const nik = nikOf(row);
  const data = caseData(row);
  const office = await officeInfo(ctx.db, row.office_code);
  const msg = rejected({ officeName: office.name, message: i.message, caseId: row.id });
  return {
    statements: [
      closeBookingIf(ctx.db, guard, row.id, 'cancelled', ctx.now),
      deleteCaseRemindersIf(ctx.db, guard, row.id),
      releasePendingDevicesIf(ctx.db, guard, row.id, ctx.now, 'case_rejected'),
      releaseBoundDeviceIf(ctx.db, guard, nik, ctx.now, 'case_rejected'),
      setAccountStatusIf(ctx.db, guard, nik, 'closed', ctx.now, true),
      event(ctx, guard, nik, 'rejected', { detail: { reasonCode: i.reasonCode } }),
      ...notifyResidentIf(ctx.db, data, msg, row.id, ctx.now, guard),
    ],
    data: { rejectedAt: ctx.now, ...noBooking },
  };
};

/** The IKD tables' own guards, tripped by a racing command inside the engine's batch, as the problems users see. */
export function ikdConstraintProblem(message: string): ApiError | undefined {
  if (/slot_full/.test(message)) return new ApiError('slot_full', 'Slot ini baru saja penuh; pilih slot lain. / This slot just filled up; choose another.');
  if (/UNIQUE constraint failed: cases\.resident_nik/.test(message)) return new ApiError('ikd_case_open', 'Sudah ada permohonan IKD yang berjalan. / An IKD application is already open.');
  if (/UNIQUE constraint failed: devices\.nik/.test(message)) return new ApiError('device_in_use', 'Sudah ada perangkat terikat untuk NIK ini. / A device is already bound to this NIK.');
  return undefined;
}

/** action → hook, registered as HOOKS.ikd in worker/hooks.ts. */
export const IKD_HOOKS: Record<string, ActionHook> = {
  register,
  book_slot: bookSlot,
  reschedule,
  cancel_slot: cancelSlot,
  verify,
  bind_device: bindDevice,
  approve,
  reject,
  activate,
  reissue_activation: reissueActivation,
  release_device: releaseDevice,
  block_device: blockDevice,
  unblock,
};


