/** The IKD texts the app shell shows (tabs, home tiles, sign-in links) and the IKD problem sentences: always loaded. */
import type { ProblemCode } from '../../../../schema/problems';

export const ikdShellId = {
  'nav.ikd': 'IKD',
  'nav.ikdQueue': 'Antrean IKD',
  'task.ikd_operator': 'Antrean aktivasi IKD hari ini: verifikasi, scan QR perangkat, validasi atau tolak; reset PIN dan blokir perangkat.',
  'task.ikd_view': 'Melihat antrean aktivasi IKD kantor Anda.',
  'auth.residentLink': 'Pemohon IKD? Daftar, aktivasi, atau masuk di sini.',
  'ikd.title': 'Identitas Kependudukan Digital (IKD)',
  // The IKD entry page's own texts (features/ikd/IkdHome.tsx): it shows them before the IKD dictionary loads.
  'ikd.lead': 'Aktivasi IKD di ponsel Anda: daftar, verifikasi di loket atau lewat video call, lalu aktifkan dengan tautan dan PIN dari email.',
  'ikd.requirements': 'Syarat: berusia 17 tahun atau sudah/pernah menikah, KTP-el sudah direkam, ponsel pintar, nomor HP dan email aktif.',
  'ikd.register': 'Daftar IKD',
  'ikd.form.route': 'Cara verifikasi',
  'ikd.route.counter': 'Datang ke loket',
  'ikd.route.video': 'Video call dengan petugas',
  'ikd.resume': 'Lanjutkan permohonan',
  'ikd.resumeLead': 'Untuk permohonan yang belum aktif: cocokkan data Anda lagi untuk melanjutkan di ponsel ini.',
  'ikd.signIn': 'Masuk dengan PIN',
  'ikd.signin.lead': 'Masuk di ponsel yang terikat dengan NIK dan PIN Anda.',
  'ikd.staffLink': 'Petugas? Masuk dengan akun staf.',
} as const;

/** Readable sentences for the IKD problem codes (schema/problems.ts). */
export const ikdIdProblems: Partial<Record<ProblemCode, string>> = {
  identity_mismatch: 'Data tidak cocok dengan database kependudukan.',
  not_eligible: 'Belum memenuhi syarat IKD.',
  ikd_case_open: 'Sudah ada permohonan IKD yang berjalan untuk NIK ini.',
  ikd_not_active: 'IKD belum aktif.',
  assurance_insufficient: 'Masuk dengan PIN di ponsel terikat dulu.',
  activation_link_invalid: 'Tautan aktivasi tidak sah.',
  activation_link_used: 'Tautan aktivasi sudah dipakai.',
  activation_link_expired: 'Tautan aktivasi sudah kedaluwarsa.',
  activation_link_dead: 'Tautan aktivasi tidak berlaku lagi setelah 5 kali PIN salah.',
  activation_link_revoked: 'Tautan ini sudah diganti yang lebih baru; pakai email terakhir.',
  pin_wrong: 'PIN salah.',
  pin_locked: 'Terlalu banyak PIN salah; dikunci sementara.',
  pin_weak: 'PIN terlalu mudah ditebak.',
  challenge_invalid: 'Sesi masuk kedaluwarsa; coba lagi.',
  device_key_invalid: 'Kunci perangkat tidak sah.',
  device_signature_invalid: 'Tanda tangan perangkat tidak sah.',
  device_not_bound: 'Ponsel ini tidak terikat ke IKD Anda.',
  device_blocked: 'Ponsel ini diblokir (dilaporkan hilang).',
  device_in_use: 'Kunci perangkat ini sudah terdaftar, atau sudah ada perangkat terikat.',
  binding_nonce_invalid: 'QR pengikatan tidak sah untuk permohonan ini.',
  binding_nonce_expired: 'QR pengikatan sudah dipakai atau kedaluwarsa; buat yang baru.',
  slot_not_found: 'Jadwal tidak ditemukan.',
  slot_full: 'Jadwal ini sudah penuh; pilih yang lain.',
  slot_unavailable: 'Jadwal ini tidak dapat dipesan lagi.',
  slot_outside_hours: 'Jadwal harus di dalam jam layanan kantor.',
  slot_overlap: 'Anda sudah punya jadwal pada jam itu.',
  slot_booked: 'Jadwal sudah dipesan pemohon; tidak bisa dibatalkan.',
};

