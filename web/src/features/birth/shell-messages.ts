/** The birth-certificate texts the app shell shows (its tab) and the birth problem sentences: always loaded. */
import type { ProblemCode } from '../../../../schema/problems';

export const birthShellId = {
  'nav.birth': 'Akta kelahiran',
} as const;

/** A code the device itself sets (no server problem): the server had swept the parts of a file this device was sending. */
export type BirthUiProblemCode = 'upload_restarted';

export const birthIdProblems: Partial<Record<ProblemCode | BirthUiProblemCode, string>> = {
  partner_not_found: 'Mitra tidak ditemukan.',
  partner_name_taken: 'Nama mitra sudah dipakai.',
  birth_attachments_pending: 'Masih ada lampiran yang belum terunggah.',
  birth_requirements_missing: 'Persyaratan wajib belum lengkap.',
  attachment_not_found: 'Lampiran tidak ditemukan (mungkin berkasnya belum terkirim).',
  attachment_id_taken: 'Nomor lampiran sudah dipakai.',
  attachment_type_refused: 'Isi berkas bukan foto JPEG, PNG, WebP atau PDF.',
  attachment_too_large: 'Berkas terlalu besar (maksimal 5 MB).',
  attachment_mismatch: 'Berkas berbeda dari yang dicatat di permohonan.',
  reauth_required: 'Masukkan kata sandi lagi untuk menandatangani.',
  current_password_wrong: 'Kata sandi salah.',
  certificate_not_found: 'Akta tidak ditemukan.',
  certificate_not_ready: 'Dokumen akta belum siap.',
  document_link_invalid: 'Tautan unduhan tidak sah atau sudah kedaluwarsa.',
  signature_service_failed: 'Layanan tanda tangan elektronik gagal menandatangani.',
  // Chunked upload (issue 10)
  upload_part_invalid: 'Bagian berkas tidak sesuai; berkas dikirim ulang dari awal.',
  upload_parts_missing: 'Sebagian berkas belum sampai; pengiriman dilanjutkan.',
  // Abandoned chunked uploads swept (issue 10)
  upload_restarted: 'Bagian berkas yang terkirim sudah dihapus server karena lebih dari 7 hari tidak dilanjutkan; berkas dikirim ulang dari awal.',
};

