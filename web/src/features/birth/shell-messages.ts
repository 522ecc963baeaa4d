/** The birth-certificate texts the app shell shows (its tab) and the birth problem sentences: always loaded. */
import type { ProblemCode } from '../../../../schema/problems';

export const birthShellId = {
  'nav.birth': 'Akta kelahiran',
} as const;

export const birthShellEn: Record<keyof typeof birthShellId, string> = {
  'nav.birth': 'Birth certificates',
};

export const birthIdProblems: Partial<Record<ProblemCode, string>> = {
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
};

export const birthEnProblems: Partial<Record<ProblemCode, string>> = {
  partner_not_found: 'Partner not found.',
  partner_name_taken: 'That partner name is already used.',
  birth_attachments_pending: 'Some attachments have not been uploaded yet.',
  birth_requirements_missing: 'Required documents are missing.',
  attachment_not_found: 'Attachment not found (its file may not have been sent yet).',
  attachment_id_taken: 'Attachment number already used.',
  attachment_type_refused: 'The file is not a JPEG, PNG, WebP photo or a PDF.',
  attachment_too_large: 'File too large (at most 5 MB).',
  attachment_mismatch: 'The file differs from the one recorded in the application.',
  reauth_required: 'Enter your password again to sign.',
  current_password_wrong: 'Wrong password.',
  certificate_not_found: 'Certificate not found.',
  certificate_not_ready: 'The certificate document is not ready yet.',
  document_link_invalid: 'Download link not valid or expired.',
  signature_service_failed: 'The electronic signature service failed to sign.',
};
