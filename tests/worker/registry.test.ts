// The registry in workerd against real D1: the demo seed (idempotent), the D1 Registry, and POST /api/registry/residents/lookup.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoAccount, generateDemoPopulation, type DemoResident } from '../../schema/demo';
import { maskNik, parseNik } from '../../schema/nik';
import { createApp } from '../../worker/app';
import { applySeed, D1Registry, demoSeedStatements, maidenNameHash, normaliseName } from '../../worker/db/registry';

declare global {
  namespace Cloudflare {
    interface Env {
      PEPPER: string;
    }
  }
}

const population = generateDemoPopulation();
const ORIGIN = 'http://localhost';

// The real app stack (request id, CSRF, session loader, auth routes, registry routes, error mapping).
const app = createApp();

/** POST /api/registry/residents/lookup with the NIK in the body (never in the URL). */
const lookup = (nik: string, init: { cookie?: string } = {}) =>
  call('/api/registry/residents/lookup', { method: 'POST', body: JSON.stringify({ nik }), headers: { 'content-type': 'application/json' }, ...init });

async function call(path: string, init: RequestInit & { cookie?: string; ip?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('origin', ORIGIN);
  if (init.cookie) headers.set('cookie', init.cookie);
  headers.set('cf-connecting-ip', init.ip ?? '10.9.0.1');
  const ctx = createExecutionContext();
  const res = await app.request(`${ORIGIN}${path}`, { ...init, headers }, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

let ipCounter = 0;
async function signInAs(username: string): Promise<string> {
  const res = await call('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    ip: `10.9.1.${++ipCounter}`,
  });
  expect(res.status, `sign-in of ${username}`).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('loket_session='));
  return cookie!.split(';')[0]!;
}

const byOffice = (code: string, pred: (r: DemoResident) => boolean = () => true) =>
  population.residents.find((r) => r.officeCode === code && pred(r))!;

async function fingerprint() {
  return env.DB.prepare(
    `SELECT (SELECT count(*) FROM offices) offices, (SELECT count(*) FROM families) families,
            (SELECT count(*) FROM residents) residents, (SELECT count(*) FROM users) users,
            (SELECT group_concat(nik || kk_number || mother_maiden_name_hash, ',') FROM (SELECT * FROM residents ORDER BY nik)) residentsDigest,
            (SELECT group_concat(username || password_hash, ',') FROM (SELECT * FROM users ORDER BY username)) usersDigest`,
  ).first<Record<string, number | string>>();
}

beforeAll(async () => {
  await applySeed(env.DB, await demoSeedStatements(env.PEPPER, population));
});

describe('demo seed', () => {
  it('loads every office, family, resident and demo account', async () => {
    const f = await fingerprint();
    expect(f).toMatchObject({
      offices: 2,
      families: population.families.length,
      residents: population.residents.length,
      users: DEMO_ACCOUNTS.length,
    });
    expect(population.residents.length).toBeGreaterThan(200);
  });

  it('applying a freshly generated seed again changes nothing (INSERT OR IGNORE, stable ids)', async () => {
    const before = await fingerprint();
    // New statements: new password salts, so any overwrite would show in the users digest.
    await applySeed(env.DB, await demoSeedStatements(env.PEPPER, population));
    expect(await fingerprint()).toEqual(before);
  });

  it('stores the maiden name only as a keyed hash', async () => {
    const r = population.residents[0]!;
    const row = await env.DB.prepare('SELECT mother_maiden_name_hash h FROM residents WHERE nik = ?').bind(r.nik).first<{ h: string }>();
    expect(row!.h).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.h).toBe(await maidenNameHash(r.motherMaidenName, env.PEPPER));
    expect(row!.h).not.toBe(await maidenNameHash(r.motherMaidenName, 'another-pepper'));
  });
});

describe('maidenNameHash', () => {
  it('normalises case and spacing before hashing', async () => {
    expect(normaliseName('  siti \t aminah ')).toBe('SITI AMINAH');
    expect(await maidenNameHash('  siti   Aminah', 'p')).toBe(await maidenNameHash('SITI AMINAH', 'p'));
    expect(await maidenNameHash('SITI AMINA', 'p')).not.toBe(await maidenNameHash('SITI AMINAH', 'p'));
  });
  it('refuses to hash without a pepper', async () => {
    await expect(maidenNameHash('SITI', '')).rejects.toThrow(/PEPPER/);
  });
});

