/** Pure rules of the birth-certificate service shared by worker and PWA: the 60-day limit, duplicate names, register numbers. */

/** UU Adminduk art. 27: a birth is reported within 60 days; later ones are still registered, flagged for the office. */
export const REPORTING_LIMIT_DAYS = 60;

/** Whole days from `birthDate` to `today` (both YYYY-MM-DD, the office's calendar). */
export function daysSinceBirth(birthDate: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${birthDate}T00:00:00Z`)) / 86_400_000);
}

/** @example isLateBirth('2026-09-01', '2026-11-30') // true (90 days) */
export function isLateBirth(birthDate: string, today: string): boolean {
  return daysSinceBirth(birthDate, today) > REPORTING_LIMIT_DAYS;
}

/** A birth date in the future (device clocks drift, so the office's today is the reference). */
export function isFutureBirth(birthDate: string, today: string): boolean {
  return daysSinceBirth(birthDate, today) < 0;
}

/** Upper-case, diacritics and punctuation removed, single spaces: "Nur'aini  Ṣiti-Ḥasanah" → "NURAINI SITI HASANAH". */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/['’.]/g, '')
    .replace(/[^A-Z]+/g, ' ')
    .trim();
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * Whether two children's names are close enough to be the same child typed twice (two devices, offline):
 * equal after normalising, one's words contained in the other's ("Muhammad Rizki" / "Rizki"), or at most
 * one edit per six letters ("Aisyah" / "Aisah").
 */
export function similarChildNames(a: string, b: string): boolean {
  const x = normalizeName(a);
  const y = normalizeName(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const wx = new Set(x.split(' '));
  const wy = new Set(y.split(' '));
  const [small, big] = wx.size <= wy.size ? [wx, wy] : [wy, wx];
  if ([...small].every((w) => big.has(w))) return true;
  const cx = x.replace(/ /g, '');
  const cy = y.replace(/ /g, '');
  return levenshtein(cx, cy) <= Math.max(1, Math.floor(Math.max(cx.length, cy.length) / 6));
}

/**
 * The office's register number of a birth certificate: regency/city code without the dot, "LT" (lahir), the
 * signing day DDMMYYYY in the office's zone, and the day's sequence.
 * @example registerNumber('63.09', '2026-11-30', 1) // "6309-LT-30112026-0001"
 */
export function registerNumber(officeCode: string, day: string, seq: number): string {
  const [y, m, d] = day.split('-');
  return `${officeCode.replace('.', '')}-LT-${d}${m}${y}-${String(seq).padStart(4, '0')}`;
}
export const REGISTER_NUMBER_PATTERN = /^\d{4}-LT-\d{8}-\d{4,}$/;
