/**
 * Staff accounts and signed-in requests for worker tests.
 * @example
 * const admin = await createStaff({ roles: ['admin'] });
 * const as = await signIn(admin.username, admin.password);
 * const res = await as.fetch('/api/staff', { method: 'POST', json: { ... } });
 */
import { createExecutionContext, env, SELF } from 'cloudflare:test';
import type { SessionUser } from '../../../schema/contracts/auth';
import type { StaffRole } from '../../../schema/roles';
import { hashPassword } from '../../../worker/auth/password';
import { insertUser } from '../../../worker/db/users';

declare global {
  namespace Cloudflare {
    interface Env {
      PEPPER: string;
    }
  }
}

/** The origin tests run against; non-GET requests carry it as `Origin` to pass the CSRF check. */
export const ORIGIN = 'http://localhost';
/** A password the policy accepts; every createStaff account has it unless told otherwise. */
export const STAFF_PASSWORD = 'Kopi-Tubruk-Jambi-2024';
/** Offices createStaff makes sure exist: Tabalong (the default) and Kota Jambi. */
export const TABALONG = '63.09';
export const KOTA_JAMBI = '15.71';

export interface ApiInit extends Omit<RequestInit, 'body'> {
  /** Sent as the JSON body (with Content-Type). */
  json?: unknown;
  /** Raw body, for malformed-JSON tests. */
  body?: BodyInit;
  /** A `loket_session=…` pair to send as Cookie. */
  cookie?: string;
  /** Sent as CF-Connecting-IP (the throttle's per-IP key). */
  ip?: string;
  /** Leave out the Origin header (to test the CSRF refusal). */
  noOrigin?: boolean;
  /**
   * true (the default): hand the request to the Worker's exported `fetch` in this isolate (same app, same env and
   * D1); false: through SELF, workerd's own HTTP path. Each SELF.fetch costs more than the one before it within a
   * workerd instance (measured here: 10 ms a request at first, 100+ ms after 150 requests, over 1 s after 600;
   * upstream cloudflare/workers-sdk#15446), while a direct call stays under a millisecond. direct-dispatch.test.ts
   * shows both answer alike, and keeps SELF's path tested.
   */
  direct?: boolean;
}

/** A request to the Worker on an /api path with our Origin, JSON body and cookie filled in (see `direct`). */
export function api(path: string, init: ApiInit = {}): Promise<Response> {
  const { json, cookie, ip, noOrigin, direct = true, headers, ...rest } = init;
  const h = new Headers(headers);
  if (!noOrigin && !h.has('origin')) h.set('origin', ORIGIN);
  if (cookie) h.set('cookie', cookie);
  if (ip) h.set('cf-connecting-ip', ip);
  let body = rest.body;
  if (json !== undefined) {
    h.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }
  const url = path.startsWith('http') ? path : `${ORIGIN}${path}`;
  if (direct) return dispatch(new Request(url, { ...rest, headers: h, body }));
  return SELF.fetch(url, { ...rest, headers: h, body });
}

/** The Worker's own `fetch` with a fresh execution context; its waitUntil work (sealing, sending) runs on, as after SELF. */
async function dispatch(request: Request): Promise<Response> {
  const { default: worker } = await import('../../../worker/index');
  return worker.fetch(request as Parameters<typeof worker.fetch>[0], env as unknown as Parameters<typeof worker.fetch>[1], createExecutionContext());
}

/** The `loket_session=<token>` pair a response set, or null. */
export function sessionCookieOf(res: Response): string | null {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('loket_session='));
  if (!header) return null;
  const pair = header.split(';')[0] ?? '';
  return pair === 'loket_session=' ? null : pair;
}

export interface SignedIn {
  /** `loket_session=<token>`, for a raw Cookie header. */
  cookie: string;
  user: SessionUser;
  /** `api()` with this session's cookie. */
  fetch(path: string, init?: ApiInit): Promise<Response>;
}

/** Signs in through POST /api/auth/login; throws with the problem body when it does not answer 200. */
export async function signIn(username: string, password: string, opts: { ip?: string } = {}): Promise<SignedIn> {
  const res = await api('/api/auth/login', { method: 'POST', json: { username, password }, ip: opts.ip });
  if (res.status !== 200) throw new Error(`signIn(${username}) answered ${res.status}: ${await res.text()}`);
  const cookie = sessionCookieOf(res);
  if (!cookie) throw new Error(`signIn(${username}) set no session cookie`);
  const { user } = (await res.json()) as { user: SessionUser };
  return { cookie, user, fetch: (path, init = {}) => api(path, { ...init, cookie }) };
}

export interface StaffFixture {
  id: string;
  username: string;
  password: string;
  displayName: string;
  officeCode: string;
  roles: StaffRole[];
}

let counter = 0;

/** Inserts the demo offices once per test file's database (tests may run in any order). */
export async function ensureOffices(db: D1Database = env.DB): Promise<void> {
  const hours = JSON.stringify({ mon: [['08:30', '16:00']], tue: [['08:30', '16:00']], wed: [['08:30', '16:00']], thu: [['08:30', '16:00']], fri: [['08:00', '10:30']] });
  const office = db.prepare('INSERT OR IGNORE INTO offices (code, name, region_code, time_zone, service_hours_json) VALUES (?, ?, ?, ?, ?)');
  await db.batch([
    office.bind(TABALONG, 'Kabupaten Tabalong', TABALONG, 'Asia/Makassar', hours),
    office.bind(KOTA_JAMBI, 'Kota Jambi', KOTA_JAMBI, 'Asia/Jakarta', hours),
  ]);
}

/**
 * Creates a staff account directly in D1 (no admin needed), with a unique username unless one is given.
 * Defaults: office Tabalong (63.09), role front_office, password STAFF_PASSWORD, enabled.
 */
export async function createStaff(
  opts: { username?: string; roles?: StaffRole[]; officeCode?: string; password?: string; displayName?: string; disabled?: boolean; partnerId?: string } = {},
): Promise<StaffFixture> {
  await ensureOffices();
  counter += 1;
  const roles = opts.roles ?? ['front_office'];
  const username = opts.username ?? `${roles[0]?.replace(/_/g, '-') ?? 'staff'}-${counter}-${crypto.randomUUID().slice(0, 6)}`;
  const password = opts.password ?? STAFF_PASSWORD;
  const now = new Date().toISOString();
  const fixture: StaffFixture = {
    id: crypto.randomUUID(),
    username,
    password,
    displayName: opts.displayName ?? `Petugas ${counter}`,
    officeCode: opts.officeCode ?? TABALONG,
    roles,
  };
  await insertUser(env.DB, {
    ...fixture,
    passwordHash: await hashPassword(password, env.PEPPER),
    disabled: opts.disabled ?? false,
    partnerId: opts.partnerId ?? null,
    createdAt: now,
    updatedAt: now,
  }).run();
  return fixture;
}

/** A fresh client address per test, so per-IP failure counters of one test do not lock out another. */
export function testIp(): string {
  counter += 1;
  return `10.0.${Math.floor(counter / 250) % 250}.${counter % 250}`;
}
