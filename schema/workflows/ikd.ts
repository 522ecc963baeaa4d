/**
 * IKD activation and the device lifecycle (SPEC A; seeds 000, 003, 004) as an SOP table: registration, video-call
 * slot, verification, device binding, approval with the activation email, activation, release, block and unblock.
 */
import { z } from 'zod';
import type { WorkflowDef } from './types';

const digits16 = (what: string) => z.string().regex(/^\d{16}$/, `${what} harus 16 digit / ${what} must be 16 digits`);
const pin6 = z.string().regex(/^\d{6}$/, 'PIN harus 6 angka / PIN must be 6 digits');
const b64url = (min: number, max: number) => z.string().min(min).max(max).regex(/^[A-Za-z0-9_-]+$/, 'base64url');
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'UUID');

/** Indonesian mobile number as people type it (08…, 628…, +628…), as in the KTP-el form. */
export const IkdPhone = z.string().trim().regex(/^(\+62|62|0)8\d{7,12}$/, 'Nomor HP tidak valid / invalid phone number');
export const IkdEmail = z.email('Email tidak valid / invalid email').max(254);
export const IkdRoute = z.enum(['counter', 'video']);

/**
 * The public half of a device key as WebCrypto exports it (`exportKey('jwk', publicKey)`): EC P-256. Extra members
 * (`ext`, `key_ops`) are accepted and dropped; only {kty, crv, x, y} is stored and thumbprinted.
 */
export const DeviceJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64url(43, 43),
  y: b64url(43, 43),
});
export type DeviceJwk = z.infer<typeof DeviceJwk>;

/** A raw ECDSA P-256 signature (r‖s, 64 bytes) in base64url, as WebCrypto `sign` returns it. */
export const DeviceSignature = b64url(86, 86);
export const BindingNonce = b64url(16, 64);
/** RFC 7638 SHA-256 thumbprint, base64url (43 characters). */
export const Thumbprint = b64url(43, 43);

export const IkdRegisterInput = z.strictObject({
  nik: digits16('NIK'),
  kkNumber: digits16('Nomor KK'),
  email: IkdEmail,
  phone: IkdPhone,
  route: IkdRoute,
});
export type IkdRegisterInput = z.infer<typeof IkdRegisterInput>;

export const IkdSlotInput = z.strictObject({ slotId: uuid });

/** Seed 000 step 5 checklist; attestations only: no face image is taken or stored. */
export const IkdVerifyInput = z.strictObject({
  documentsSeen: z.literal(true, 'KTP-el/KK harus diperiksa / KTP-el/KK must be checked'),
  dataMatches: z.literal(true, 'Data harus cocok / data must match'),
  faceMatches: z.literal(true, 'Wajah harus cocok / face must match'),
  channel: z.enum(['counter', 'video']),
  notes: z.string().trim().max(500).optional(),
});

/**
 * One event, either direction (the seeds disagree on who scans whom):
 * - `phone_qr`: the operator scanned the phone's `LOKETB1.<caseId>.<nonce>.<thumbprint>`;
 * - `operator_qr`: the phone scanned the operator's `LOKETB2.<caseId>.<nonce>` and signs that text with its key.
 */
export const IkdBindInput = z.discriminatedUnion('direction', [
  z.strictObject({ direction: z.literal('phone_qr'), nonce: BindingNonce, thumbprint: Thumbprint }),
  z.strictObject({ direction: z.literal('operator_qr'), nonce: BindingNonce, publicJwk: DeviceJwk, signature: DeviceSignature }),
]);

export const IKD_REJECT_REASONS = ['data_mismatch', 'documents_incomplete', 'face_mismatch', 'not_eligible', 'no_show', 'other'] as const;
export const IkdRejectInput = z.strictObject({
  reasonCode: z.enum(IKD_REJECT_REASONS),
  /** Sent to the resident; no protected data in it. */
  message: z.string().trim().min(3).max(500),
});

