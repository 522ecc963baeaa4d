/**
 * The demo population and staff accounts: a deterministic (seeded) set of families and residents for the two demo
 * offices, with valid NIKs and KK numbers from real district codes. Pure TS, no Node APIs: the seed script and the
 * worker tests both build from it (SQL lives in worker/db/registry.ts).
 */
import { makeKk, makeNik, type Sex } from '../nik';
import { DEMO_OFFICES, type Office } from '../offices';
import { districtsOfRegency, dotted, knownDistrictCodes, regionOfDistrict, undotted } from '../regions';
import { ROLE_LABELS, STAFF_ROLES, type StaffRole } from '../roles';
import {
  FEMALE_GIVEN,
  FEMALE_SECOND,
  LOCAL_BIRTH_PLACES,
  MALE_GIVEN,
  MALE_SECOND,
  MARGA,
  ORIGINS,
  STREETS,
} from './names';
import { hashSeed, rng, type Rng } from './random';

export type MaritalStatus = 'BELUM_KAWIN' | 'KAWIN' | 'CERAI_HIDUP' | 'CERAI_MATI';
/** Position in the family card (status hubungan dalam keluarga). */
export type FamilyRole = 'KEPALA_KELUARGA' | 'ISTRI' | 'ANAK';

export interface DemoFamily {
  kkNumber: string;
  officeCode: string;
  address: string;
  /** District of the address, dotted ("63.09.04"). */
  regionCode: string;
}

export interface DemoResident {
  nik: string;
  kkNumber: string;
  name: string;
  birthPlace: string;
  birthDate: string;
  sex: Sex;
  maritalStatus: MaritalStatus;
  /** Plain text only here, in the demo data, so demos and e2e tests can answer the identity check; D1 stores a keyed hash. */
  motherMaidenName: string;
  ektpRecorded: boolean;
  email: string | null;
  phone: string | null;
  /** District of the current address, dotted. */
  regionCode: string;
  officeCode: string;
  familyRole: FamilyRole;
}

export interface DemoPopulation {
  referenceDate: string;
  offices: readonly Office[];
  families: DemoFamily[];
  residents: DemoResident[];
}

export interface DemoOptions {
  seed?: number;
  /** Ages ("16 years old", "turns 17 soon") are relative to this date. */
  referenceDate?: string;
  familiesPerOffice?: number;
}

/**
 * Fixed, so re-seeding on another day yields the same NIKs (INSERT OR IGNORE then changes nothing) rather than a
 * second population; pass `referenceDate` to shift the ages.
 */
export const DEMO_REFERENCE_DATE = '2026-11-23';
export const DEMO_SEED = 20_260_401;

// ---- dates ----

const DAY = 86_400_000;
const toDays = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const fromDays = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);
/** Same calendar day `years` earlier (29 Feb → 1 Mar in a common year). */
function yearsBefore(iso: string, years: number): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y - years, m - 1, d) / DAY;
}
/** A birth date that makes someone exactly `age` on `ref`. */
function birthDateForAge(r: Rng, ref: string, age: number): string {
  const latest = yearsBefore(ref, age);
  const earliest = yearsBefore(ref, age + 1) + 1;
  return fromDays(r.int(earliest, latest));
}
export function ageOn(birthDate: string, ref: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ry, rm, rd] = ref.split('-').map(Number) as [number, number, number];
  return ry - by - (rm < bm || (rm === bm && rd < bd) ? 1 : 0);
}

// ---- people ----

interface Person {
  name: string;
  sex: Sex;
  birthDate: string;
  maritalStatus: MaritalStatus;
  familyRole: FamilyRole;
  motherMaidenName: string;
  /** Where the NIK was issued and where the person was born. */
  nikDistrict: string;
  birthPlace: string;
}

function personName(r: Rng, sex: Sex, opts: { marga?: string; young?: boolean } = {}): string {
  const given = r.pick(sex === 'L' ? MALE_GIVEN : FEMALE_GIVEN);
  // Younger Indonesians more often carry two names; many older ones have a single name.
  const second = r.chance(opts.young ? 0.85 : 0.6) ? r.pick(sex === 'L' ? MALE_SECOND : FEMALE_SECOND) : undefined;
  return [given, second === given ? undefined : second, opts.marga].filter((p): p is string => !!p).join(' ');
}

type Slug = 'jambi' | 'tabalong';

interface Place {
  district: string;
  birthPlace: string;
}

function localPlace(r: Rng, office: Office, district: string): Place {
  return { district, birthPlace: r.pick(LOCAL_BIRTH_PLACES[office.slug as Slug]) };
}

const retiredCodes = () => knownDistrictCodes().retired;

function originPlace(r: Rng, office: Office, legacy: boolean): Place {
  const options = ORIGINS[office.slug as Slug].filter((o) => !!o.legacy === legacy);
  const origin = r.pick(options);
  const prefix = undotted(origin.regency)!;
  const districts = legacy ? retiredCodes().filter((c) => c.startsWith(prefix)) : districtsOfRegency(prefix).map((d) => d.code);
  return { district: r.pick(districts), birthPlace: origin.birthPlace };
}

