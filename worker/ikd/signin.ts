/**
 * Resident sign-in on the bound device (seed 003 "login dengan PIN"): a one-time server challenge signed by the device
 * key, then NIK + PIN, throttled per NIK with growing waits once the device key has signed; every attempt on a real device lands in the resident's
 * history. Also the resident's PIN change.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { ChallengeRequest, ChangePinRequest, ResidentLoginRequest } from '../../schema/contracts/ikd';
import { CHALLENGE_TTL_SECONDS, checkPin } from '../../schema/ikd-rules';
import { maskNik, parseNik } from '../../schema/nik';
import { withAudit } from '../audit';
import { fromBase64Url, hashPassword } from '../auth/password';
import { clientIp, IP_POLICY, type Limit, Throttle, type ThrottlePolicy, throttleSource } from '../auth/throttle';
import {
  getAccount,
  getDeviceByThumbprint,
  insertChallenge,
  insertEvent,
  purgeChallenges,
  revokeOtherResidentSessions,
  sessionAssurance,
  updatePin,
  useChallenge,
} from '../db/ikd';
import { registryFor } from '../db/registry';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';
import type { DeviceJwk } from '../../schema/workflows/ikd';
import { randomToken, verifyDeviceSignature } from './device-keys';
import { assertPinAllowed, checkResidentPin, pinLimits } from './pin';
import { residentSummary } from './registration';
import { startResidentSession } from './service';

/** Per client IP: 60 challenges in 15 minutes (each is a row; a phone needs one per sign-in). */
const CHALLENGE_IP_POLICY: ThrottlePolicy = { limit: 60, windowMs: 15 * 60_000, lockedUntil: (_f, windowStart) => windowStart + 15 * 60_000 };

/** Makes a challenge for any well-formed NIK and thumbprint: whether they are bound is told only at sign-in. */
export async function challenge(c: Context<AppEnv>, body: z.infer<typeof ChallengeRequest>) {
  const parsed = parseNik(body.nik);
  if (!parsed.ok) throw new ApiError('invalid_nik', `${parsed.message.id} / ${parsed.message.en}`, { reason: parsed.reason });
  const db = c.env.DB;
  const limit: Limit = { key: `challenge:ip:${throttleSource(c)}`, policy: CHALLENGE_IP_POLICY };
  const throttle = new Throttle(db);
  await throttle.assertAllowed([limit]);
  await throttle.fail([limit]);
  const now = Date.now();
  const id = crypto.randomUUID();
  const value = randomToken(32);
  const expiresAt = now + CHALLENGE_TTL_SECONDS * 1000;
  await db.batch([purgeChallenges(db, now - 3_600_000), insertChallenge(db, { id, nik: body.nik, thumbprint: body.thumbprint, challenge: value, now, expiresAt })]);
  return { challengeId: id, challenge: value, expiresAt };
}

/**
 * Signs a resident in with full assurance. Order: challenge (single use) → device key of this NIK → signature →
 * PIN lock → device status → PIN. Only a request signed by the bound device's non-extractable key can touch the
 * resident's PIN counter: a wrong signature is charged to its source address alone (issue 8: anyone who knew a NIK
 * and the thumbprint printed in the QR could lock the resident out with garbage signatures).
 */
