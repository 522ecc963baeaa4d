/** The complaint texts the app shell shows (tabs, the sign-in page's link) and the complaint/IKM problem sentences: always loaded. */
import type { ProblemCode } from '../../../../schema/problems';

export const aduanShellId = {
  'nav.aduan': 'Aduan',
  'nav.dashboard': 'Dasbor',
  'aduan.publicLink': 'Ada keluhan atau saran? Sampaikan aduan di sini (tanpa akun).',
} as const;

export const aduanShellEn: Record<keyof typeof aduanShellId, string> = {
  'nav.aduan': 'Complaints',
  'nav.dashboard': 'Dashboard',
  'aduan.publicLink': 'A complaint or suggestion? File it here (no account).',
};

export const aduanIdProblems: Partial<Record<ProblemCode, string>> = {
  aduan_duplicate_source: 'Pesan atau laporan ini sudah tercatat sebagai aduan.',
  aduan_not_assignee: 'Tahap ini dikerjakan oleh petugas yang ditugaskan.',
  aduan_assignee_invalid: 'Petugas tersebut bukan pengelola aduan aktif di kantor ini.',
  aduan_merge_target: 'Nomor tiket tujuan tidak ada atau sudah ditutup.',
  aduan_reopen_closed: 'Batas waktu membuka kembali aduan sudah lewat.',
  aduan_tracking_unknown: 'Kode lacak tidak dikenal. Periksa lagi kodenya.',
  aduan_storage_missing: 'Penyimpanan berkas belum dipasang.',
  attachment_too_large: 'Lampiran terlalu besar.',
  attachment_type: 'Jenis lampiran tidak diterima.',
  webhook_signature_invalid: 'Tanda tangan webhook salah.',
  webhook_verify_failed: 'Token verifikasi webhook salah.',
  webhook_not_configured: 'Webhook belum dikonfigurasi.',
  import_invalid: 'Berkas impor tidak dapat dibaca.',
  ikm_invitation_invalid: 'Undangan survei tidak dikenal atau kedaluwarsa.',
  ikm_invitation_used: 'Survei ini sudah diisi. Terima kasih.',
  ikm_kiosk_invalid: 'Kios survei tidak terdaftar atau sudah ditutup.',
};

export const aduanEnProblems: Partial<Record<ProblemCode, string>> = {
  aduan_duplicate_source: 'This message or report was already filed as a complaint.',
  aduan_not_assignee: 'This stage belongs to the assigned handler.',
  aduan_assignee_invalid: 'That person is not an active complaint handler of this office.',
  aduan_merge_target: 'The target ticket does not exist or is closed.',
  aduan_reopen_closed: 'The period to reopen this complaint is over.',
  aduan_tracking_unknown: 'Unknown tracking code. Please check it.',
  aduan_storage_missing: 'File storage is not set up.',
  attachment_too_large: 'Attachment too large.',
  attachment_type: 'Attachment type not accepted.',
  webhook_signature_invalid: 'Wrong webhook signature.',
  webhook_verify_failed: 'Wrong webhook verification token.',
  webhook_not_configured: 'Webhook not configured.',
  import_invalid: 'The import file could not be read.',
  ikm_invitation_invalid: 'Unknown or expired survey invitation.',
  ikm_invitation_used: 'This survey was already answered. Thank you.',
  ikm_kiosk_invalid: 'Survey kiosk not registered or closed.',
};
