/** The RETAS texts the app shell shows (its tab) and the RETAS problem sentences: always loaded. */
import type { ProblemCode } from '../../../../schema/problems';

export const retasShellId = {
  'nav.retas': 'RETAS',
} as const;

export const retasIdProblems: Partial<Record<ProblemCode, string>> = {
  retas_officer_invalid: 'Ada petugas yang bukan petugas RETAS aktif kantor ini.',
  retas_not_ready: 'Surat tugas belum terbit atau belum semua petugas menerima salinannya.',
  retas_not_assigned: 'Anda tidak tercantum pada surat tugas kegiatan ini.',
  retas_not_recording: 'Kegiatan RETAS ini tidak sedang dibuka untuk perekaman.',
  retas_letter_invalid: 'Surat tugas ini tidak asli (dipalsukan, diubah, atau tidak terbaca).',
  student_not_eligible: 'Siswa belum cukup umur untuk direkam pada tanggal ini.',
  retas_early_months_invalid: 'Periode rekam lebih awal RETAS harus 0 sampai 12 bulan penuh.',
};
