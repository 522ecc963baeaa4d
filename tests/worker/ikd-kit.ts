/**
 * IKD test kit for worker tests: registry residents with known maiden names, a phone's WebCrypto device key, and the
 * steps of the route (register, verify, bind, approve, activate, sign in) over the real HTTP API and sync push.
 */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { CaseView, CommandResult } from '../../schema/contracts/sync';
import { uuid7 } from '../../schema/ids';
import { makeKk, makeNik, type Sex } from '../../schema/nik';
import { HOLIDAYS_2026 } from '../../schema/offices';
import { localToMs, msToLocal } from '../../schema/service-time';
import { toBase64Url } from '../../worker/auth/password';
import { maidenNameHash } from '../../worker/db/registry';
import { api, createStaff, ensureOffices, KOTA_JAMBI, sessionCookieOf, signIn, type SignedIn, TABALONG, testIp } from './helpers/auth';

export { KOTA_JAMBI, TABALONG };

const DISTRICT: Record<string, string> = { [TABALONG]: '630901', [KOTA_JAMBI]: '157101' };
const TZ = { [TABALONG]: 'Asia/Makassar', [KOTA_JAMBI]: 'Asia/Jakarta' } as const;

export interface TestResident {
  nik: string;
  kkNumber: string;
  name: string;
  maiden: string;
  email: string;
  phone: string;
  officeCode: string;
  birthDate: string;
}

let serial = 0;
/** Each test file has its own database; a counter keeps NIKs and KK numbers of one file apart. */
const SERIAL_BASE = Math.floor(Math.random() * 4000);

/** The office's date today (YYYY-MM-DD), shifted by whole years. */
export function officeDate(officeCode: string, yearsBack = 0): string {
  const today = msToLocal(TZ[officeCode as keyof typeof TZ], Date.now()).slice(0, 10);
  return `${Number(today.slice(0, 4)) - yearsBack}${today.slice(4)}`;
}