/** The activation link's token, the emailed activation PIN and the resident's own new PIN. */
export const IkdActivateInput = z.strictObject({
  token: z.string().min(20).max(2048),
  activationPin: pin6,
  pin: pin6,
});

export const IKD_REISSUE_REASONS = ['forgot_pin', 'link_dead', 'link_expired', 'email_not_received', 'other'] as const;
export const IkdReissueInput = z.strictObject({
  reason: z.enum(IKD_REISSUE_REASONS),
  note: z.string().trim().max(500).optional(),
});

export const IkdReleaseInput = z.strictObject({ pin: pin6 });

export const IkdBlockInput = z.strictObject({
  /** How the loss was reported: at the counter, or by phone after identity checks. */
  reportedVia: z.enum(['counter', 'phone']),
  reason: z.string().trim().min(3).max(500),
});

export const IkdUnblockInput = z.strictObject({ reason: z.string().trim().min(3).max(500) });

const none = z.strictObject({});

export const ikdStates = ['registered', 'scheduled', 'verified', 'bound', 'approved', 'active', 'released', 'blocked', 'rejected'] as const;
export type IkdState = (typeof ikdStates)[number];
export type IkdAction =
  | 'register'
  | 'book_slot'
  | 'reschedule'
  | 'cancel_slot'
  | 'verify'
  | 'bind_device'
  | 'approve'
  | 'reject'
  | 'activate'
  | 'reissue_activation'
  | 'release_device'
  | 'block_device'
  | 'unblock';

/** States in which a case still counts as the resident's open application (one at a time). */
export const IKD_CLOSED_STATES: readonly IkdState[] = ['rejected', 'released'];

/**
 * Standard times: seed 003 counts from when the resident is in front of the operator (counter or video call):
 * verify data and scan QR 5 min → validate and e-mail PIN and link 5 min → open link and enter PIN 10 min.
 * Waiting states (registered, scheduled) have none: the clock starts at the visit or the booked call, which the
 * operator queue shows (a call is due 5 min after its slot starts).
 */
