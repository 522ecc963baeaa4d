/**
 * RETAS documents through the shared documents module (worker/documents/): the memo (nota dinas) generated from the
 * proposal, the assignment letter (surat tugas) signed with the office's TTE and carrying a verification QR, and the
 * event report. The letter is issued once per case (idempotent like the birth certificate's issue): a retry after a
 * failed signature service finishes the job, a second signer finds the first letter.
 */
import { encodeQr } from '../../schema/ktp/qr';
import { serviceMinutesBetween, type ServiceHours } from '../../schema/service-time';
import type { RegistryMatch } from '../../schema/retas/roster';
import { RETAS_EQUIPMENT, retas } from '../../schema/workflows/retas';
import { sha256Hex } from '../birth/hash';
import { longDate } from '../birth/issue';
import type { CaseRow, StepRow } from '../db/cases';
import { findOffice } from '../db/offices';
import * as rdb from '../db/retas';
import { renderPdf } from '../documents/pdf';
import { documentSigner, type SignerIdentity } from '../documents/signer';
import { putDocument } from '../documents/store';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { signToken, verifyToken } from '../keys';

import { LETTER_AUDIENCE, LETTER_TYP } from '../../schema/retas/letter';
export { LETTER_AUDIENCE, LETTER_TYP };
/** A letter is checked during the event and for audits afterwards: the QR stays verifiable for two years. */
const LETTER_QR_TTL_SECONDS = 2 * 365 * 24 * 3600;
/** Versions above 25 smear on office printers; an ES256 token with the letter's facts fits well under it. */
const LETTER_QR_MAX_VERSION = 25;

import type { RetasEventData as EventData } from '../../schema/workflows/retas';
export type { EventData };

const EQUIPMENT_ID: Record<(typeof RETAS_EQUIPMENT)[number], string> = {
  mobile_unit: 'mobil pelayanan keliling',
  recording_kit: 'perangkat perekaman KTP-el',
  card_printer: 'printer kartu',
  generator: 'genset',
  network_modem: 'modem jaringan',
};
const equipmentText = (e: string[]) => (e.length ? e.map((x) => EQUIPMENT_ID[x as keyof typeof EQUIPMENT_ID] ?? x).join(', ') : '-');

export const eventData = (row: CaseRow) => JSON.parse(row.data_json) as EventData;
export const letterNo = (row: CaseRow) => `800/RETAS/${row.office_code}/${eventData(row).date.slice(0, 4)}/${row.id.slice(-8).toUpperCase()}`;

/** The memo of step 1, as the division sends it to the head of office. Not signed: the approval is the SOP action. */
export async function renderMemo(env: Env, row: CaseRow): Promise<Uint8Array> {
  const d = eventData(row);
  const office = await findOffice(env.DB, row.office_code);
  return renderPdf({
    title: `Nota Dinas Usulan RETAS ${d.schoolName}`,
    subject: `RETAS ${row.id}`,
    createdAt: new Date(row.created_at),
    blocks: [
      { text: `DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL ${(office?.name ?? row.office_code).toUpperCase()}`, size: 12, align: 'center' },
      { text: 'NOTA DINAS', size: 16, align: 'center', gap: 8 },
      { text: 'Kepada: Kepala Dinas\nDari: Kepala Bidang Pelayanan Pendaftaran Penduduk\nPerihal: Usulan Rekam KTP-el di Sekolah (RETAS)', gap: 16 },
      { text: `Dengan hormat, bersama ini kami usulkan pelaksanaan perekaman KTP-el di ${d.schoolName} (NPSN ${d.schoolNpsn}) pada ${longDate(d.date)} pukul ${d.startTime}–${d.endTime}.`, gap: 16 },
      { text: `Perkiraan jumlah siswa: ${d.expectedStudents}\nPetugas yang dibutuhkan: ${d.officersWanted}\nPeralatan: ${equipmentText(d.equipment)}${d.earlyMonths ? `\nSiswa yang berusia 17 tahun dalam ${d.earlyMonths} bulan sesudah tanggal perekaman ikut direkam.` : ''}`, gap: 8 },
      ...(d.notes ? [{ text: `Catatan: ${d.notes}`, gap: 8 }] : []),
      { text: 'Demikian disampaikan, mohon persetujuan Bapak/Ibu Kepala Dinas.', gap: 16 },
      { text: `${office?.name ?? row.office_code}, ${longDate(new Date(row.created_at).toISOString().slice(0, 10))}\nKepala Bidang Pelayanan Pendaftaran Penduduk`, gap: 24 },
    ],
  });
}

