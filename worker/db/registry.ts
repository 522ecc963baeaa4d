/**
 * The office's copy of population data (SIAK) behind the `Registry` interface — D1 today, a SIAK adapter later —
 * plus the keyed hash of mothers' maiden names and the demo seed statements for the registry, offices and staff.
 */
import { hashPassword } from '../auth/password';
import type { Sex } from '../../schema/nik';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, generateDemoPopulation, type DemoAccount, type DemoPopulation, type MaritalStatus } from '../../schema/demo';
import type { Office } from '../../schema/offices';
import type { DemoSlot } from '../../schema/demo/slots';

/** A resident as the registry knows them; the maiden-name hash never leaves this module. */
export interface Resident {
  nik: string;
  kkNumber: string;
  name: string;
  birthPlace: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  maritalStatus: MaritalStatus;
  ektpRecorded: boolean;
  email: string | null;
  phone: string | null;
  /** District of the current address, dotted ("63.09.04"). */
  regionCode: string;
  officeCode: string;
}

export interface Family {
  kkNumber: string;
  officeCode: string;
  address: string;
  regionCode: string;
  members: Resident[];
}

/** What a resident states to prove who they are (seed 000: NIK, KK number, mother's maiden name). */
export interface IdentityClaim {
  nik: string;
  kkNumber: string;
  motherMaidenName: string;
}

export type IdentityField = 'nik' | 'kkNumber' | 'motherMaidenName';

export interface IdentityMatch {
  matches: boolean;
  /**
   * For staff only: which stated fields differ from the registry ('nik' alone when the NIK is unknown, the other
   * fields are then not compared). Never show this to the resident: it would tell a guesser which part was right.
   */
  detail: { residentFound: boolean; differs: IdentityField[] };
}

/** Registry lookups every service needs; a SIAK integration implements the same interface. */
export interface Registry {
  findResident(nik: string): Promise<Resident | undefined>;
  /** Many residents in one round trip (a sync push prefetches the residents its commands name). */
  findResidents(niks: readonly string[]): Promise<Map<string, Resident>>;
  findFamily(kkNumber: string): Promise<Family | undefined>;
  matchIdentity(claim: IdentityClaim): Promise<IdentityMatch>;
}

// ---- mother's maiden name: keyed hash only ----

/** Trimmed, upper-cased, single-spaced (and NFC), so "  siti   aminah" and "SITI AMINAH" hash alike. */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();
}

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();
function hmacKey(pepper: string): Promise<CryptoKey> {
  let key = keyCache.get(pepper);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(pepper), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(pepper, key);
  }
  return key;
}

/**
 * HMAC-SHA256 (key: the PEPPER secret) of the normalised name, lowercase hex. Keyed so a stolen database alone
 * cannot be checked against a list of common names. WebCrypto only: runs in workerd and in Node scripts.
 * @example await maidenNameHash('Siti  Aminah', env.PEPPER) // → '3f1c…' (64 hex digits)
 */
export async function maidenNameHash(name: string, pepper: string): Promise<string> {
  if (!pepper) throw new Error('PEPPER is not set');
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(pepper), encoder.encode(`maiden-name:${normaliseName(name)}`));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two hex strings in time independent of where they first differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// ---- D1 implementation ----

interface ResidentRow {
  nik: string;
  kk_number: string;
  name: string;
  birth_place: string;
  birth_date: string;
  sex: Sex;
  marital_status: MaritalStatus;
  ektp_recorded: number;
  email: string | null;
  phone: string | null;
  region_code: string;
  office_code: string;
}

// The hash column is deliberately absent: nothing read through here can leak it.
const RESIDENT_COLUMNS =
  'nik, kk_number, name, birth_place, birth_date, sex, marital_status, ektp_recorded, email, phone, region_code, office_code';

function toResident(r: ResidentRow): Resident {
  return {
    nik: r.nik,
    kkNumber: r.kk_number,
    name: r.name,
    birthPlace: r.birth_place,
    birthDate: r.birth_date,
    sex: r.sex,
    maritalStatus: r.marital_status,
    ektpRecorded: r.ektp_recorded === 1,
    email: r.email,
    phone: r.phone,
    regionCode: r.region_code,
    officeCode: r.office_code,
  };
}