describe('D1Registry', () => {
  const registry = () => new D1Registry(env.DB, env.PEPPER);

  it('finds a resident without exposing the maiden-name hash', async () => {
    const r = byOffice('63.09');
    const found = await registry().findResident(r.nik);
    expect(found).toEqual({
      nik: r.nik,
      kkNumber: r.kkNumber,
      name: r.name,
      birthPlace: r.birthPlace,
      birthDate: r.birthDate,
      sex: r.sex,
      maritalStatus: r.maritalStatus,
      ektpRecorded: r.ektpRecorded,
      email: r.email,
      phone: r.phone,
      regionCode: r.regionCode,
      officeCode: '63.09',
    });
    expect(await registry().findResident('6309060101990001')).toBeUndefined();
  });

  it('finds a family with all its members', async () => {
    const fam = population.families[3]!;
    const members = population.residents.filter((r) => r.kkNumber === fam.kkNumber);
    const found = await registry().findFamily(fam.kkNumber);
    expect(found).toMatchObject({ kkNumber: fam.kkNumber, address: fam.address, officeCode: fam.officeCode, regionCode: fam.regionCode });
    expect(found!.members.map((m) => m.nik).sort()).toEqual(members.map((m) => m.nik).sort());
    expect(await registry().findFamily('6309060101200099')).toBeUndefined();
  });

  it('matches an identity when NIK, KK number and maiden name agree (name case and spacing ignored)', async () => {
    const r = byOffice('15.71');
    const claim = { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: ` ${r.motherMaidenName.toLowerCase().replace(' ', '  ')} ` };
    expect(await registry().matchIdentity(claim)).toEqual({ matches: true, detail: { residentFound: true, differs: [] } });
  });

  it('names the fields that differ, for staff', async () => {
    const r = byOffice('63.09');
    const other = population.families.find((f) => f.kkNumber !== r.kkNumber)!;
    expect(await registry().matchIdentity({ nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: 'NAMA LAIN' })).toEqual({
      matches: false,
      detail: { residentFound: true, differs: ['motherMaidenName'] },
    });
    expect(await registry().matchIdentity({ nik: r.nik, kkNumber: other.kkNumber, motherMaidenName: r.motherMaidenName })).toEqual({
      matches: false,
      detail: { residentFound: true, differs: ['kkNumber'] },
    });
    expect(await registry().matchIdentity({ nik: r.nik, kkNumber: other.kkNumber, motherMaidenName: 'X' })).toMatchObject({
      detail: { differs: ['kkNumber', 'motherMaidenName'] },
    });
    expect(await registry().matchIdentity({ nik: '6309060101990001', kkNumber: r.kkNumber, motherMaidenName: r.motherMaidenName })).toEqual({
      matches: false,
      detail: { residentFound: false, differs: ['nik'] },
    });
  });
});

describe('POST /api/registry/residents/lookup (NIK in the body)', () => {
  let foTabalong: string;
  beforeAll(async () => {
    foTabalong = await signInAs(demoAccount('front_office', '63.09').username);
  });

  it('answers 401 without a session', async () => {
    const res = await lookup(byOffice('63.09').nik);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('gives front office staff the full record of a resident of their office, never the maiden-name hash', async () => {
    const r = byOffice('63.09', (x) => x.familyRole === 'ISTRI');
    const res = await lookup(r.nik, { cookie: foTabalong });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { resident: Record<string, unknown> };
    expect(body.resident).toMatchObject({ nik: r.nik, kkNumber: r.kkNumber, name: r.name, officeCode: '63.09', sex: 'P' });
    expect(body.resident.nikRegion).toMatchObject({ code: r.nik.slice(0, 6) });
    const hash = await maidenNameHash(r.motherMaidenName, env.PEPPER);
    expect(text).not.toContain(hash);
    expect(text.toLowerCase()).not.toContain('maiden');
    expect(text).not.toContain(r.motherMaidenName);
  });

  it('records the read in the audit log with the NIK masked', async () => {
    const r = byOffice('63.09', (x) => x.familyRole === 'ANAK');
    expect((await lookup(r.nik, { cookie: foTabalong })).status).toBe(200);
    const row = await env.DB.prepare("SELECT actor, object, detail_json FROM audit_log WHERE action = 'registry.read' ORDER BY seq DESC LIMIT 1").first<{
      actor: string;
      object: string;
      detail_json: string;
    }>();
    expect(row).toMatchObject({ actor: `staff:${demoAccount('front_office', '63.09').id}`, object: `resident:${maskNik(r.nik)}` });
    expect(JSON.stringify(row)).not.toContain(r.nik);
  });

  it('names today\'s region for a NIK issued under a retired Papua code', async () => {
    const r = population.residents.find((x) => x.officeCode === '63.09' && parseNik(x.nik, population.referenceDate).ok && x.nik.startsWith('9'))!;
    expect(r, 'the demo data has a Tabalong resident with a pre-2022 Papua NIK').toBeDefined();
    const res = await lookup(r.nik, { cookie: foTabalong });
    expect(res.status).toBe(200);
    const { resident } = (await res.json()) as { resident: { nikRegion: { legacy: boolean; current: { province: string } | null } } };
    expect(resident.nikRegion.legacy).toBe(true);
    expect(resident.nikRegion.current?.province).toMatch(/^Papua /);
  });

  it('refuses a resident of another office with 403 forbidden_object', async () => {
    const res = await lookup(byOffice('15.71').nik, { cookie: foTabalong });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden_object' });
  });

  it('refuses roles outside front office, operator and verifier with 403 forbidden_role', async () => {
    const kadis = await signInAs(demoAccount('head_of_office', '63.09').username);
    const res = await lookup(byOffice('63.09').nik, { cookie: kadis });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden_role' });
  });

  it('lets an operator and a verifier of the office read too', async () => {
    for (const role of ['operator', 'verifier'] as const) {
      const cookie = await signInAs(demoAccount(role, '15.71').username);
      expect((await lookup(byOffice('15.71').nik, { cookie })).status).toBe(200);
    }
  });

  it.each([
    ['not 16 digits', '12345', 'not_16_digits'],
    ['impossible date (31 February)', '6309063102900001', 'invalid_date'],
    ['serial 0000', '6309060101900000', 'invalid_serial'],
    ['unknown region', '9999990101900001', 'unknown_region'],
  ])('answers 422 invalid_nik for %s', async (_l, nik, reason) => {
    const res = await lookup(nik, { cookie: foTabalong });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'invalid_nik', reason });
  });

  it('answers 404 resident_not_found for a valid NIK not in the registry', async () => {
    const res = await lookup('6309064101990009', { cookie: foTabalong });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'resident_not_found' });
  });
});
