/**
 * Birth certificate through partner hospitals and midwives (SPEC E; seed 002, SOP PD.06.00/62.17/2024 Kota Jambi)
 * as an SOP table: nine steps, 24 minutes of standard time, submitted by a partner clerk (role partner_operator,
 * "mitra"), checked and entered by the office operator, verified, signed by the head of office (TTE), delivered.
 */
import { z } from 'zod';
import { SignGrantInput } from '../sign-grant';
import type { WorkflowDef } from './types';

const digits16 = (what: string) => z.string().regex(/^\d{16}$/, `${what} harus 16 digit / ${what} must be 16 digits`);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'UUID');

/** A name as the registry accepts it: letters with any diacritics, spaces, apostrophes, hyphens and dots. */
export const PersonName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u, 'Nama hanya huruf, spasi, titik, tanda petik dan tanda hubung / letters, spaces, dots, apostrophes and hyphens only');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Tanggal YYYY-MM-DD / date as YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'Tanggal tidak ada / no such date');

export const BirthPhone = z.string().trim().regex(/^(\+62|62|0)8\d{7,12}$/, 'Nomor WhatsApp tidak valid / invalid WhatsApp number');

/** Upload limits: content-checked on the server; the PWA compresses photos to stay far below. */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
/**
 * Chunked upload (a clinic's connection drops mid-file): part n holds bytes [n*P, min((n+1)*P, size)), so a cut
 * upload resends only the parts the server lacks. 256 KiB is about 16 s at 2G speed.
 */
export const ATTACHMENT_PART_BYTES = 256 * 1024;
/** @example partCount(600_000) // 3 */
export const partCount = (size: number): number => Math.max(1, Math.ceil(size / ATTACHMENT_PART_BYTES));
/** @example partLength(600_000, 2) // 75_712 */
export const partLength = (size: number, n: number): number => Math.min(ATTACHMENT_PART_BYTES, size - n * ATTACHMENT_PART_BYTES);
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export const AttachmentType = z.enum(ATTACHMENT_TYPES);

/**
 * An attachment the case declares; the bytes follow separately (PUT /api/birth/attachments/{id}), so a clinic's
 * submission is not held back by a slow photo upload and one stuck file never blocks the rest.
 */