/** The facts a letter's QR carries, signed: what a school's teacher checks at the gate. */
interface LetterClaims {
  no: string;
  office: string;
  school: string;
  date: string;
  officers: string[];
}

export async function verifyLetterToken(env: Env, token: string, now = Date.now()): Promise<LetterClaims & { caseId: string }> {
  try {
    const p = await verifyToken(env, token, { typ: LETTER_TYP, audience: LETTER_AUDIENCE }, now);
    if (typeof p.sub !== 'string' || typeof p.no !== 'string' || !Array.isArray(p.officers)) throw new Error('claims');
    return { caseId: p.sub, no: p.no, office: String(p.office), school: String(p.school), date: String(p.date), officers: (p.officers as unknown[]).map(String) };
  } catch {
    throw new ApiError('retas_letter_invalid');
  }
}

/**
 * Renders, signs (TTE) and stores the assignment letter of a case whose letter was signed. Returns the stored row;
 * an existing letter is returned as it is.
 */
export async function issueLetter(env: Env, row: CaseRow, signerId: string, signer: SignerIdentity = {}, now = Date.now()): Promise<rdb.LetterRow> {
  const existing = await rdb.findLetter(env.DB, row.id);
  if (existing) return existing;
  const d = eventData(row);
  const office = await findOffice(env.DB, row.office_code);
  const officers = d.officers ?? [];
  const no = letterNo(row);
  const claims: LetterClaims = { no, office: office?.name ?? row.office_code, school: d.schoolName, date: d.date, officers: officers.map((o) => o.name) };
  const token = await signToken(env, { typ: LETTER_TYP, audience: LETTER_AUDIENCE, ttlSeconds: LETTER_QR_TTL_SECONDS, subject: row.id }, { ...claims }, now);
  const verifyUrl = `${env.PUBLIC_ORIGIN}/v/surat-tugas#t=${token}`;
  const symbol = encodeQr(new TextEncoder().encode(verifyUrl), LETTER_QR_MAX_VERSION);
  const pdf = await renderPdf({
    title: `Surat Tugas ${no}`,
    subject: no,
    createdAt: new Date(now),
    blocks: [
      { text: `DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL ${claims.office.toUpperCase()}`, size: 12, align: 'center' },
      { text: 'SURAT TUGAS', size: 16, align: 'center', gap: 8 },
      { text: `Nomor ${no}`, align: 'center', gap: 2 },
      { text: 'Kepala Dinas Kependudukan dan Pencatatan Sipil menugaskan kepada:', gap: 18 },
      ...officers.map((o, i) => ({ text: `${i + 1}. ${o.name}`, gap: i ? 0 : 6 })),
      { text: `untuk melaksanakan perekaman KTP-el (RETAS) di ${d.schoolName} (NPSN ${d.schoolNpsn}) pada ${longDate(d.date)} pukul ${d.startTime}–${d.endTime}, dengan peralatan: ${equipmentText(d.equipment)}.`, gap: 14 },
      { text: 'Setiap petugas menerima salinan surat tugas ini dan menandai penerimaannya di aplikasi Loket. Surat tugas ini dibawa dan ditunjukkan kepada pihak sekolah.', gap: 10 },
      { text: `${claims.office}, ${longDate(new Date(now).toISOString().slice(0, 10))}\nKepala Dinas Kependudukan dan Pencatatan Sipil\nDitandatangani secara elektronik`, gap: 24 },
    ],
    qr: {
      symbol,
      caption: [
        'Dokumen ini ditandatangani secara elektronik. Pindai kode QR untuk memeriksa keaslian surat tugas ini dan nama petugasnya.',
        `Nomor ${no}. Halaman pemeriksaan: ${env.PUBLIC_ORIGIN}/v/surat-tugas`,
      ],
    },
  });
  const signed = await documentSigner(env).sign(pdf, signer);
  const sha = await sha256Hex(signed.pdf);
  const key = `documents/retas/${row.office_code}/${row.id}-${sha.slice(0, 16)}.pdf`;
  const { sha256 } = await putDocument(env, key, signed.pdf, { letterNo: no, provider: signed.provider, ...(signed.detachedSignature ? { signature: signed.detachedSignature } : {}) });
  const letter: rdb.LetterRow = { case_id: row.id, office_code: row.office_code, letter_no: no, signed_by: signerId, signed_at: now, r2_key: key, pdf_sha256: sha256, provider: signed.provider, verify_url: verifyUrl };
  await rdb.insertLetterIfNew(env.DB, letter).run();
  // A racing issuer may have written first: the stored row is the letter.
  return (await rdb.findLetter(env.DB, row.id))!;
}

