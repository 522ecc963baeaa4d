// The demo population: deterministic, valid identifiers from the offices' real districts, the cohorts demos need.
import { describe, expect, it } from 'vitest';
import { weakPasswordReason } from '../../worker/auth/password-policy';
import { ageOn, DEMO_ACCOUNTS, DEMO_PASSWORD, demoAccount, generateDemoPopulation } from '../../schema/demo';
import { parseKk, parseNik } from '../../schema/nik';
import { DEMO_OFFICES } from '../../schema/offices';
import { STAFF_ROLES } from '../../schema/roles';
import { regionOfDistrict } from '../../schema/regions';

const pop = generateDemoPopulation();
const ref = pop.referenceDate;

describe('generateDemoPopulation', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    expect(generateDemoPopulation()).toEqual(pop);
    expect(generateDemoPopulation({ seed: 7 }).residents[0]!.nik).not.toBe(pop.residents[0]!.nik);
  });

  it('has a few hundred residents in families of both offices', () => {
    expect(pop.residents.length).toBeGreaterThanOrEqual(200);
    expect(pop.residents.length).toBeLessThanOrEqual(600);
    for (const o of DEMO_OFFICES) {
      expect(pop.families.filter((f) => f.officeCode === o.code).length).toBeGreaterThanOrEqual(30);
    }
    const kks = new Set(pop.families.map((f) => f.kkNumber));
    expect(kks.size).toBe(pop.families.length);
    for (const r of pop.residents) expect(kks.has(r.kkNumber)).toBe(true);
    for (const f of pop.families) expect(pop.residents.some((r) => r.kkNumber === f.kkNumber && r.familyRole === 'KEPALA_KELUARGA')).toBe(true);
  });

  it('gives every resident a unique valid NIK whose fields agree with the record', () => {
    expect(new Set(pop.residents.map((r) => r.nik)).size).toBe(pop.residents.length);
    for (const r of pop.residents) {
      const p = parseNik(r.nik, ref);
      expect(p, r.nik).toMatchObject({ ok: true, birthDate: r.birthDate, sex: r.sex });
    }
  });

  it('gives every family a valid KK number issued in one of the office districts, after its youngest member was born', () => {
    for (const f of pop.families) {
      const p = parseKk(f.kkNumber, ref);
      if (!p.ok) throw new Error(`${f.kkNumber}: ${p.reason}`);
      expect(f.regionCode.replaceAll('.', '')).toBe(f.kkNumber.slice(0, 6));
      expect(f.regionCode.startsWith(f.officeCode)).toBe(true);
      const youngest = pop.residents.filter((r) => r.kkNumber === f.kkNumber).map((r) => r.birthDate).sort().at(-1)!;
      expect(p.issueDate >= youngest).toBe(true);
    }
  });

  it('mostly issues NIKs locally, some elsewhere, a few under retired Papua codes', () => {
    const local = pop.residents.filter((r) => r.nik.startsWith(r.officeCode.replace('.', '')));
    const legacy = pop.residents.filter((r) => regionOfDistrict(r.nik.slice(0, 6))?.legacy);
    expect(local.length / pop.residents.length).toBeGreaterThan(0.75);
    expect(legacy.length).toBeGreaterThanOrEqual(2);
    for (const o of DEMO_OFFICES) expect(legacy.some((r) => r.officeCode === o.code)).toBe(true);
  });

  it('has 16-year-olds and some turning 17 within three months (RETAS)', () => {
    const sixteen = pop.residents.filter((r) => ageOn(r.birthDate, ref) === 16);
    const soon = sixteen.filter((r) => ageOn(r.birthDate, new Date(Date.parse(ref) + 90 * 86_400_000).toISOString().slice(0, 10)) === 17);
    for (const o of DEMO_OFFICES) {
      expect(sixteen.filter((r) => r.officeCode === o.code).length).toBeGreaterThanOrEqual(4);
      expect(soon.filter((r) => r.officeCode === o.code).length).toBeGreaterThanOrEqual(2);
    }
    expect(sixteen.every((r) => !r.ektpRecorded && r.maritalStatus === 'BELUM_KAWIN' && r.email === null)).toBe(true);
  });

  it('records e-KTP for most adults only', () => {
    const adults = pop.residents.filter((r) => ageOn(r.birthDate, ref) >= 17);
    expect(adults.filter((r) => r.ektpRecorded).length / adults.length).toBeGreaterThan(0.8);
    expect(pop.residents.filter((r) => ageOn(r.birthDate, ref) < 17).every((r) => !r.ektpRecorded)).toBe(true);
  });

  it('uses the mother in the family as the children\'s maiden-name answer', () => {
    for (const f of pop.families) {
      const members = pop.residents.filter((r) => r.kkNumber === f.kkNumber);
      const mother = members.find((m) => m.sex === 'P' && m.familyRole !== 'ANAK');
      for (const child of members.filter((m) => m.familyRole === 'ANAK')) {
        if (mother) expect(child.motherMaidenName).toBe(mother.name);
        expect(child.motherMaidenName).toMatch(/^[A-Z. ]+$/);
      }
    }
  });

  it('uses reserved test domains and Indonesian mobile numbers, each once', () => {
    const emails = pop.residents.flatMap((r) => (r.email ? [r.email] : []));
    const phones = pop.residents.flatMap((r) => (r.phone ? [r.phone] : []));
    expect(emails.length).toBeGreaterThan(50);
    expect(emails.every((e) => /^[a-z.]+\d+@([a-z]+\.)?example\.test$/.test(e))).toBe(true);
    expect(phones.every((p) => /^08\d{10}$/.test(p))).toBe(true);
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('keeps the current address inside the office', () => {
    for (const r of pop.residents) {
      expect(r.regionCode.startsWith(`${r.officeCode}.`)).toBe(true);
      expect(regionOfDistrict(r.regionCode)?.legacy).toBe(false);
    }
  });
});

describe('demo accounts', () => {
  it('has one account per role per office with unique usernames and ids', () => {
    expect(DEMO_ACCOUNTS).toHaveLength(STAFF_ROLES.length * DEMO_OFFICES.length);
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.username)).size).toBe(DEMO_ACCOUNTS.length);
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.id)).size).toBe(DEMO_ACCOUNTS.length);
    expect(demoAccount('front_office').username).toBe('fo.tabalong');
    expect(demoAccount('operator', '15.71').username).toBe('operator.jambi');
    for (const a of DEMO_ACCOUNTS) expect(a.username).toMatch(/^[a-z0-9._-]{3,32}$/);
  });
  it('uses a password the staff password policy accepts', () => {
    for (const a of DEMO_ACCOUNTS) expect(weakPasswordReason(DEMO_PASSWORD, a.username)).toBeNull();
  });
});
