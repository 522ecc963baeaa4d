/**
 * Texts of the IKD messages to residents (email and WhatsApp), Indonesian first and English second, with times in
 * the office's zone. No protected data (NIK, KK, birth date) goes into a message.
 */
import { msToLocal, TIME_ZONE_LABELS, type TimeZone } from '../../schema/service-time';
import { toWhatsAppNumber } from '../notify/whatsapp';

const DAYS_ID = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const DAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS_ID = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * "Senin, 23 November 2026 pukul 09.00 WITA" and its English twin.
 * @example officeTime('Asia/Makassar', Date.parse('2026-11-23T01:00:00Z')).id // 'Senin, 23 November 2026 pukul 09.00 WITA'
 */
export function officeTime(tz: TimeZone, ms: number): { id: string; en: string } {
  const local = msToLocal(tz, ms);
  const [date, time] = local.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const zone = TIME_ZONE_LABELS[tz];
  return {
    id: `${DAYS_ID[weekday]}, ${d} ${MONTHS_ID[m - 1]} ${y} pukul ${time.replace(':', '.')} ${zone}`,
    en: `${DAYS_EN[weekday]} ${d} ${MONTHS_EN[m - 1]} ${y}, ${time} ${zone}`,
  };
}

/** https://wa.me/<number> of the office's WhatsApp line, or null when the office has none (or it is malformed). */
export function waLink(waNumber: string | null | undefined): string | null {
  const digits = waNumber ? toWhatsAppNumber(waNumber) : null;
  return digits ? `https://wa.me/${digits}` : null;
}

export interface Message {
  subject: string;
  body: string;
}

const join = (...lines: (string | null | false)[]) => lines.filter((l): l is string => typeof l === 'string').join('\n');

export function bookingConfirmed(p: { officeName: string; tz: TimeZone; startsAt: number; endsAt: number; wa: string | null; caseId: string }): Message {
  const at = officeTime(p.tz, p.startsAt);
  const minutes = Math.round((p.endsAt - p.startsAt) / 60_000);
  return {
    subject: 'Jadwal video call aktivasi IKD / IKD video-call booked',
    body: join(
      `Jadwal video call aktivasi IKD Anda dengan ${p.officeName}: ${at.id} (${minutes} menit).`,
      'Siapkan KTP-el, Kartu Keluarga, koneksi internet yang stabil, dan aplikasi Loket di ponsel Anda.',
      p.wa && `Petugas akan menghubungi Anda lewat WhatsApp video call dari nomor kantor: ${p.wa}`,
      `Nomor permohonan: ${p.caseId}`,
      '',
      `Your IKD activation video call with ${p.officeName}: ${at.en} (${minutes} minutes).`,
      'Have your KTP-el, family card (KK), a stable connection and the Loket app on your phone ready.',
      p.wa && `The officer will call you by WhatsApp video from the office number: ${p.wa}`,
    ),
  };
}

export function bookingReminder(p: { officeName: string; tz: TimeZone; startsAt: number; wa: string | null; lead: '24h' | '1h' }): Message {
  const at = officeTime(p.tz, p.startsAt);
  const when = p.lead === '24h' ? { id: 'besok', en: 'tomorrow' } : { id: 'satu jam lagi', en: 'in one hour' };
  return {
    subject: `Pengingat: video call IKD ${when.id} / Reminder: IKD video call ${when.en}`,
    body: join(
      `Pengingat: video call aktivasi IKD Anda dengan ${p.officeName} ${when.id}, ${at.id}.`,
      'Siapkan KTP-el, Kartu Keluarga dan aplikasi Loket.',
      p.wa && `WhatsApp kantor: ${p.wa}`,
      '',
      `Reminder: your IKD activation video call with ${p.officeName} is ${when.en}, ${at.en}.`,
      p.wa && `Office WhatsApp: ${p.wa}`,
    ),
  };
}

export function activationEmail(p: { officeName: string; tz: TimeZone; link: string; pin: string; expiresAt: number }): Message {
  const until = officeTime(p.tz, p.expiresAt);
  return {
    subject: 'Aktivasi IKD: tautan dan PIN aktivasi / IKD activation link and PIN',
    body: join(
      `Permohonan IKD Anda telah divalidasi oleh ${p.officeName}.`,
      `1. Buka tautan aktivasi: ${p.link}`,
      `2. Masukkan PIN aktivasi: ${p.pin}`,
      '3. Buat PIN Anda sendiri (6 angka, bukan tanggal lahir).',
      `Tautan dan PIN berlaku sampai ${until.id}, sekali pakai. Setelah 5 kali PIN salah tautan tidak berlaku lagi; hubungi kantor Disdukcapil.`,
      'Jangan berikan PIN ini kepada siapa pun, termasuk petugas.',
      '',
      `Your IKD application was validated by ${p.officeName}.`,
      `1. Open the activation link: ${p.link}`,
      `2. Enter the activation PIN: ${p.pin}`,
      '3. Choose your own 6-digit PIN (not your birth date).',
      `The link and PIN work once, until ${until.en}. After 5 wrong PINs the link stops working; contact the Disdukcapil office.`,
      'Never share this PIN with anyone, officers included.',
    ),
  };
}

export function activationNotice(p: { officeName: string }): Message {
  return {
    subject: 'Email aktivasi IKD terkirim / IKD activation email sent',
    body: join(
      `${p.officeName} telah mengirim tautan dan PIN aktivasi IKD ke email Anda. Jika email tidak diterima, datang ke kantor Disdukcapil.`,
      '',
      `${p.officeName} sent the IKD activation link and PIN to your email. If it does not arrive, visit the Disdukcapil office.`,
    ),
  };
}

export function rejected(p: { officeName: string; message: string; caseId: string }): Message {
  return {
    subject: 'Permohonan IKD ditolak / IKD application rejected',
    body: join(
      `Permohonan IKD Anda ditolak oleh ${p.officeName}: ${p.message}`,
      'Anda dapat mendaftar ulang setelah data diperbaiki.',
      `Nomor permohonan: ${p.caseId}`,
      '',
      `Your IKD application was rejected by ${p.officeName}: ${p.message}`,
      'You may register again once the data is corrected.',
    ),
  };
}

export function blocked(p: { officeName: string }): Message {
  return {
    subject: 'IKD Anda diblokir / Your IKD is blocked',
    body: join(
      `Atas laporan perangkat hilang, IKD Anda diblokir oleh ${p.officeName}. KTP digital dari perangkat itu tidak berlaku lagi.`,
      'Untuk memakai IKD di ponsel baru, datang ke kantor Disdukcapil atau hubungi lewat video call.',
      'Jika Anda tidak melaporkan kehilangan, segera hubungi kantor Disdukcapil.',
      '',
      `Following a lost-device report, ${p.officeName} blocked your IKD. Digital KTPs from that device are no longer valid.`,
      'To use IKD on a new phone, visit the Disdukcapil office or book a video call.',
      'If you did not report a loss, contact the Disdukcapil office at once.',
    ),
  };
}
