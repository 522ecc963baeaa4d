/**
 * Contracts of the IKD API (/api/ikd/*), shared by the worker and the PWA: public registration and resumption,
 * activation, resident sign-in with PIN and device signature, the account screen, video-call slots, device keys and
 * binding, and the operator's queue. SOP actions themselves also go through /api/sync/push (schema/workflows/ikd.ts).
 */
import { CalendarDate } from './offices';
import { z } from 'zod';
import { CaseView, Uuid7 } from './sync';
import { DeviceJwk, DeviceSignature, IkdEmail, IkdPhone, IkdRoute, Thumbprint } from '../workflows/ikd';

const Nik = z.string().regex(/^\d{16}$/, 'NIK harus 16 digit / NIK must be 16 digits');
const KkNumber = z.string().regex(/^\d{16}$/, 'Nomor KK harus 16 digit / KK number must be 16 digits');
const Pin = z.string().regex(/^\d{6}$/, 'PIN harus 6 angka / PIN must be 6 digits');
const MaidenName = z.string().trim().min(2).max(100);
const EpochMs = z.number().int().min(0);
/** Optional client-made ids: a retry with the same id is answered from the first result (no second case or action). */
const CommandId = Uuid7.optional();

export const Assurance = z.enum(['registration', 'full']);

// ---- registration (public) ----

export const IkdRegisterRequest = z.strictObject({
  nik: Nik,
  kkNumber: KkNumber,
  /** Compared with the registry's keyed hash and forgotten; never stored. */
  motherMaidenName: MaidenName,
  email: IkdEmail,
  phone: IkdPhone,
  route: IkdRoute,
  caseId: Uuid7.optional(),
  commandId: CommandId,
});
export type IkdRegisterRequest = z.infer<typeof IkdRegisterRequest>;

export const IkdResumeRequest = z.strictObject({ nik: Nik, kkNumber: KkNumber, motherMaidenName: MaidenName });

export const ResidentSummary = z.object({
  nikMasked: z.string(),
  name: z.string(),
  officeCode: z.string(),
  officeName: z.string(),
});

export const IkdSessionResponse = z.object({ case: CaseView, resident: ResidentSummary, assurance: Assurance });

// ---- activation (public, the link is the credential) ----

export const ActivationVerifyRequest = z.strictObject({ token: z.string().min(20).max(2048), activationPin: Pin });
export const ActivationVerifyResponse = z.object({
  caseId: z.string(),
  nikMasked: z.string(),
  expiresAt: EpochMs,
  attemptsLeft: z.number().int(),
});
export const ActivationCompleteRequest = z.strictObject({
  token: z.string().min(20).max(2048),
  activationPin: Pin,
  /** The resident's own new PIN (policy: schema/ikd-rules.ts checkPin). */
  pin: Pin,
  commandId: CommandId,
});

// ---- resident sign-in (public) ----

export const ChallengeRequest = z.strictObject({ nik: Nik, thumbprint: Thumbprint });
export const ChallengeResponse = z.object({
  challengeId: z.string(),
  /** 32 random bytes, base64url: the device signs the decoded bytes (ES256, raw r‖s). */
  challenge: z.string(),
  expiresAt: EpochMs,
});
export const ResidentLoginRequest = z.strictObject({
  nik: Nik,
  pin: Pin,
  challengeId: z.string().min(1).max(64),
  signature: DeviceSignature,
});
export const ResidentLoginResponse = z.object({ resident: ResidentSummary, assurance: Assurance });

// ---- resident, signed in ----

export const CaseResponse = z.object({ case: CaseView });
export const CommandOnlyRequest = z.strictObject({ commandId: CommandId });
export const BookingRequest = z.strictObject({ slotId: z.string().min(1).max(64), commandId: CommandId });
export const ReleaseRequest = z.strictObject({ pin: Pin, commandId: CommandId });
export const ChangePinRequest = z.strictObject({ currentPin: Pin, newPin: Pin });

export const FreeSlot = z.object({ id: z.string(), startsAt: EpochMs, endsAt: EpochMs, free: z.number().int() });
export const FreeSlotsQuery = z.object({
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
});
export const FreeSlotsResponse = z.object({ timeZone: z.string(), slots: z.array(FreeSlot) });

export const DeviceKeyRequest = z.strictObject({ publicJwk: DeviceJwk });
export const DeviceKeyResponse = z.object({
  deviceId: z.string(),
  thumbprint: z.string(),
  nonce: z.string(),
  expiresAt: EpochMs,
  /** `LOKETB1.<caseId>.<nonce>.<thumbprint>`: show as a QR code for the operator to scan. */
  qr: z.string(),
});
export const DeviceBindRequest = z.strictObject({
  /** The operator's QR text as scanned: `LOKETB2.<caseId>.<nonce>`. */
  qr: z.string().min(1).max(200),
  publicJwk: DeviceJwk,
  /** ES256 (raw r‖s, base64url) over the UTF-8 bytes of `qr` exactly as scanned. */
  signature: DeviceSignature,
  commandId: CommandId,
});

