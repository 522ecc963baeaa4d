/** The two demo Disdukcapil offices (Kota Jambi, Kabupaten Tabalong): codes, zones, service hours and 2026 holidays. */
import type { Holiday, ServiceHours, WeeklyHours } from './service-time';

export interface Office {
  /** Kemendagri regency/city code, dotted ("63.09"); also the office's key. */
  code: string;
  name: string;
  /** The regency/city the office serves (same code: one Disdukcapil per regency/city). */
  regionCode: string;
  /** Short handle used in demo usernames ("fo.tabalong"). */
  slug: string;
  hours: ServiceHours;
  waNumber?: string;
}

/**
 * 2026 national holidays (libur nasional) and joint leave days (cuti bersama) per the SKB of three ministers on
 * 2026 holidays; government offices are closed on both. Weekend dates are kept: harmless, and the list stays whole.
 */
export const HOLIDAYS_2026: readonly Holiday[] = [
  { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi' },
  { date: '2026-01-16', name: 'Isra Mikraj Nabi Muhammad SAW' },
  { date: '2026-02-16', name: 'Cuti bersama Tahun Baru Imlek' },
  { date: '2026-02-17', name: 'Tahun Baru Imlek 2577 Kongzili' },
  { date: '2026-03-18', name: 'Cuti bersama Hari Suci Nyepi' },
  { date: '2026-03-19', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)' },
  { date: '2026-03-20', name: 'Cuti bersama Idulfitri' },
  { date: '2026-03-21', name: 'Idulfitri 1447 H' },
  { date: '2026-03-22', name: 'Idulfitri 1447 H' },
  { date: '2026-03-23', name: 'Cuti bersama Idulfitri' },
  { date: '2026-03-24', name: 'Cuti bersama Idulfitri' },
  { date: '2026-04-03', name: 'Wafat Yesus Kristus' },
  { date: '2026-04-05', name: 'Kebangkitan Yesus Kristus (Paskah)' },
  { date: '2026-05-01', name: 'Hari Buruh Internasional' },
  { date: '2026-05-14', name: 'Kenaikan Yesus Kristus' },
  { date: '2026-05-15', name: 'Cuti bersama Kenaikan Yesus Kristus' },
  { date: '2026-05-27', name: 'Iduladha 1447 H' },
  { date: '2026-05-28', name: 'Cuti bersama Iduladha' },
  { date: '2026-05-31', name: 'Hari Raya Waisak 2570 BE' },
  { date: '2026-06-01', name: 'Hari Lahir Pancasila' },
  { date: '2026-06-16', name: 'Tahun Baru Islam 1448 H' },
  { date: '2026-08-17', name: 'Hari Proklamasi Kemerdekaan RI' },
  { date: '2026-08-25', name: 'Maulid Nabi Muhammad SAW' },
  { date: '2026-12-24', name: 'Cuti bersama Hari Raya Natal' },
  { date: '2026-12-25', name: 'Hari Raya Natal' },
];

/** Seed 004 (Tabalong service standard, "Waktu Pelayanan"): Mon–Thu 08.30–16.00, Fri 08.00–10.30 WITA. */
export const TABALONG_HOURS: WeeklyHours = {
  mon: [['08:30', '16:00']],
  tue: [['08:30', '16:00']],
  wed: [['08:30', '16:00']],
  thu: [['08:30', '16:00']],
  fri: [['08:00', '10:30']],
};

/**
 * Kota Jambi: DEMO VALUES — the Jambi seeds state no hours. A plausible counter schedule with a midday break and
 * the longer Friday-prayer break; an admin sets the real ones.
 */
export const KOTA_JAMBI_HOURS: WeeklyHours = {
  mon: [['08:00', '12:00'], ['13:00', '15:30']],
  tue: [['08:00', '12:00'], ['13:00', '15:30']],
  wed: [['08:00', '12:00'], ['13:00', '15:30']],
  thu: [['08:00', '12:00'], ['13:00', '15:30']],
  fri: [['08:00', '11:30'], ['13:30', '15:30']],
};

export const KOTA_JAMBI: Office = {
  code: '15.71',
  name: 'Disdukcapil Kota Jambi',
  regionCode: '15.71',
  slug: 'jambi',
  hours: { timeZone: 'Asia/Jakarta', weekly: KOTA_JAMBI_HOURS, holidays: HOLIDAYS_2026 },
};

export const TABALONG: Office = {
  code: '63.09',
  name: 'Disdukcapil Kabupaten Tabalong',
  regionCode: '63.09',
  slug: 'tabalong',
  hours: { timeZone: 'Asia/Makassar', weekly: TABALONG_HOURS, holidays: HOLIDAYS_2026 },
};

export const DEMO_OFFICES: readonly Office[] = [KOTA_JAMBI, TABALONG];

/** The demo office with this code ("63.09"), if any. */
export function demoOffice(code: string): Office | undefined {
  return DEMO_OFFICES.find((o) => o.code === code);
}