const FAMILY_KINDS = { couple: 62, elderly: 8, widow: 8, divorced: 6, single: 16 } as const;

/**
 * Builds the demo population: families per office with a head, often a spouse and children, a few 16-year-olds
 * and some turning 17 soon (RETAS), some adults whose NIK was issued elsewhere (incl. pre-2022 Papua codes).
 * @example generateDemoPopulation().residents.length // → a few hundred
 */
export function generateDemoPopulation(options: DemoOptions = {}): DemoPopulation {
  const ref = options.referenceDate ?? DEMO_REFERENCE_DATE;
  const perOffice = options.familiesPerOffice ?? 45;
  const r = rng(options.seed ?? DEMO_SEED);
  const families: DemoFamily[] = [];
  const residents: DemoResident[] = [];
  const nikSerials = new Map<string, number>();
  const kkSerials = new Map<string, number>();
  const phones = new Set<string>();
  let emailCounter = 0;

  const nextSerial = (counters: Map<string, number>, prefix: string) => {
    const n = (counters.get(prefix) ?? r.int(0, 2)) + 1;
    counters.set(prefix, n);
    return n;
  };

  const phone = () => {
    for (;;) {
      const p = `08${r.pick(['11', '12', '13', '21', '22', '52', '53', '57', '58', '77', '78', '81', '82', '95', '96'])}${String(r.int(0, 99_999_999)).padStart(8, '0')}`;
      if (!phones.has(p)) {
        phones.add(p);
        return p;
      }
    }
  };
  const email = (name: string) => {
    const local = name.toLowerCase().replace(/[^a-z ]/g, '').trim().split(/\s+/).slice(0, 2).join('.');
    emailCounter++;
    return `${local}${emailCounter}@${r.pick(['example.test', 'mail.example.test', 'surel.example.test'])}`;
  };

  for (const office of DEMO_OFFICES) {
    const districts = districtsOfRegency(office.code).map((d) => d.code);
    const slug = office.slug as Slug;
    for (let f = 0; f < perOffice; f++) {
      const home = r.pick(districts);
      const kind = r.weighted(FAMILY_KINDS);
      const marga = slug === 'jambi' && r.chance(0.1) ? r.pick(MARGA) : undefined;
      const people: Person[] = [];
      // Adults: mostly registered here, one in five moved in; two households per office carry retired Papua codes.
      const adultPlace = (forceLegacy: boolean) =>
        forceLegacy ? originPlace(r, office, true) : r.chance(0.2) ? originPlace(r, office, false) : localPlace(r, office, r.pick(districts));
      const adult = (sex: Sex, age: number, maritalStatus: MaritalStatus, familyRole: FamilyRole, forceLegacy = false): Person => {
        const place = adultPlace(forceLegacy);
        return {
          name: personName(r, sex, { marga: sex === 'L' ? marga : undefined }),
          sex,
          birthDate: birthDateForAge(r, ref, age),
          maritalStatus,
          familyRole,
          motherMaidenName: personName(r, 'P'),
          nikDistrict: place.district,
          birthPlace: place.birthPlace,
        };
      };
      const legacyHead = f === 7 || f === 29;

      let mother: Person | undefined;
      if (kind === 'couple' || kind === 'elderly') {
        const headAge = kind === 'couple' ? r.int(25, 62) : r.int(60, 80);
        people.push(adult('L', headAge, 'KAWIN', 'KEPALA_KELUARGA', legacyHead));
        mother = adult('P', Math.max(20, headAge - r.int(0, 7)), 'KAWIN', 'ISTRI');
        people.push(mother);
      } else if (kind === 'widow') {
        mother = adult('P', r.int(40, 72), 'CERAI_MATI', 'KEPALA_KELUARGA', legacyHead);
        people.push(mother);
      } else if (kind === 'divorced') {
        const sex: Sex = r.chance(0.5) ? 'L' : 'P';
        const head = adult(sex, r.int(30, 50), 'CERAI_HIDUP', 'KEPALA_KELUARGA', legacyHead);
        people.push(head);
        if (sex === 'P') mother = head;
      } else {
        people.push(adult(r.chance(0.55) ? 'L' : 'P', r.int(19, 34), 'BELUM_KAWIN', 'KEPALA_KELUARGA', legacyHead));
      }

      // Children: born here, registered in the family's district; the mother's name is their maiden-name answer.
      const parentAge = ageOn(people[0]!.birthDate, ref);
      const youngestParentAge = mother ? Math.min(parentAge, ageOn(mother.birthDate, ref)) : parentAge;
      const maxChildAge = Math.min(26, youngestParentAge - 19);
      const childCount = kind === 'single' || maxChildAge < 0 ? 0 : kind === 'elderly' ? r.int(0, 1) : r.int(kind === 'divorced' ? 0 : 1, 4);
      const motherName = mother?.name ?? personName(r, 'P');
      const childAges: { age: number; birthDate?: string }[] = [];
      // RETAS audience: every 6th family with room for it gets a child turning 17 within 7–90 days, every 6th
      // (offset) a 16-year-old whose birthday is further off.
      if (maxChildAge >= 17 && childCount > 0 && f % 6 === 1) {
        childAges.push({ age: 16, birthDate: fromDays(yearsBefore(ref, 17) + r.int(7, 90)) });
      } else if (maxChildAge >= 17 && childCount > 0 && f % 6 === 4) {
        childAges.push({ age: 16, birthDate: fromDays(yearsBefore(ref, 17) + r.int(120, 360)) });
      }
      while (childAges.length < childCount) childAges.push({ age: r.int(0, Math.max(0, maxChildAge)) });
      for (const c of childAges.sort((a, b) => b.age - a.age)) {
        const sex: Sex = r.chance(0.5) ? 'L' : 'P';
        let name = personName(r, sex, { young: true, marga });
        for (let tries = 0; tries < 5 && people.some((p) => p.name === name); tries++) name = personName(r, sex, { young: true, marga });
        const place = localPlace(r, office, home);
        people.push({
          name,
          sex,
          birthDate: c.birthDate ?? birthDateForAge(r, ref, c.age),
          maritalStatus: 'BELUM_KAWIN',
          familyRole: 'ANAK',
          motherMaidenName: motherName,
          nikDistrict: place.district,
          birthPlace: place.birthPlace,
        });
      }

      // The KK number carries the date the current card was issued: after the youngest member's birth.
      const youngest = Math.max(...people.map((p) => toDays(p.birthDate)));
      const lastDay = toDays(ref) - 1;
      const issued = fromDays(Math.max(youngest, r.int(Math.min(Math.max(youngest + 14, toDays('2010-01-01')), lastDay), lastDay)));
      const kkNumber = makeKk({ district: home, issueDate: issued, serial: nextSerial(kkSerials, home + issued) });
      const homeName = regionOfDistrict(home)!.district.toUpperCase();
      families.push({
        kkNumber,
        officeCode: office.code,
        address: `${r.pick(STREETS[slug])} NO. ${r.int(1, 180)}, RT ${String(r.int(1, 40)).padStart(3, '0')}/RW ${String(r.int(1, 12)).padStart(3, '0')}, KEC. ${homeName}`,
        regionCode: dotted(home),
      });

      for (const p of people) {
        const age = ageOn(p.birthDate, ref);
        const prefix = p.nikDistrict + p.birthDate + p.sex;
        const nik = makeNik({ district: p.nikDistrict, birthDate: p.birthDate, sex: p.sex, serial: nextSerial(nikSerials, prefix) });
        const adultNow = age >= 17;
        // Most adults recorded their e-KTP; those who turned 17 this year often not yet (RETAS catches them).
        const ektpRecorded = adultNow && r.chance(age < 18 ? 0.4 : 0.93);
        residents.push({
          nik,
          kkNumber,
          name: p.name,
          birthPlace: p.birthPlace,
          birthDate: p.birthDate,
          sex: p.sex,
          maritalStatus: p.maritalStatus,
          motherMaidenName: p.motherMaidenName,
          ektpRecorded,
          email: adultNow && r.chance(0.65) ? email(p.name) : null,
          phone: (adultNow && r.chance(0.85)) || (age >= 15 && r.chance(0.4)) ? phone() : null,
          regionCode: dotted(home),
          officeCode: office.code,
          familyRole: p.familyRole,
        });
      }
    }
  }
  return { referenceDate: ref, offices: DEMO_OFFICES, families, residents };
}

