/**
 * RETAS, e-KTP recording at schools (seed 001, first SOP, Kota Jambi 2024): proposal memo → head of office approves
 * or sends it back with a reason (the seed's "TIDAK") → assignment letter (surat tugas) forwarded and signed →
 * officers and equipment confirmed, event published → recording on site → draft RETAS report.
 */
import { z } from 'zod';
import type { WorkflowDef } from './types';
import { SignGrantInput } from '../sign-grant';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Tanggal YYYY-MM-DD / date as YYYY-MM-DD');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Jam HH:MM / time as HH:MM');
const reason = z.string().trim().min(3).max(500);

/** What the recording team may bring (seed 001 RETAS "Peralatan": the mobile service car with recording kit). */
export const RETAS_EQUIPMENT = ['mobile_unit', 'recording_kit', 'card_printer', 'generator', 'network_modem'] as const;

const proposalFields = {
  /** The school's national number (NPSN, 8 digits) and name as the office keeps them. */
  schoolNpsn: z.string().regex(/^\d{8}$/, 'NPSN harus 8 digit / NPSN must be 8 digits'),
  schoolName: z.string().trim().min(3).max(120),
  date: day,
  startTime: time,
  endTime: time,
  expectedStudents: z.number().int().min(1).max(2000),
  officersWanted: z.number().int().min(1).max(20),
  equipment: z.array(z.enum(RETAS_EQUIPMENT)).max(RETAS_EQUIPMENT.length),
  notes: z.string().trim().max(500).optional(),
  // The early-recording period is the office's setting (GET/PATCH /api/offices/{code}): the proposal's hook copies it
  // into the case (`earlyMonths`), so an event keeps the rule it was proposed and approved under.
};

const endAfterStart = (p: { startTime?: string; endTime?: string }) => !p.startTime || !p.endTime || p.startTime < p.endTime;
const endAfterStartMessage = { message: 'Jam selesai harus setelah jam mulai / end time must be after start time', path: ['endTime'] };

/** Step 1: the division's proposal, from which the memo (Nota Dinas Usulan RETAS) is generated. */
export const RetasProposeInput = z.strictObject(proposalFields).refine(endAfterStart, endAfterStartMessage);
/** A returned proposal revised: only the fields that change (times together, so they stay in order). */
export const RetasReviseInput = z.strictObject(proposalFields).partial().refine(endAfterStart, endAfterStartMessage);

const staffIds = z.array(z.string().min(1).max(64)).min(1).max(20).refine((ids) => new Set(ids).size === ids.length, 'Petugas ganda / officer listed twice');

export const RetasReportInput = z.strictObject({
  recorded: z.number().int().min(0).max(5000),
  absent: z.number().int().min(0).max(5000),
  refused: z.number().int().min(0).max(5000),
  problem: z.number().int().min(0).max(5000),
  notes: z.string().trim().max(2000).optional(),
});

export const retasStates = ['proposed', 'returned', 'approved', 'letter_drafted', 'letter_signed', 'published', 'recording', 'reported', 'cancelled'] as const;
export type RetasState = (typeof retasStates)[number];
export type RetasAction =
  | 'propose' | 'approve' | 'return_proposal' | 'revise' | 'forward_letter' | 'return_letter' | 'sign_letter'
  | 'confirm_ready' | 'start_recording' | 'submit_report' | 'cancel';

const none = z.strictObject({});
const OPEN: readonly RetasState[] = ['proposed', 'returned', 'approved', 'letter_drafted', 'letter_signed', 'published'];

