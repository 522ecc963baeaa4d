/**
 * Public IKD registration and resumption (seed 000 step 1, seed 003 step 2): the identity check against the registry
 * (NIK + KK number + mother's maiden name) answers only match / no match, is limited per NIK and per IP, and leaves
 * its detail for staff; then eligibility, one open case per resident, the `register` action and a session of
 * registration assurance.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { IkdRegisterRequest, IkdResumeRequest, ResidentSummary } from '../../schema/contracts/ikd';
import type { CaseView } from '../../schema/contracts/sync';
import { eligibility, MATCH_TRIES_BEFORE_LOCK, officeToday } from '../../schema/ikd-rules';
import { uuid7 } from '../../schema/ids';
import { maskNik, parseNik } from '../../schema/nik';
import { withAudit } from '../audit';
import { clientIp, type Limit, Throttle, type ThrottlePolicy, throttleSource } from '../auth/throttle';
import { caseView } from '../case-view';
import { insertMatchAttempt, openIkdCase } from '../db/ikd';
import { registryFor, type Resident } from '../db/registry';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { notEligible, officeInfo } from './hooks';
import { engineContext, residentSessionFor, run, startResidentSession } from './service';

const HOUR = 3_600_000;

/**
 * Per NIK: the 5th mismatch in a day pauses the online check for that NIK for an hour, each further one doubles it
 * to at most 4 hours. Anyone who knows a NIK can trip it, so it stays short and the resident is sent to the counter,
 * where staff check the documents in person (issue 8); the per-IP limit below is what stops one guesser.
 */
export const MATCH_POLICY: ThrottlePolicy = {
  limit: MATCH_TRIES_BEFORE_LOCK,
  windowMs: 24 * HOUR,
  lockedUntil: (failures, _windowStart, now) => now + Math.min(HOUR * 2 ** (failures - MATCH_TRIES_BEFORE_LOCK), MATCH_LOCK_CAP_MS),
};
/** The longest pause of the online identity check for one NIK. */
export const MATCH_LOCK_CAP_MS = 4 * HOUR;

/** 429 for a NIK whose online check is paused: how long, and what to do instead (the counter). */
export function identityCheckLocked(retryAfterSeconds: number): ApiError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = minutes >= 90 ? `${Math.ceil(minutes / 60)} jam` : `${minutes} menit`;
  const waitEn = minutes >= 90 ? `${Math.ceil(minutes / 60)} hour(s)` : `${minutes} minute(s)`;
  return new ApiError(
    'identity_check_locked',
    `Pemeriksaan data daring untuk NIK ini dihentikan sementara setelah beberapa kali tidak cocok. Coba lagi dalam ${wait}, atau datang ke loket Disdukcapil dengan KTP-el dan Kartu Keluarga asli: petugas memeriksa data Anda di tempat. / ` +
      `The online check for this NIK is paused after several mismatches. Try again in ${waitEn}, or visit the Disdukcapil counter with your e-KTP and original family card: staff check your details in person.`,
    { retryAfterSeconds },
  );
}

/** Per client IP: 20 identity checks an hour, matched or not (a public form must not become a registry oracle). */
export const REGISTER_IP_POLICY: ThrottlePolicy = {
  limit: 20,
  windowMs: HOUR,
  lockedUntil: (_failures, windowStart) => windowStart + HOUR,
};

const mismatch = () =>
  new ApiError('identity_mismatch', 'Data tidak cocok dengan database kependudukan. Periksa kembali NIK, nomor KK dan nama ibu kandung. / The details do not match the population registry. Check the NIK, KK number and mother’s maiden name.');

type Claim = z.infer<typeof IkdResumeRequest>;

/**
 * Checks the claim against the registry, throttled; records the attempt (which fields differed) for staff and in the
 * audit log. Returns the resident on a match; otherwise one generic `identity_mismatch` (unknown NIKs included).
 */
