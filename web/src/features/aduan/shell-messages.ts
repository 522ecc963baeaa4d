/** The complaint texts the app shell shows (tabs, the sign-in page's link) and the complaint/IKM problem sentences: always loaded. */
import type { ProblemCode } from '../../../../schema/problems';

export const aduanShellId = {
  'nav.aduan': 'Aduan',
  'nav.dashboard': 'Dasbor',
  'aduan.publicLink': 'Ada keluhan atau saran? Sampaikan aduan di sini (tanpa akun).',
} as const;

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