export const retas: WorkflowDef<RetasState, RetasAction> = {
  service: 'retas',
  title: { id: 'RETAS: perekaman KTP-el di sekolah', en: 'RETAS: e-KTP recording at schools' },
  source: 'seed 001, SOP Rekam Identitas KTP Elektronik di Sekolah (RETAS) Kota Jambi 2024',
  initial: 'proposed',
  states: {
    proposed: { label: { id: 'Nota dinas usulan menunggu persetujuan', en: 'Proposal awaiting approval' }, standardMinutes: 15, actor: ['head_of_office'] },
    returned: { label: { id: 'Usulan dikembalikan ke bidang', en: 'Proposal returned to the division' }, actor: ['head_of_division'] },
    // The seed gives step 3 10–15 min; it has two hands (the division forwards, the head signs), each counted here.
    approved: { label: { id: 'Disetujui, draf surat tugas disiapkan', en: 'Approved, assignment letter being drafted' }, standardMinutes: 15, actor: ['head_of_division'] },
    letter_drafted: { label: { id: 'Draf surat tugas menunggu tanda tangan', en: 'Assignment letter awaiting signature' }, standardMinutes: 15, actor: ['head_of_office'] },
    letter_signed: { label: { id: 'Surat tugas ditandatangani, petugas disiapkan', en: 'Letter signed, officers being prepared' }, standardMinutes: 15, actor: ['head_of_division'] },
    published: { label: { id: 'Terjadwal dan diumumkan', en: 'Scheduled and published' }, actor: ['field_officer'] },
    recording: { label: { id: 'Perekaman di sekolah berlangsung', en: 'Recording at the school' }, actor: ['field_officer'] },
    reported: { label: { id: 'Draf laporan RETAS selesai', en: 'Draft RETAS report done' }, final: true },
    cancelled: { label: { id: 'Dibatalkan', en: 'Cancelled' }, final: true },
  },
  actions: {
    propose: {
      label: { id: 'Usulkan RETAS (nota dinas)', en: 'Propose RETAS (memo)' },
      from: null, to: 'proposed', roles: ['head_of_division'], input: RetasProposeInput,
      sopStep: 'seed 001 RETAS step 1 (10 min): Nota Dinas Usulan RETAS',
    },
    approve: {
      label: { id: 'Setujui usulan', en: 'Approve the proposal' },
      from: ['proposed'], to: 'approved', roles: ['head_of_office'], input: z.strictObject({ approvalNote: z.string().trim().max(500).optional() }),
      sopStep: 'seed 001 RETAS step 2 (10–15 min): Persetujuan pada Nota Dinas RETAS',
    },
    return_proposal: {
      label: { id: 'Kembalikan usulan (TIDAK)', en: 'Send the proposal back (NO)' },
      from: ['proposed'], to: 'returned', roles: ['head_of_office'], input: z.strictObject({ returnReason: reason }),
      sopStep: 'seed 001 RETAS step 2, "TIDAK"',
    },
    revise: {
      label: { id: 'Perbaiki dan ajukan ulang', en: 'Revise and resubmit' },
      from: ['returned'], to: 'proposed', roles: ['head_of_division'], input: RetasReviseInput,
    },
    forward_letter: {
      label: { id: 'Teruskan draf surat tugas', en: 'Forward the assignment letter draft' },
      from: ['approved'], to: 'letter_drafted', roles: ['head_of_division'], input: z.strictObject({ officerIds: staffIds }),
      sopStep: 'seed 001 RETAS step 3 (10–15 min): Draft Surat Tugas',
    },
    return_letter: {
      label: { id: 'Kembalikan draf surat tugas', en: 'Send the letter draft back' },
      from: ['letter_drafted'], to: 'approved', roles: ['head_of_office'], input: z.strictObject({ returnReason: reason }),
    },
    sign_letter: {
      label: { id: 'Tandatangani surat tugas', en: 'Sign the assignment letter' },
      from: ['letter_drafted'], to: 'letter_signed', roles: ['head_of_office'], input: SignGrantInput,
      sopStep: 'seed 001 RETAS step 3: Surat Tugas',
    },
    confirm_ready: {
      label: { id: 'Petugas dan perlengkapan siap, umumkan', en: 'Officers and equipment ready, publish' },
      from: ['letter_signed'], to: 'published', roles: ['head_of_division'],
      input: z.strictObject({ officersConfirmed: z.literal(true), equipmentConfirmed: z.literal(true) }),
      sopStep: 'seed 001 RETAS step 4 (15 min): Tanda Terima Salinan Surat Tugas',
    },
    start_recording: {
      label: { id: 'Mulai perekaman di sekolah', en: 'Start recording at the school' },
      from: ['published'], to: 'recording', roles: ['field_officer'], input: none,
      sopStep: 'seed 001 RETAS step 5',
    },
    submit_report: {
      label: { id: 'Kirim draf laporan RETAS', en: 'Submit the draft RETAS report' },
      from: ['recording'], to: 'reported', roles: ['field_officer'], input: RetasReportInput,
      sopStep: 'seed 001 RETAS step 5 (5 min per student): Draft Laporan RETAS',
    },
    cancel: {
      label: { id: 'Batalkan RETAS', en: 'Cancel RETAS' },
      from: OPEN, to: 'cancelled', roles: ['head_of_office'], input: z.strictObject({ cancelReason: reason }),
    },
  },
};

/** A RETAS case's data as the SOP's inputs leave it (what the screens and the letter PDF read). */
export interface RetasEventData {
  schoolNpsn: string;
  schoolName: string;
  schoolDistrict?: string;
  date: string;
  startTime: string;
  endTime: string;
  expectedStudents: number;
  officersWanted: number;
  equipment: string[];
  notes?: string;
  /** The office's period when proposed (or revised): months before the 17th birthday students are recorded in. */
  earlyMonths?: number;
  officerIds?: string[];
  officers?: { id: string; name: string }[];
  returnReason?: string;
}