export const STATUS_LABEL_ID: Record<string, string> = { recorded: 'Terekam', absent: 'Tidak hadir', refused: 'Menolak', problem: 'Bermasalah' };

export interface StepTime {
  state: string;
  label: string;
  /** Service minutes spent (office hours only), up to now for the current step. */
  minutes: number;
  standardMinutes: number;
  overrun: boolean;
}

export interface ReportFacts {
  row: CaseRow;
  students: rdb.StudentRow[];
  conflicts: rdb.ConflictRow[];
  officerNames: Map<string, string>;
  steps: StepTime[];
  /** student_key → the student against the registry (worker/retas/match.ts). */
  matches: Map<string, RegistryMatch>;
}

/** Students the office must still match against the registry (no NIK, unknown NIK, or other name/birth date). */
export const unmatched = (f: Pick<ReportFacts, 'students' | 'matches'>) => f.students.filter((s) => f.matches.get(s.student_key) !== 'matched');
export const MATCH_LABEL_ID: Record<RegistryMatch, string> = { matched: 'cocok', differs: 'data berbeda', not_found: 'NIK tidak ditemukan', no_nik: 'tanpa NIK' };

/** Seed 001 RETAS step 5: 5 minutes per student. */
export const MINUTES_PER_STUDENT = 5;

/**
 * Each timed step of the case (the SOP table's standard minutes) against the service time it really took: from the
 * step that entered the state to the one that left it (or now), counted in the office's hours.
 */
export function stepTimes(steps: readonly StepRow[], hours: ServiceHours | null, now: number): StepTime[] {
  const out: StepTime[] = [];
  steps.forEach((s, i) => {
    const standard = retas.states[s.to_state as keyof typeof retas.states]?.standardMinutes;
    if (standard === undefined) return;
    const left = steps[i + 1]?.at ?? now;
    const minutes = hours ? serviceMinutesBetween(hours, s.at, left) : Math.round((left - s.at) / 60_000);
    out.push({ state: s.to_state, label: retas.states[s.to_state as keyof typeof retas.states].label.id, minutes, standardMinutes: standard, overrun: minutes > standard });
  });
  return out;
}

/** The recording itself: first to last status of the day against 5 minutes per student marked. */
export function recordingTime(students: readonly rdb.StudentRow[]): { minutes: number; standardMinutes: number } | null {
  if (!students.length) return null;
  const times = students.map((s) => s.marked_at);
  return { minutes: Math.round((Math.max(...times) - Math.min(...times)) / 60_000), standardMinutes: students.length * MINUTES_PER_STUDENT };
}