export async function proveIdentity(c: Context<AppEnv>, claim: Claim, purpose: 'register' | 'resume'): Promise<Resident> {
  const parsed = parseNik(claim.nik);
  if (!parsed.ok) throw new ApiError('invalid_nik', `${parsed.message.id} / ${parsed.message.en}`, { reason: parsed.reason });
  const db = c.env.DB;
  const ip = clientIp(c.req);
  const nikLimit: Limit = { key: `match:${claim.nik}`, policy: MATCH_POLICY };
  const ipLimit: Limit = { key: `register:ip:${throttleSource(c)}`, policy: REGISTER_IP_POLICY };
  const throttle = new Throttle(db);
  const nikWait = await throttle.retryAfterSeconds([nikLimit]);
  if (nikWait > 0) throw identityCheckLocked(nikWait);
  await throttle.assertAllowed([ipLimit]);
  await throttle.fail([ipLimit]);

  const registry = registryFor(c.env);
  const match = await registry.matchIdentity(claim);
  const now = Date.now();
  await withAudit(
    db,
    [{ actor: 'anonymous', action: match.matches ? 'ikd.identity_matched' : 'ikd.identity_mismatch', object: `resident:${maskNik(claim.nik)}`, ip, detail: { purpose, differs: match.detail.differs } }],
    () => [insertMatchAttempt(db, { nik: claim.nik, at: now, purpose, matched: match.matches, differs: match.detail.differs, ip })],
  );
  if (!match.matches) {
    const lockedFor = await throttle.fail([nikLimit]);
    if (lockedFor > 0) throw identityCheckLocked(lockedFor);
    throw mismatch();
  }
  await throttle.reset(nikLimit.key);
  const resident = await registry.findResident(claim.nik);
  if (!resident) throw mismatch();
  return resident;
}

export async function residentSummary(db: D1Database, r: Resident): Promise<z.infer<typeof ResidentSummary>> {
  const office = await officeInfo(db, r.officeCode);
  return { nikMasked: maskNik(r.nik), name: r.name, officeCode: r.officeCode, officeName: office.name };
}

/** Registers a new IKD case and starts a registration session; 409 ikd_case_open (with the case) when one is open. */
export async function register(c: Context<AppEnv>, body: z.infer<typeof IkdRegisterRequest>): Promise<{ case: CaseView; resident: z.infer<typeof ResidentSummary> }> {
  const { motherMaidenName, caseId, commandId, ...input } = body;
  const resident = await proveIdentity(c, { nik: body.nik, kkNumber: body.kkNumber, motherMaidenName }, 'register');
  const db = c.env.DB;
  const office = await officeInfo(db, resident.officeCode);
  const el = eligibility(resident, officeToday(office.tz, Date.now()));
  if (!el.eligible) throw notEligible(el.reasons);
  const open = await openIkdCase(db, resident.nik);
  // A retry of the same registration (same command id) is answered by the engine as a duplicate, not refused here.
  if (open && !(commandId && caseId === open.id)) {
    throw new ApiError('ikd_case_open', 'Sudah ada permohonan IKD yang berjalan untuk NIK ini. / An IKD application is already open for this NIK.', { case: await caseView(db, open) });
  }
  const ctx = engineContext(c, residentSessionFor(resident));
  const view = await run(ctx, { id: commandId ?? uuid7(ctx.now), type: 'create', caseId: caseId ?? uuid7(ctx.now), service: 'ikd', input });
  await startResidentSession(c, resident.nik, 'registration', 'ikd.registration_session');
  return { case: view, resident: await residentSummary(db, resident) };
}

/**
 * A new registration session for a resident whose application is still before activation (the first session timed
 * out); an active account signs in with PIN and device instead.
 */
export async function resume(c: Context<AppEnv>, body: Claim): Promise<{ case: CaseView; resident: z.infer<typeof ResidentSummary> }> {
  const resident = await proveIdentity(c, body, 'resume');
  const db = c.env.DB;
  const open = await openIkdCase(db, resident.nik);
  if (!open || open.state === 'active' || open.state === 'blocked') {
    throw new ApiError('case_not_found', 'Tidak ada permohonan IKD yang menunggu aktivasi; masuk dengan PIN atau daftar baru. / No IKD application awaiting activation; sign in with your PIN or register.');
  }
  await startResidentSession(c, resident.nik, 'registration', 'ikd.registration_session');
  return { case: await caseView(db, open), resident: await residentSummary(db, resident) };
}
