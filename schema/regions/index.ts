/** Region-code lookups (Kemendagri codes) over the generated data: current districts and retired codes NIKs still carry. */
import { DISTRICTS, LEGACY_DISTRICTS, LEGACY_PROVINCES, LEGACY_REGENCIES, PROVINCES, REGENCIES } from './data';

/** Names of a district and the regency and province it belongs to. */
export interface RegionNames {
  /** 6 digits, undotted ("630906"). */
  code: string;
  province: string;
  regency: string;
  district: string;
}

/** A district code as it appears in a NIK or KK number. */
export interface Region extends RegionNames {
  /** True when the code is retired (not in the current list) and only an earlier list knows it. */
  legacy: boolean;
  /** Today's district code: the code itself when current; undefined when a retired code has no known successor. */
  currentCode: string | undefined;
  /** Today's names for `currentCode`. */
  current: RegionNames | undefined;
}

interface Entry {
  name: string;
  successor?: string;
}

let current: Map<string, Entry> | undefined;
let retired: Map<string, Entry> | undefined;

/** Decodes the packed "SSName|SSName>successor" strings once, on first use. */
function unpack(packed: Readonly<Record<string, string>>): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const [regency, list] of Object.entries(packed)) {
    for (const item of list.split('|')) {
      const [name, successor] = item.slice(2).split('>') as [string, string | undefined];
      map.set(regency + item.slice(0, 2), successor ? { name, successor } : { name });
    }
  }
  return map;
}

function currentMap(): Map<string, Entry> {
  return (current ??= unpack(DISTRICTS));
}
function retiredMap(): Map<string, Entry> {
  return (retired ??= unpack(LEGACY_DISTRICTS));
}

/** "15.71.02" or "157102" → "157102"; anything else → undefined. */
export function undotted(code: string): string | undefined {
  const plain = code.replaceAll('.', '');
  return /^\d+$/.test(plain) ? plain : undefined;
}

/** "157102" → "15.71.02", "1571" → "15.71" (Kemendagri's written form). */
export function dotted(code: string): string {
  return (code.replaceAll('.', '').match(/\d{1,2}/g) ?? []).join('.');
}

function currentNames(code6: string): RegionNames | undefined {
  const entry = currentMap().get(code6);
  const regency = REGENCIES[code6.slice(0, 4)];
  const province = PROVINCES[code6.slice(0, 2)];
  if (!entry || !regency || !province) return undefined;
  return { code: code6, province, regency, district: entry.name };
}

/**
 * The district behind a 6-digit code (dotted or not), current or retired.
 * @example regionOfDistrict('910101') // → { district: 'Merauke', legacy: true, currentCode: '930101', current: { province: 'Papua Selatan', … } }
 */
export function regionOfDistrict(code: string): Region | undefined {
  const code6 = undotted(code);
  if (!code6 || code6.length !== 6) return undefined;
  const now = currentNames(code6);
  if (now) return { ...now, legacy: false, currentCode: code6, current: now };
  const old = retiredMap().get(code6);
  if (!old) return undefined;
  const [regency = ''] = (LEGACY_REGENCIES[code6.slice(0, 4)] ?? '').split('>');
  const province = LEGACY_PROVINCES[code6.slice(0, 2)] ?? PROVINCES[code6.slice(0, 2)] ?? '';
  const successor = old.successor ? currentNames(old.successor) : undefined;
  return {
    code: code6,
    province,
    regency,
    district: old.name,
    legacy: true,
    currentCode: successor?.code,
    current: successor,
  };
}

/** True when a NIK/KK could carry this district code (current or retired list). */
export function isKnownDistrict(code: string): boolean {
  return regionOfDistrict(code) !== undefined;
}

/** Current districts of a regency/city ("63.09" or "6309"), in code order. */
export function districtsOfRegency(regency: string): { code: string; name: string }[] {
  const r = undotted(regency);
  if (!r || r.length !== 4) return [];
  return [...currentMap()]
    .filter(([code]) => code.startsWith(r))
    .map(([code, e]) => ({ code, name: e.name }));
}

/** Current name of a regency/city ("63.09" → "Kabupaten Tabalong"). */
export function regencyName(regency: string): string | undefined {
  const r = undotted(regency);
  return r ? REGENCIES[r] : undefined;
}

/** Current name of a province ("63" → "Kalimantan Selatan"). */
export function provinceName(province: string): string | undefined {
  return PROVINCES[province];
}

/** Every district code a NIK may carry: current codes first, then retired ones. */
export function knownDistrictCodes(): { current: string[]; retired: string[] } {
  return { current: [...currentMap().keys()], retired: [...retiredMap().keys()] };
}