export const AttachmentRef = z.strictObject({
  id: uuid,
  /** Code of the office's requirement this file satisfies (birth_requirements.code). */
  requirement: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  contentType: AttachmentType,
  size: z.number().int().min(1).max(ATTACHMENT_MAX_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const Child = z.strictObject({
  name: PersonName,
  sex: z.enum(['L', 'P']),
  birthDate: isoDate,
  birthTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Jam HH:MM / time as HH:MM'),
  birthPlace: z.string().trim().min(2).max(120),
  birthOrder: z.number().int().min(1).max(20),
  weightGrams: z.number().int().min(300).max(7000),
  lengthCm: z.number().min(20).max(70),
});
export type Child = z.infer<typeof Child>;

export const Parent = z.strictObject({ nik: digits16('NIK'), name: PersonName });

/** Marital status of the parents as the certificate needs it (an unregistered marriage is declared by SPTJM). */
export const ParentsMarriage = z.enum(['kawin_tercatat', 'kawin_belum_tercatat', 'belum_kawin']);

export const BirthSubmitInput = z.strictObject({
  child: Child,
  mother: Parent,
  father: Parent.optional(),
  kkNumber: digits16('Nomor KK'),
  parentsMarriage: ParentsMarriage,
  reporter: z.strictObject({ name: PersonName, phone: BirthPhone, email: z.email('Email tidak valid / invalid email').max(254).optional() }),
  attachments: z.array(AttachmentRef).max(20),
  notes: z.string().trim().max(500).optional(),
});
export type BirthSubmitInput = z.infer<typeof BirthSubmitInput>;

/** Return to the partner and the parent with a reason per document (seed 002 step 3). */
export const BirthReturnInput = z.strictObject({
  reasons: z.array(z.strictObject({ requirement: z.string().min(2).max(40), reason: z.string().trim().min(3).max(300) })).min(1).max(20),
  note: z.string().trim().max(500).optional(),
});
/** A corrected file: replacement attachments (the old ones stay in the history) and corrected fields. */
export const BirthResubmitInput = z.strictObject({
  attachments: z.array(AttachmentRef).max(20),
  child: Child.optional(),
  note: z.string().trim().max(500).optional(),
});
/** SIAK input; the operator may correct the child's data (also after a revocation). */
export const BirthRecordInput = z.strictObject({ child: Child.optional() });
const reason = z.strictObject({ reason: z.string().trim().min(3).max(500) });
/**
 * The head of office proves it is them at the moment of signing (password, POST /api/birth/sign), which yields a
 * short-lived grant bound to their session; the action carries the grant, never the password, so neither the outbox
 * nor the case record ever holds a secret, and a push without a fresh re-authentication is refused.
 */
export const BirthSignInput = SignGrantInput;
const none = z.strictObject({});

export const birthStates = ['submitted', 'returned', 'accepted', 'entered', 'awaiting_signature', 'signed', 'delivered', 'pickup', 'received'] as const;
export type BirthState = (typeof birthStates)[number];
export type BirthAction =
  | 'submit' | 'return_incomplete' | 'resubmit' | 'accept' | 'record_input' | 'send_back' | 'request_signature'
  | 'sign' | 'confirm_delivered' | 'to_pickup' | 'hand_over' | 'revoke';

export const birth: WorkflowDef<BirthState, BirthAction> = {
  service: 'birth',
  title: { id: 'Akta kelahiran melalui mitra RS/bidan', en: 'Birth certificate through partner hospitals and midwives' },
  source: 'seed 002, SOP Layanan Online Akta Kelahiran Terintegrasi (Disdukcapil Kota Jambi, PD.06.00/62.17/2024)',
  initial: 'submitted',
  states: {
    submitted: { label: { id: 'Berkas dikirim mitra', en: 'Submitted by partner' }, standardMinutes: 5, actor: ['operator'] },
    returned: { label: { id: 'Dikembalikan: berkas tidak lengkap', en: 'Returned: incomplete' }, actor: ['partner_operator'] },
    accepted: { label: { id: 'Berkas lengkap, menunggu input SIAK', en: 'Complete, awaiting SIAK input' }, standardMinutes: 3, actor: ['operator'] },
    entered: { label: { id: 'Diinput, menunggu verifikasi', en: 'Entered, awaiting verification' }, standardMinutes: 3, actor: ['verifier'] },
    awaiting_signature: { label: { id: 'Diajukan TTE kepala dinas', en: 'Awaiting head of office signature' }, standardMinutes: 2, actor: ['head_of_office'] },
    signed: { label: { id: 'Akta ditandatangani, dikirim ke pemohon', en: 'Signed, sent to the parent' }, standardMinutes: 2, actor: ['operator'] },
    delivered: { label: { id: 'Akta diterima lewat WhatsApp/email', en: 'Delivered by WhatsApp/email' }, final: true },
    pickup: { label: { id: 'Ambil di layanan drive-thru', en: 'Pickup at the drive-thru' }, standardMinutes: 2, actor: ['front_office'] },
    received: { label: { id: 'Akta diterima pemohon', en: 'Received by the parent' }, final: true },
  },
  actions: {
    submit: {
      label: { id: 'Kirim berkas', en: 'Submit' },
      from: null, to: 'submitted', roles: ['partner_operator'], input: BirthSubmitInput,
      sopStep: 'seed 002 steps 1–2 (5 min): parent hands the file to the partner, who submits it online',
    },
    return_incomplete: {
      label: { id: 'Kembalikan: tidak lengkap', en: 'Return: incomplete' },
      from: ['submitted'], to: 'returned', roles: ['operator'], input: BirthReturnInput,
      sopStep: 'seed 002 step 3 (5 min): incomplete files go back to the applicant',
    },
    resubmit: {
      label: { id: 'Kirim ulang', en: 'Resubmit' },
      from: ['returned'], to: 'submitted', roles: ['partner_operator'], input: BirthResubmitInput,
    },
    accept: {
      label: { id: 'Berkas lengkap', en: 'Complete' },
      from: ['submitted'], to: 'accepted', roles: ['operator'], input: none,
      sopStep: 'seed 002 step 3 (5 min): completeness check',
    },
    record_input: {
      label: { id: 'Sudah diinput ke SIAK', en: 'Entered into SIAK' },
      from: ['accepted'], to: 'entered', roles: ['operator'], input: BirthRecordInput,
      sopStep: 'seed 002 step 4 (3 min)',
    },
    send_back: {
      label: { id: 'Kembalikan ke operator', en: 'Send back to the operator' },
      from: ['entered'], to: 'accepted', roles: ['verifier'], input: reason,
    },
    request_signature: {
      label: { id: 'Ajukan TTE', en: 'Request signature' },
      from: ['entered'], to: 'awaiting_signature', roles: ['verifier'], input: none,
      sopStep: 'seed 002 step 5 (3 min): data and digital archive verified',
    },
    sign: {
      label: { id: 'Tandatangani (TTE)', en: 'Sign (TTE)' },
      from: ['awaiting_signature'], to: 'signed', roles: ['head_of_office'], input: BirthSignInput,
      sopStep: 'seed 002 step 6 (2 min)',
    },
    confirm_delivered: {
      label: { id: 'Terkirim ke pemohon', en: 'Delivered to the parent' },
      from: ['signed'], to: 'delivered', roles: ['operator'], input: none,
      sopStep: 'seed 002 step 7 (2 min): operator checks the signed file; WhatsApp notice',
    },
    to_pickup: {
      label: { id: 'Alihkan ke drive-thru', en: 'Move to drive-thru pickup' },
      from: ['signed'], to: 'pickup', roles: ['operator', 'front_office'], input: reason,
      sopStep: 'seed 002 step 8 (2 min): not received by email, pickup at the drive-thru',
    },
    hand_over: {
      label: { id: 'Serahkan di drive-thru', en: 'Hand over at the drive-thru' },
      from: ['pickup'], to: 'received', roles: ['front_office'], input: none,
      sopStep: 'seed 002 step 9 (2 min)',
    },
    revoke: {
      label: { id: 'Cabut akta (salah), terbitkan baru', en: 'Revoke (wrong) and issue a new one' },
      // Back to verification: the corrected case is signed again and gets a new register number.
      from: ['signed', 'delivered', 'pickup', 'received'], to: 'entered', roles: ['head_of_office'], input: reason,
    },
  },
};