export const ikd: WorkflowDef<IkdState, IkdAction> = {
  service: 'ikd',
  title: { id: 'Aktivasi Identitas Kependudukan Digital (IKD)', en: 'Digital identity (IKD) activation' },
  source:
    'seed 000 (SOP Aktivasi IKD, Disdukcapil Kota Jambi PD.06.00/62.2/2024), seed 003 (SOP Dirjen Dukcapil 400.8.3/21790/Dukcapil), seed 004 (standar pelayanan Tabalong no. 15)',
  initial: 'registered',
  states: {
    registered: { label: { id: 'Terdaftar, menunggu kunjungan loket atau jadwal video call', en: 'Registered, awaiting counter visit or video-call booking' }, actor: ['resident', 'operator'] },
    scheduled: { label: { id: 'Jadwal video call dipesan', en: 'Video call booked' }, actor: ['operator'] },
    verified: { label: { id: 'Data terverifikasi, menunggu scan QR perangkat', en: 'Verified, awaiting device QR scan' }, standardMinutes: 5, actor: ['operator', 'resident'] },
    bound: { label: { id: 'Perangkat terikat, menunggu validasi operator', en: 'Device bound, awaiting operator validation' }, standardMinutes: 5, actor: ['operator'] },
    approved: { label: { id: 'Email aktivasi (tautan + PIN) dikirim', en: 'Activation email (link + PIN) sent' }, standardMinutes: 10, actor: ['resident'] },
    active: { label: { id: 'IKD aktif', en: 'IKD active' } },
    released: { label: { id: 'Perangkat dilepas (lepas perangkat)', en: 'Device released' }, final: true },
    blocked: { label: { id: 'IKD diblokir (perangkat hilang)', en: 'IKD blocked (device lost)' }, actor: ['operator'] },
    rejected: { label: { id: 'Permohonan ditolak', en: 'Application rejected' }, final: true },
  },
  actions: {
    register: {
      label: { id: 'Daftar IKD', en: 'Register for IKD' },
      from: null, to: 'registered', roles: ['resident'], input: IkdRegisterInput,
      sopStep: 'seed 003 step 2 (registrasi aplikasi); seed 000 step 1 (1 min)',
    },
    book_slot: {
      label: { id: 'Pesan jadwal video call', en: 'Book a video call' },
      from: ['registered'], to: 'scheduled', roles: ['resident'], input: IkdSlotInput,
      sopStep: 'seed 000 steps 1–3 (request, confirmation, schedule received: 5 min)',
    },
    reschedule: {
      label: { id: 'Ubah jadwal video call', en: 'Reschedule the video call' },
      from: ['scheduled'], to: 'scheduled', roles: ['resident'], input: IkdSlotInput,
    },
    cancel_slot: {
      label: { id: 'Batalkan jadwal video call', en: 'Cancel the video call' },
      from: ['scheduled'], to: 'registered', roles: ['resident'], input: none,
    },
    verify: {
      label: { id: 'Verifikasi data (KTP-el/KK, data, wajah)', en: 'Verify (KTP-el/KK, data, face)' },
      from: ['registered', 'scheduled'], to: 'verified', roles: ['operator'], input: IkdVerifyInput,
      sopStep: 'seed 000 step 5 (identity on camera, data, face check); seed 003 step 3',
    },
    bind_device: {
      label: { id: 'Scan QR: ikat perangkat', en: 'Scan QR: bind the device' },
      from: ['verified'], to: 'bound', roles: ['operator', 'resident'], input: IkdBindInput,
      sopStep: 'seed 000 step 5 (operator scans the QR, 5 s); seed 003 step 3 (5 min); seed 004 (QR scanned by the app)',
    },
    approve: {
      label: { id: 'Validasi dan kirim email aktivasi', en: 'Validate and send the activation email' },
      from: ['bound'], to: 'approved', roles: ['operator'], input: none,
      sopStep: 'seed 003 step 4 (5 min): activation PIN and link by email',
    },
    reject: {
      label: { id: 'Tolak permohonan', en: 'Reject the application' },
      from: ['registered', 'scheduled', 'verified', 'bound'], to: 'rejected', roles: ['operator'], input: IkdRejectInput,
      sopStep: 'seed 004 (officer rejects incomplete or wrong data)',
    },
    activate: {
      label: { id: 'Aktivasi dengan tautan dan PIN', en: 'Activate with link and PIN' },
      from: ['approved'], to: 'active', roles: ['resident'], input: IkdActivateInput,
      sopStep: 'seed 003 step 5 (10 min); seed 000 step 6',
    },
    reissue_activation: {
      label: { id: 'Kirim ulang aktivasi (lupa PIN / tautan mati)', en: 'Reissue activation (forgotten PIN / dead link)' },
      from: ['approved', 'active'], to: 'approved', roles: ['operator'], input: IkdReissueInput,
    },
    release_device: {
      label: { id: 'Lepas perangkat', en: 'Release this device' },
      from: ['active'], to: 'released', roles: ['resident'], input: IkdReleaseInput,
      sopStep: 'seed 004 jaminan keamanan b (menu lepas perangkat)',
    },
    block_device: {
      label: { id: 'Blokir IKD (perangkat hilang)', en: 'Block IKD (device lost)' },
      from: ['bound', 'approved', 'active'], to: 'blocked', roles: ['operator'], input: IkdBlockInput,
      sopStep: 'seed 004 jaminan keamanan c (pemblokiran jika smartphone hilang)',
    },
    unblock: {
      label: { id: 'Buka blokir (ikat perangkat baru)', en: 'Unblock (bind a new device)' },
      from: ['blocked'], to: 'verified', roles: ['operator'], input: IkdUnblockInput,
    },
  },
};