/** Adds a family and one resident to the registry (maiden name hashed with the test pepper). */
export async function addResident(opts: {
  birthDate?: string;
  sex?: Sex;
  marital?: 'BELUM_KAWIN' | 'KAWIN' | 'CERAI_HIDUP' | 'CERAI_MATI';
  ektp?: boolean;
  officeCode?: string;
} = {}): Promise<TestResident> {
  await ensureOffices();
  serial += 1;
  const officeCode = opts.officeCode ?? TABALONG;
  const district = DISTRICT[officeCode]!;
  const birthDate = opts.birthDate ?? '1995-07-04';
  const sex = opts.sex ?? 'P';
  const n = (SERIAL_BASE + serial) % 9000 + 1;
  const nik = makeNik({ district, birthDate, sex, serial: n });
  const kkNumber = makeKk({ district, issueDate: '2015-03-02', serial: n });
  const maiden = `Ibu Kandung ${serial}`;
  const r: TestResident = {
    nik,
    kkNumber,
    name: `WARGA UJI ${serial}`,
    maiden,
    email: `warga${serial}@example.test`,
    phone: `08123${String(100000 + serial).slice(-6)}`,
    officeCode,
    birthDate,
  };
  await env.DB.batch([
    env.DB.prepare('INSERT OR IGNORE INTO families (kk_number, office_code, address, region_code) VALUES (?, ?, ?, ?)').bind(kkNumber, officeCode, 'Jl. Uji 1', `${district.slice(0, 2)}.${district.slice(2, 4)}.${district.slice(4)}`),
    env.DB
      .prepare(
        `INSERT INTO residents (nik, kk_number, name, birth_place, birth_date, sex, marital_status, mother_maiden_name_hash, ektp_recorded, email, phone, region_code, office_code)
         VALUES (?, ?, ?, 'Tanjung', ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
      )
      .bind(nik, kkNumber, r.name, birthDate, sex, opts.marital ?? 'BELUM_KAWIN', await maidenNameHash(maiden, env.PEPPER), opts.ektp === false ? 0 : 1, `${district.slice(0, 2)}.${district.slice(2, 4)}.${district.slice(4)}`, officeCode),
  ]);
  return r;
}

export interface Registered {
  res: Response;
  cookie: string;
  case: CaseView;
  /** `api()` with the resident's session cookie. */
  fetch: SignedIn['fetch'];
}

export function registerBody(r: TestResident, extra: Record<string, unknown> = {}) {
  return { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.maiden, email: r.email, phone: r.phone, route: 'counter', ...extra };
}

export async function register(r: TestResident, extra: Record<string, unknown> = {}): Promise<Registered> {
  const res = await api('/api/ikd/register', { method: 'POST', json: registerBody(r, extra), ip: testIp() });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  const cookie = sessionCookieOf(res)!;
  const body = JSON.parse(text) as { case: CaseView };
  return { res, cookie, case: body.case, fetch: (path, init = {}) => api(path, { ...init, cookie }) };
}

export async function staff(roles: ('operator' | 'admin' | 'front_office')[] = ['operator'], officeCode = TABALONG): Promise<SignedIn & { id: string }> {
  const s = await createStaff({ roles, officeCode });
  return { ...(await signIn(s.username, s.password, { ip: testIp() })), id: s.id };
}

export async function push(as: { fetch: SignedIn['fetch'] }, commands: unknown[]): Promise<CommandResult[]> {
  const res = await as.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { results: CommandResult[] }).results;
}

export async function caseRow(caseId: string) {
  return (await env.DB.prepare('SELECT * FROM cases WHERE id = ?').bind(caseId).first<{ state: string; version: number; data_json: string }>())!;
}

/** Pushes one SOP action at the case's current version and returns the result. */
export async function act(as: { fetch: SignedIn['fetch'] }, caseId: string, action: string, input: Record<string, unknown> = {}, id = uuid7()): Promise<CommandResult> {
  const { version } = await caseRow(caseId);
  const [result] = await push(as, [{ id, type: 'action', caseId, action, baseVersion: version, input }]);
  return result!;
}

export async function actOk(as: { fetch: SignedIn['fetch'] }, caseId: string, action: string, input: Record<string, unknown> = {}): Promise<CaseView> {
  const r = await act(as, caseId, action, input);
  expect(r.status, JSON.stringify(r.problem)).toBe('applied');
  return r.case!;
}

export const VERIFIED = { documentsSeen: true, dataMatches: true, faceMatches: true, channel: 'counter' };

/** A phone's device key: non-extractable private half, exported public JWK, raw r‖s signatures. */
export interface Device {
  jwk: JsonWebKey & { kty: string; crv: string; x: string; y: string };
  sign(data: Uint8Array | string): Promise<string>;
}

export async function newDevice(): Promise<Device> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as Device['jwk'];
  return {
    jwk,
    async sign(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      return toBase64Url(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, bytes)));
    },
  };
}

/** Phone → operator: the phone registers its key, the operator "scans" LOKETB1 and pushes bind_device. */
export async function bindByPhoneQr(resident: { fetch: SignedIn['fetch'] }, op: { fetch: SignedIn['fetch'] }, caseId: string, device: Device): Promise<CaseView> {
  const res = await resident.fetch('/api/ikd/device/key', { method: 'POST', json: { publicJwk: device.jwk } });
  expect(res.status, await res.clone().text()).toBe(200);
  const { qr } = (await res.json()) as { qr: string };
  const [, qrCase, nonce, thumbprint] = qr.split('.');
  expect(qrCase).toBe(caseId);
  return actOk(op, caseId, 'bind_device', { direction: 'phone_qr', nonce, thumbprint });
}

/** The activation email of a case as queued (before delivery scrubs it): link token and PIN. */
export async function activationMail(caseId: string): Promise<{ id: string; token: string; pin: string; body: string }> {
  const row = await env.DB.prepare(`SELECT id, body FROM notifications WHERE case_id = ? AND scrub_after_send = 1 ORDER BY created_at DESC, rowid DESC LIMIT 1`).bind(caseId).first<{ id: string; body: string }>();
  expect(row).toBeTruthy();
  const token = /#t=([A-Za-z0-9_.-]+)/.exec(row!.body)?.[1];
  const pin = /PIN aktivasi: (\d{6})/.exec(row!.body)?.[1];
  expect(token && pin).toBeTruthy();
  return { id: row!.id, token: token!, pin: pin!, body: row!.body };
}

export const OWN_PIN = '480317';

/** Challenge → signature → login; returns the raw response. */
export async function residentLogin(nik: string, device: Device, pin: string, ip = testIp()): Promise<Response> {
  const ch = await api('/api/ikd/challenge', { method: 'POST', json: { nik, thumbprint: await thumbprint(device) }, ip });
  expect(ch.status, await ch.clone().text()).toBe(200);
  const { challengeId, challenge } = (await ch.json()) as { challengeId: string; challenge: string };
  const bytes = Uint8Array.from(atob(challenge.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (challenge.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return api('/api/ikd/login', { method: 'POST', json: { nik, pin, challengeId, signature: await device.sign(bytes) }, ip });
}

export async function thumbprint(device: Device): Promise<string> {
  const { calculateJwkThumbprint } = await import('jose');
  return calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: device.jwk.x, y: device.jwk.y }, 'sha256');
}

export interface ActiveResident {
  resident: TestResident;
  registered: Registered;
  caseId: string;
  device: Device;
  op: SignedIn & { id: string };
  /** Full-assurance session after sign-in. */
  session: { cookie: string; fetch: SignedIn['fetch'] };
}

/** Drives a new resident through the counter route to an active IKD and a signed-in session. */
export async function activeResident(op?: SignedIn & { id: string }): Promise<ActiveResident> {
  const resident = await addResident();
  const registered = await register(resident);
  const caseId = registered.case.id;
  const operator = op ?? (await staff());
  await actOk(operator, caseId, 'verify', VERIFIED);
  const device = await newDevice();
  await bindByPhoneQr(registered, operator, caseId, device);
  await actOk(operator, caseId, 'approve');
  const mail = await activationMail(caseId);
  const done = await api('/api/ikd/activation/complete', { method: 'POST', json: { token: mail.token, activationPin: mail.pin, pin: OWN_PIN }, ip: testIp() });
  expect(done.status, await done.clone().text()).toBe(200);
  const login = await residentLogin(resident.nik, device, OWN_PIN);
  expect(login.status, await login.clone().text()).toBe(200);
  const cookie = sessionCookieOf(login)!;
  return { resident, registered, caseId, device, op: operator, session: { cookie, fetch: (path, init = {}) => api(path, { ...init, cookie }) } };
}

/** A Monday–Thursday at least two days ahead, `HH:MM` local time in the office (test offices: no holidays). */
/** The demo offices are closed on the national holidays and joint leave days (a slot there is refused). */
export const isHoliday = (date: string): boolean => HOLIDAYS_2026.some((h) => h.date === date);

export function futureWeekday(officeCode: string, hhmm: string, daysAhead = 2): number {
  const tz = TZ[officeCode as keyof typeof TZ];
  let day = Date.now() + daysAhead * 86_400_000;
  for (;;) {
    const date = msToLocal(tz, day).slice(0, 10);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday >= 1 && weekday <= 4 && !isHoliday(date)) return localToMs(tz, `${date}T${hhmm}`);
    day += 86_400_000;
  }
}