export class D1Registry implements Registry {
  constructor(
    private readonly db: D1Database,
    private readonly pepper: string,
  ) {}

  async findResident(nik: string): Promise<Resident | undefined> {
    const row = await this.db.prepare(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE nik = ?`).bind(nik).first<ResidentRow>();
    return row ? toResident(row) : undefined;
  }

  async findResidents(niks: readonly string[]): Promise<Map<string, Resident>> {
    const found = new Map<string, Resident>();
    if (!niks.length) return found;
    // One JSON parameter instead of an IN list: D1 binds at most 100 values per statement.
    const { results } = await this.db
      .prepare(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE nik IN (SELECT value FROM json_each(?))`)
      .bind(JSON.stringify([...new Set(niks)]))
      .all<ResidentRow>();
    for (const r of results) found.set(r.nik, toResident(r));
    return found;
  }

  async findFamily(kkNumber: string): Promise<Family | undefined> {
    const [family, members] = await this.db.batch([
      this.db.prepare('SELECT kk_number, office_code, address, region_code FROM families WHERE kk_number = ?').bind(kkNumber),
      this.db.prepare(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE kk_number = ? ORDER BY birth_date, nik`).bind(kkNumber),
    ]);
    const f = (family?.results as { kk_number: string; office_code: string; address: string; region_code: string }[] | undefined)?.[0];
    if (!f) return undefined;
    return {
      kkNumber: f.kk_number,
      officeCode: f.office_code,
      address: f.address,
      regionCode: f.region_code,
      members: ((members?.results ?? []) as ResidentRow[]).map(toResident),
    };
  }

  async matchIdentity(claim: IdentityClaim): Promise<IdentityMatch> {
    // Hash before the lookup so a found and an unknown NIK cost about the same.
    const stated = await maidenNameHash(claim.motherMaidenName, this.pepper);
    const row = await this.db
      .prepare('SELECT kk_number, mother_maiden_name_hash FROM residents WHERE nik = ?')
      .bind(claim.nik)
      .first<{ kk_number: string; mother_maiden_name_hash: string }>();
    if (!row) return { matches: false, detail: { residentFound: false, differs: ['nik'] } };
    const differs: IdentityField[] = [];
    if (row.kk_number !== claim.kkNumber.trim()) differs.push('kkNumber');
    if (!sameHex(row.mother_maiden_name_hash, stated)) differs.push('motherMaidenName');
    return { matches: differs.length === 0, detail: { residentFound: true, differs } };
  }
}

/** The registry for a request: D1 with the Worker's pepper. */
export function registryFor(env: { DB: D1Database; PEPPER: string }): Registry {
  return new D1Registry(env.DB, env.PEPPER);
}

// ---- demo seed ----

/** One parameterised statement; the seed script renders them as SQL text, worker tests bind them to D1. */
import { DEMO_BIRTH_REQUIREMENTS, DEMO_PARTNERS } from '../../schema/demo/birth';

export interface SeedStatement {
  sql: string;
  params: (string | number | null)[];
}

/**
 * INSERT OR IGNORE statements for the demo offices, families, residents (maiden names hashed with `pepper`) and
 * staff accounts (passwords hashed with `pepper`): applying them twice changes nothing.
 * @example for (const s of await demoSeedStatements(env.PEPPER)) await env.DB.prepare(s.sql).bind(...s.params).run();
 */
export async function demoSeedStatements(
  pepper: string,
  population: DemoPopulation = generateDemoPopulation(),
  accounts: readonly DemoAccount[] = DEMO_ACCOUNTS,
  now: Date = new Date(),
): Promise<SeedStatement[]> {
  if (!pepper) throw new Error('PEPPER is not set: the demo seed needs it to hash maiden names and passwords');
  const out: SeedStatement[] = [];
  for (const o of population.offices) out.push(officeSeedStatement(o));
  for (const f of population.families) {
    out.push({
      sql: 'INSERT OR IGNORE INTO families (kk_number, office_code, address, region_code) VALUES (?, ?, ?, ?)',
      params: [f.kkNumber, f.officeCode, f.address, f.regionCode],
    });
  }
  for (const r of population.residents) {
    out.push({
      sql: `INSERT OR IGNORE INTO residents (nik, kk_number, name, birth_place, birth_date, sex, marital_status, mother_maiden_name_hash, ektp_recorded, email, phone, region_code, office_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [
        r.nik, r.kkNumber, r.name, r.birthPlace, r.birthDate, r.sex, r.maritalStatus,
        await maidenNameHash(r.motherMaidenName, pepper),
        r.ektpRecorded ? 1 : 0, r.email, r.phone, r.regionCode, r.officeCode,
      ],
    });
  }
  const at = now.toISOString();
  for (const a of accounts) {
    out.push({
      sql: 'INSERT OR IGNORE INTO users (id, username, display_name, office_code, roles_json, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)',
      params: [a.id, a.username, a.displayName, a.officeCode, JSON.stringify([a.role]), await hashPassword(DEMO_PASSWORD, pepper), at, at],
    });
  }
  // Birth service (issue 10): a partner hospital per office, its clerk (mitra.<office>), the required documents.
  const ms = now.getTime();
  for (const o of population.offices) {
    const partner = DEMO_PARTNERS[o.code];
    if (!partner) continue;
    out.push({ sql: 'INSERT OR IGNORE INTO birth_partners (id, office_code, kind, name, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)', params: [partner.id, o.code, partner.kind, partner.name, ms, ms] });
    const clerk = accounts.find((a) => a.officeCode === o.code && a.role === 'partner_operator');
    if (clerk) out.push({ sql: 'UPDATE users SET partner_id = ? WHERE id = ? AND partner_id IS NULL', params: [partner.id, clerk.id] });
    DEMO_BIRTH_REQUIREMENTS.forEach((r, i) =>
      out.push({ sql: 'INSERT OR IGNORE INTO birth_requirements (office_code, code, label_id, label_en, required, sort) VALUES (?, ?, ?, ?, ?, ?)', params: [o.code, r.code, r.label_id, r.label_en, r.required, i] }),
    );
  }
  return out;
}

/**
 * The demo's video-call slots (schema/demo/slots.ts). A slot that would overlap one the operator already has (made by
 * hand in the demo, or this same slot seeded before) is skipped, so the overlap trigger never aborts a re-seed.
 */
export function demoSlotStatements(slots: readonly DemoSlot[], now: number): SeedStatement[] {
  return slots.map((s) => ({
    sql: `INSERT OR IGNORE INTO video_slots (id, office_code, operator_id, starts_at, ends_at, capacity, status, created_by, created_at)
      SELECT ?, ?, ?, ?, ?, ?, 'open', 'seed:demo', ?
      WHERE NOT EXISTS (SELECT 1 FROM video_slots WHERE operator_id = ? AND status = 'open' AND starts_at < ? AND ends_at > ?)`,
    params: [s.id, s.officeCode, s.operatorId, s.startsAt, s.endsAt, s.capacity, now, s.operatorId, s.endsAt, s.startsAt],
  }));
}

/** SQL text of the statements with values inlined (for `wrangler d1 execute --file`). */
/** An office row as idempotent seed SQL (demo seed and the production bootstrap in scripts/create-admin.ts). */
export function officeSeedStatement(o: Office): SeedStatement {
  return {
    sql: 'INSERT OR IGNORE INTO offices (code, name, region_code, time_zone, service_hours_json, holidays_json, wa_number) VALUES (?, ?, ?, ?, ?, ?, ?)',
    params: [o.code, o.name, o.regionCode, o.hours.timeZone, JSON.stringify(o.hours.weekly), JSON.stringify(o.hours.holidays), o.waNumber ?? null],
  };
}

export function seedSql(statements: readonly SeedStatement[]): string {
  const literal = (v: string | number | null) =>
    v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`;
  return statements
    .map((s) => {
      let i = 0;
      const sql = s.sql.replace(/\?/g, () => literal(s.params[i++] ?? null));
      if (i !== s.params.length) throw new Error(`parameter count mismatch in: ${s.sql}`);
      return `${sql};`;
    })
    .join('\n');
}

/** Applies seed statements to D1 in batches (worker tests). */
export async function applySeed(db: D1Database, statements: readonly SeedStatement[], batchSize = 100): Promise<void> {
  for (let i = 0; i < statements.length; i += batchSize) {
    await db.batch(statements.slice(i, i + batchSize).map((s) => db.prepare(s.sql).bind(...s.params)));
  }
}
