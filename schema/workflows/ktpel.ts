/** KTP-el card issuance at the counter (seed 001, "SOP Penerbitan KTP-el"): 40 minutes in five steps. */
import { z } from 'zod';
import type { WorkflowDef } from './types';

const nik = z.string().regex(/^\d{16}$/, 'NIK harus 16 digit / NIK must be 16 digits');

export const KtpelSubmitInput = z.strictObject({
  nik,
  reason: z.enum(['baru', 'hilang', 'rusak', 'perubahan_data']),
  channel: z.enum(['counter', 'online']),
  phone: z.string().regex(/^(\+62|62|0)8\d{7,12}$/, 'Nomor HP tidak valid / invalid phone number').optional(),
  notes: z.string().max(500).optional(),
});
export type KtpelSubmitInput = z.infer<typeof KtpelSubmitInput>;

const none = z.strictObject({});
// Named returnReason, not reason: action inputs merge into the case data, where `reason` is the application's reason.
const returnText = z.strictObject({ returnReason: z.string().trim().min(3).max(500) });

export const ktpelStates = ['submitted', 'returned', 'accepted', 'printing', 'ready', 'collected'] as const;
export type KtpelState = (typeof ktpelStates)[number];
export type KtpelAction = 'submit' | 'return_incomplete' | 'resubmit' | 'accept' | 'record_input' | 'spoil_blank' | 'hand_to_fo' | 'collect';

/** Blank serials as printed on the card stock; stored upper-case so "blk-0001" and "BLK-0001" are one blank. */
export const blankSerial = z.string().trim().min(4).max(32).regex(/^[A-Za-z0-9-]+$/, 'Nomor seri: huruf, angka, tanda hubung / serial: letters, digits, hyphens').transform((s) => s.toUpperCase());

/** Why a blank was spoiled (blanks are controlled stock: each one is accounted for). */
export const SPOIL_REASONS = ['misprint', 'chip_failure', 'card_damaged', 'printer_jam', 'other'] as const;
export const KtpelSpoilInput = z.strictObject({
  spoiledSerial: blankSerial,
  spoilReason: z.enum(SPOIL_REASONS),
  spoilNote: z.string().trim().max(200).optional(),
});
export const KtpelHandToFoInput = z.strictObject({ blankoSerial: blankSerial });
/** How the front office checked the resident at hand-over: the receipt QR scanned, or identity checked at the counter. */
export const KtpelCollectInput = z.strictObject({ via: z.enum(['receipt_scan', 'counter_check']).optional() });

export const ktpel: WorkflowDef<KtpelState, KtpelAction> = {
  service: 'ktpel',
  title: { id: 'Penerbitan KTP-el', en: 'KTP-el card issuance' },
  source: 'seed 001, SOP Penerbitan KTP-el (Disdukcapil Kota Jambi, PD.06.00/62.8/2024)',
  initial: 'submitted',
  states: {
    submitted: { label: { id: 'Berkas diajukan', en: 'Submitted' }, standardMinutes: 15, actor: ['front_office'] },
    returned: { label: { id: 'Berkas dikembalikan (tidak lengkap)', en: 'Returned (incomplete)' }, actor: ['front_office', 'resident'] },
    accepted: { label: { id: 'Berkas lengkap, resi diberikan', en: 'Accepted, receipt given' }, standardMinutes: 10, actor: ['operator'] },
    printing: { label: { id: 'Data diinput, KTP-el dicetak', en: 'Data entered, card printing' }, standardMinutes: 5, actor: ['operator'] },
    ready: { label: { id: 'KTP-el siap diambil di loket', en: 'Card ready at the counter' }, standardMinutes: 5, actor: ['front_office'] },
    collected: { label: { id: 'KTP-el diterima pemohon', en: 'Card collected' }, final: true },
  },
  actions: {
    submit: {
      label: { id: 'Ajukan permohonan', en: 'Submit application' },
      from: null, to: 'submitted', roles: ['front_office', 'resident'], input: KtpelSubmitInput,
      sopStep: 'seed 001 KTP-el step 1 (5 min)',
    },
    return_incomplete: {
      label: { id: 'Kembalikan: berkas tidak lengkap', en: 'Return: incomplete' },
      from: ['submitted'], to: 'returned', roles: ['front_office'], input: returnText,
      notifyResident: {
        subject: { id: 'Berkas KTP-el perlu dilengkapi', en: 'Your KTP-el application is incomplete' },
        body: { id: 'Berkas permohonan KTP-el Anda belum lengkap: {returnReason}. Silakan lengkapi di loket.', en: 'Your KTP-el application is incomplete: {returnReason}. Please complete it at the counter.' },
      },
      sopStep: 'seed 001 KTP-el step 2',
    },
    resubmit: {
      label: { id: 'Ajukan ulang', en: 'Resubmit' },
      from: ['returned'], to: 'submitted', roles: ['front_office', 'resident'], input: none,
    },
    accept: {
      label: { id: 'Berkas lengkap, beri resi', en: 'Accept, give receipt' },
      from: ['submitted'], to: 'accepted', roles: ['front_office'], input: none,
      notifyResident: {
        subject: { id: 'Resi permohonan KTP-el', en: 'KTP-el application receipt' },
        body: { id: 'Berkas KTP-el Anda lengkap dan diteruskan ke operator. Nomor resi: {caseId}.', en: 'Your KTP-el application is complete and forwarded to the operator. Receipt number: {caseId}.' },
      },
      sopStep: 'seed 001 KTP-el step 2 (15 min): receipt with QR code',
    },
    record_input: {
      label: { id: 'Input data untuk cetak', en: 'Enter data for printing' },
      from: ['accepted'], to: 'printing', roles: ['operator'], input: none,
      sopStep: 'seed 001 KTP-el step 3 (10 min)',
    },
    spoil_blank: {
      // The card stays in the print batch; the spoiled blank is counted against the office's stock.
      label: { id: 'Blanko rusak, cetak ulang', en: 'Blank spoiled, reprint' },
      from: ['printing'], to: 'printing', roles: ['operator'], input: KtpelSpoilInput,
      sopStep: 'seed 001 KTP-el step 4: blanko KTP-el (controlled stock)',
    },
    hand_to_fo: {
      label: { id: 'Tercetak, serahkan ke loket', en: 'Printed, hand to front office' },
      from: ['printing'], to: 'ready', roles: ['operator'],
      input: KtpelHandToFoInput,
      notifyResident: {
        subject: { id: 'KTP-el siap diambil', en: 'Your KTP-el is ready' },
        body: { id: 'KTP-el Anda sudah dicetak dan siap diambil di loket Disdukcapil. Nomor resi: {caseId}.', en: 'Your KTP-el is printed and ready at the Disdukcapil counter. Receipt number: {caseId}.' },
      },
      sopStep: 'seed 001 KTP-el step 4 (5 min)',
    },
    collect: {
      label: { id: 'Serahkan kepada pemohon', en: 'Hand over to resident' },
      from: ['ready'], to: 'collected', roles: ['front_office'], input: KtpelCollectInput,
      sopStep: 'seed 001 KTP-el step 5 (5 min)',
    },
  },
};
