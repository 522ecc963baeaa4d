/** Which of Indonesia's three time zones an office keeps, from the province part of its code, for showing times. */

/**
 * Provinces on WITA (UTC+8) and WIT (UTC+9); every other province is on WIB (UTC+7). Province codes are the
 * first two digits of a Kemendagri region code ("63.09" → 63, Kalimantan Selatan).
 */
const WITA = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT = new Set(['81', '82', '91', '92', '93', '94', '95', '96', '97']);

export type ZoneInfo = { iana: 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura'; abbr: 'WIB' | 'WITA' | 'WIT' };

/** @example officeZone('63.09') // { iana: 'Asia/Makassar', abbr: 'WITA' } */
export function officeZone(officeCode: string): ZoneInfo {
  const province = officeCode.slice(0, 2);
  if (WITA.has(province)) return { iana: 'Asia/Makassar', abbr: 'WITA' };
  if (WIT.has(province)) return { iana: 'Asia/Jayapura', abbr: 'WIT' };
  return { iana: 'Asia/Jakarta', abbr: 'WIB' };
}