export function reportCounts(students: readonly rdb.StudentRow[]): Record<'recorded' | 'absent' | 'refused' | 'problem', number> {
  const counts = { recorded: 0, absent: 0, refused: 0, problem: 0 };
  for (const s of students) if (s.status in counts) counts[s.status as keyof typeof counts]++;
  return counts;
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote always; a leading = + - @ is neutralised so a spreadsheet never runs a student's name as a formula.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** Counts by status first, then one line per student (follow-up needed: absent, refused, problem), then conflicts. */
export function reportCsv(f: ReportFacts, zoneOffsetMinutes: number): string {
  const d = eventData(f.row);
  const counts = reportCounts(f.students);
  const time = (ms: number) => new Date(ms + zoneOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  const lines: unknown[][] = [
    ['sekolah', d.schoolName], ['npsn', d.schoolNpsn], ['tanggal', d.date],
    ['status', 'jumlah'], ...Object.entries(counts).map(([k, n]) => [k, n]), ['konflik', f.conflicts.length], ['belum_cocok_registri', unmatched(f).length],
    [],
    ['tahap', 'menit_baku', 'menit_nyata', 'lewat_waktu'],
    // Whole minutes, as the standard is written (the overrun is judged on the exact figure).
    ...f.steps.map((st) => [st.state, st.standardMinutes, Math.round(st.minutes), st.overrun ? 'ya' : '']),
    ...(() => { const r = recordingTime(f.students); return r ? [['perekaman', r.standardMinutes, Math.round(r.minutes), r.minutes > r.standardMinutes ? 'ya' : '']] : []; })(),
    [],
    ['nama', 'nisn', 'tanggal_lahir', 'kelas', 'status', 'catatan', 'waktu', 'petugas', 'registri', 'tindak_lanjut'],
    ...f.students.map((s) => {
      const match = f.matches.get(s.student_key) ?? 'no_nik';
      return [s.name, s.nisn, s.birth_date, s.class_name, s.status, s.note, time(s.marked_at), f.officerNames.get(s.officer_id) ?? s.officer_id, match, s.status === 'recorded' && match === 'matched' ? '' : 'ya'];
    }),
  ];
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function renderReport(env: Env, f: ReportFacts, zoneOffsetMinutes: number, now = Date.now()): Promise<Uint8Array> {
  const d = eventData(f.row);
  const counts = reportCounts(f.students);
  const followUp = f.students.filter((s) => s.status !== 'recorded');
  const toMatch = unmatched(f);
  const time = (ms: number) => new Date(ms + zoneOffsetMinutes * 60_000).toISOString().slice(11, 16);
  const office = await findOffice(env.DB, f.row.office_code);
  return renderPdf({
    title: `Laporan RETAS ${d.schoolName} ${d.date}`,
    subject: letterNo(f.row),
    createdAt: new Date(now),
    blocks: [
      { text: `DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL ${(office?.name ?? f.row.office_code).toUpperCase()}`, size: 12, align: 'center' },
      { text: 'DRAF LAPORAN RETAS', size: 16, align: 'center', gap: 8 },
      { text: `${d.schoolName} (NPSN ${d.schoolNpsn}), ${longDate(d.date)} pukul ${d.startTime}–${d.endTime}`, align: 'center', gap: 2 },
      { text: `Petugas: ${(d.officers ?? []).map((o) => o.name).join(', ') || '-'}`, gap: 16 },
      { text: `Terekam: ${counts.recorded}\nTidak hadir: ${counts.absent}\nMenolak: ${counts.refused}\nBermasalah: ${counts.problem}\nJumlah siswa dicatat: ${f.students.length} (perkiraan ${d.expectedStudents})\nKonflik antar-tablet yang perlu diperiksa: ${f.conflicts.length}`, gap: 10 },
      { text: 'Waktu tiap tahap (menit jam layanan; baku / nyata):', gap: 14 },
      ...f.steps.map((st) => ({ text: `${st.label}: ${st.standardMinutes} / ${Math.round(st.minutes)}${st.overrun ? ' – LEWAT WAKTU' : ''}`, size: 9 })),
      ...(() => { const r = recordingTime(f.students); return r ? [{ text: `Perekaman (5 menit per siswa): ${r.standardMinutes} / ${r.minutes}${r.minutes > r.standardMinutes ? ' – LEWAT WAKTU' : ''}`, size: 9 }] : []; })(),
      { text: 'Siswa yang perlu ditindaklanjuti:', gap: 14 },
      ...(followUp.length
        ? followUp.slice(0, 40).map((s) => ({ text: `${s.name}${s.class_name ? ` (${s.class_name})` : ''}: ${STATUS_LABEL_ID[s.status] ?? s.status}${s.note ? ` – ${s.note}` : ''}, ${time(s.marked_at)}`, size: 9 }))
        : [{ text: '-', size: 9 }]),
      ...(followUp.length > 40 ? [{ text: `… dan ${followUp.length - 40} siswa lain (lihat berkas CSV).`, size: 9 }] : []),
      { text: `Siswa yang belum cocok dengan data kependudukan (dicocokkan kemudian): ${toMatch.length}`, gap: 14 },
      ...toMatch.slice(0, 40).map((s) => ({ text: `${s.name}${s.class_name ? ` (${s.class_name})` : ''}, lahir ${s.birth_date}: ${MATCH_LABEL_ID[f.matches.get(s.student_key) ?? 'no_nik']}`, size: 9 })),
      ...(toMatch.length > 40 ? [{ text: `… dan ${toMatch.length - 40} siswa lain (lihat berkas CSV).`, size: 9 }] : []),
    ],
  });
}