export const DeviceView = z.object({
  id: z.string(),
  thumbprint: z.string(),
  status: z.enum(['pending', 'bound', 'released', 'blocked']),
  createdAt: EpochMs,
  boundAt: EpochMs.nullable(),
  releasedAt: EpochMs.nullable(),
  blockedAt: EpochMs.nullable(),
});

export const EventView = z.object({
  at: EpochMs,
  /** registered, verified, device_registered, device_bound, activation_sent, activation_reissued, activated,
   *  signin, signin_failed, pin_changed, device_released, device_blocked, unblocked, rejected */
  kind: z.string(),
  deviceId: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const CurrentStep = z.object({
  state: z.string(),
  label: z.object({ id: z.string(), en: z.string() }),
  /** Standard time (mutu baku) of the step, minutes; null while waiting for the resident or a booked call. */
  standardMinutes: z.number().nullable(),
  dueAt: EpochMs.nullable(),
  overrun: z.boolean(),
});

export const BookingView = z.object({ slotId: z.string(), startsAt: EpochMs, endsAt: EpochMs, status: z.string() });

export const IkdMeResponse = z.object({
  resident: ResidentSummary,
  assurance: Assurance.nullable(),
  office: z.object({ timeZone: z.string(), waLink: z.string().nullable() }),
  account: z
    .object({
      status: z.enum(['pending', 'active', 'blocked', 'released', 'closed']),
      pinSetAt: EpochMs.nullable(),
      activatedAt: EpochMs.nullable(),
    })
    .nullable(),
  case: CaseView.extend({ currentStep: CurrentStep, booking: BookingView.nullable(), actions: z.array(z.string()) }).nullable(),
  devices: z.array(DeviceView),
  events: z.array(EventView),
});
export type IkdMeResponse = z.infer<typeof IkdMeResponse>;

// ---- staff ----

export const SlotCreateRequest = z.strictObject({
  startsAt: EpochMs,
  endsAt: EpochMs,
  capacity: z.number().int().min(1).max(20),
  /** Admins create slots for an operator of their office; operators for themselves (default). */
  operatorId: z.string().min(1).max(64).optional(),
});
export const StaffSlot = z.object({
  id: z.string(),
  operatorId: z.string(),
  operatorName: z.string().nullable(),
  startsAt: EpochMs,
  endsAt: EpochMs,
  capacity: z.number().int(),
  booked: z.number().int(),
  status: z.enum(['open', 'cancelled']),
  bookings: z.array(z.object({ caseId: z.string(), nikMasked: z.string(), name: z.string().nullable(), status: z.string() })),
});
export const SlotResponse = z.object({ slot: StaffSlot });
// A calendar date, not just its shape: the fuzzer's ?date=4774-15-10 reached the time arithmetic and answered 500.
export const SlotsQuery = z.object({ date: CalendarDate.optional() });
export const SlotsResponse = z.object({ date: z.string(), timeZone: z.string(), slots: z.array(StaffSlot) });

export const BindingNonceResponse = z.object({
  nonce: z.string(),
  expiresAt: EpochMs,
  /** `LOKETB2.<caseId>.<nonce>`: show as a QR code for the resident's phone to scan. */
  qr: z.string(),
});

export const QueueItem = z.object({
  caseId: z.string(),
  version: z.number().int(),
  state: z.string(),
  stateLabel: z.object({ id: z.string(), en: z.string() }),
  kind: z.enum(['video', 'counter']),
  nikMasked: z.string(),
  name: z.string().nullable(),
  slot: z.object({ id: z.string(), startsAt: EpochMs, endsAt: EpochMs, operatorId: z.string().nullable() }).nullable(),
  stepStartedAt: EpochMs,
  standardMinutes: z.number().nullable(),
  dueAt: EpochMs.nullable(),
  overrun: z.boolean(),
  /** SOP actions the signed-in staff member may take now (push them through /api/sync/push). */
  actions: z.array(z.string()),
});
export const QueueResponse = z.object({ date: z.string(), timeZone: z.string(), items: z.array(QueueItem) });

export const MatchAttemptsResponse = z.object({
  nikMasked: z.string(),
  attempts: z.array(
    z.object({
      at: EpochMs,
      purpose: z.enum(['register', 'resume']),
      matched: z.boolean(),
      /** Which stated fields differed (nik = not in the registry): staff only. */
      differs: z.array(z.string()),
      ip: z.string().nullable(),
    }),
  ),
});