export async function login(c: Context<AppEnv>, body: z.infer<typeof ResidentLoginRequest>) {
  const db = c.env.DB;
  const ip = clientIp(c.req);
  const signatureLimit: Limit = { key: `pin:sig:ip:${throttleSource(c)}`, policy: IP_POLICY };
  const throttle = new Throttle(db);
  await throttle.assertAllowed([signatureLimit]);
  const now = Date.now();
  const ch = await useChallenge(db, body.challengeId, body.nik, now);
  if (!ch) throw new ApiError('challenge_invalid', 'Tantangan masuk tidak dikenal, sudah dipakai atau kedaluwarsa; minta yang baru. / Unknown, used or expired challenge; request a new one.');
  const device = await getDeviceByThumbprint(db, ch.thumbprint);
  if (!device || device.nik !== body.nik) throw new ApiError('device_not_bound', 'Perangkat ini tidak terikat ke IKD Anda. / This device is not bound to your IKD.');

  const fail = async (reason: string, err: ApiError): Promise<never> => {
    const audit = { actor: 'anonymous', action: 'ikd.login_failed', object: `resident:${maskNik(body.nik)}`, ip, detail: { reason, deviceId: device.id } };
    await withAudit(db, [audit], () => [insertEvent(db, { nik: body.nik, kind: 'signin_failed', at: now, deviceId: device.id, ip, detail: { reason } })]);
    throw err;
  };

  const challengeBytes = fromBase64Url(ch.challenge) ?? new Uint8Array();
  const signed = await verifyDeviceSignature(JSON.parse(device.public_jwk) as DeviceJwk, challengeBytes, body.signature);
  if (!signed) {
    await throttle.fail([signatureLimit]);
    await fail('signature_invalid', new ApiError('device_signature_invalid', 'Tanda tangan perangkat tidak sah. / The device signature does not verify.'));
  }
  // From here on the request provably comes from the resident's bound device: its PIN tries are the resident's.
  const limits = pinLimits(body.nik, throttleSource(c));
  await assertPinAllowed(throttle, limits);
  if (device.status === 'blocked') await fail('device_blocked', new ApiError('device_blocked', 'Perangkat ini diblokir (dilaporkan hilang). / This device is blocked (reported lost).'));
  if (device.status !== 'bound') await fail('device_not_bound', new ApiError('device_not_bound', 'Perangkat ini sudah dilepas atau belum terikat. / This device was released or is not bound yet.'));
  try {
    await checkResidentPin(c.env, db, body.nik, body.pin, throttleSource(c), throttle);
  } catch (err) {
    if (err instanceof ApiError) await fail(err.code, err);
    throw err;
  }
  const resident = await registryFor(c.env).findResident(body.nik);
  if (!resident) throw new ApiError('ikd_not_active');
  await startResidentSession(c, body.nik, 'full', 'ikd.login');
  await insertEvent(db, { nik: body.nik, kind: 'signin', at: now, deviceId: device.id, ip }).run();
  return { resident: await residentSummary(db, resident), assurance: 'full' as const };
}

/** Full assurance: a session from NIK + PIN + device signature (not a registration session). */
export async function requireFullAssurance(db: D1Database, session: Session): Promise<void> {
  if (session.subjectType !== 'resident') throw new ApiError('forbidden_role', 'Hanya untuk pemohon. / Residents only.');
  if ((await sessionAssurance(db, session.tokenHash)) !== 'full') {
    throw new ApiError('assurance_insufficient', 'Masuk dengan PIN di perangkat terikat dulu. / Sign in with your PIN on the bound device first.');
  }
}

/** Changes the resident's own PIN: current PIN (throttled), policy, other sessions ended. */
export async function changePin(c: Context<AppEnv>, session: Session, body: z.infer<typeof ChangePinRequest>): Promise<void> {
  const db = c.env.DB;
  await requireFullAssurance(db, session);
  const nik = session.subjectId;
  const ip = clientIp(c.req);
  await checkResidentPin(c.env, db, nik, body.currentPin, throttleSource(c));
  const resident = await registryFor(c.env).findResident(nik);
  const account = await getAccount(db, nik);
  const policy = checkPin(body.newPin, { birthDate: resident?.birthDate, nik, phone: resident?.phone ?? undefined, currentPin: body.currentPin });
  if (!policy.ok) throw new ApiError('pin_weak', `${policy.message.id} / ${policy.message.en}`, { reason: policy.reason });
  const now = Date.now();
  const pinHash = await hashPassword(body.newPin, c.env.PEPPER);
  const audit = { actor: `resident:${maskNik(nik)}`, action: 'ikd.pin_changed', object: `resident:${maskNik(nik)}`, ip, detail: { caseId: account?.case_id ?? null } };
  await withAudit(db, [audit], () => [
    updatePin(db, nik, pinHash, now),
    insertEvent(db, { nik, kind: 'pin_changed', at: now, ip }),
    revokeOtherResidentSessions(db, nik, session.tokenHash, now),
  ]);
}