// ---- staff ----

/** The one password of every demo account; printed by `npm start`, never used outside development. */
export const DEMO_PASSWORD = 'Loket-Demo-2026';

export interface DemoAccount {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  officeCode: string;
}

const USERNAME_PREFIX: Record<StaffRole, string> = {
  admin: 'admin',
  front_office: 'fo',
  operator: 'operator',
  verifier: 'verifikator',
  head_of_division: 'kabid',
  head_of_office: 'kadis',
  partner_operator: 'mitra',
  field_officer: 'retas',
  complaint_handler: 'aduan',
};

/** A stable UUID-shaped id from the username, so re-seeding never creates a second row for the same account. */
function stableId(username: string): string {
  const r = rng(hashSeed(`loket-demo:${username}`));
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[r.int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** One account per role per office: `fo.tabalong`, `operator.jambi`, `admin.jambi`, … all with DEMO_PASSWORD. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = DEMO_OFFICES.flatMap((office) =>
  STAFF_ROLES.map((role) => {
    const username = `${USERNAME_PREFIX[role]}.${office.slug}`;
    const place = office.slug === 'jambi' ? 'Kota Jambi' : 'Tabalong';
    return { id: stableId(username), username, displayName: `${ROLE_LABELS[role].id} ${place} (demo)`, role, officeCode: office.code };
  }),
);

/** The demo account of a role at an office (default Tabalong). */
export function demoAccount(role: StaffRole, officeCode = '63.09'): DemoAccount {
  const a = DEMO_ACCOUNTS.find((x) => x.role === role && x.officeCode === officeCode);
  if (!a) throw new RangeError(`no demo account for ${role} at ${officeCode}`);
  return a;
}
