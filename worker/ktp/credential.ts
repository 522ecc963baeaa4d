/**
 * Issuing the digital-KTP credential: only to a resident signed in with PIN + device signature (assurance 'full'),
 * whose IKD account is active, for the device bound to it; claims from the registry, signed with the current office key.
 */
import type { JWK } from 'jose';
import { maskNik } from '../../schema/nik';
import { type IssuedCredential, credentialHeader, decodeCredential, encodeHeader, b64u, issueCredential, thumbprintOf } from '../../schema/ktp';
import { TIME_ZONES, msToLocal, type TimeZone } from '../../schema/service-time';
import { withAudit } from '../audit';
import { boundDevice, ktpSubject } from '../db/ktp';
import { findOffice } from '../db/offices';
import { registryFor } from '../db/registry';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { officeKeys } from '../keys';
import type { Session } from '../middleware/session';

/**
 * A credential lives 30 days: long enough for a resident far from signal, short enough that the blocked list stays
 * small (it lists devices blocked within this span) and a rotated-out office key can be dropped a month later.
 */
export const CREDENTIAL_TTL_SECONDS = 30 * 24 * 60 * 60;

/** Age in whole years on a local date (YYYY-MM-DD ≥ birth date), by calendar: a birthday counts from its day. */
export function ageOn(birthDate: string, localDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}


/**
 * Checks who asks and signs a fresh credential for their bound device.
 * @param thumbprint the device key the app holds; refused when it is not the bound one (a stale or replaced key).
 */
export async function issueForSession(env: Env, session: Session, opts: { thumbprint?: string; now: number; ip: string | null }): Promise<IssuedCredential> {
  if (session.subjectType !== 'resident') throw new ApiError('forbidden_role', 'Hanya penduduk pemilik IKD. / Residents with an IKD only.');
  const nik = session.subjectId;
  const subject = await ktpSubject(env.DB, session.tokenHash, nik);
  if (subject?.assurance !== 'full') throw new ApiError('assurance_insufficient', 'Masuk dengan PIN dan perangkat terlebih dahulu. / Sign in with PIN and device first.');
  if (subject.account_status !== 'active') throw new ApiError('ikd_not_active');
  const device = await boundDevice(env.DB, nik);
  if (!device) throw new ApiError('device_not_bound');
  if (opts.thumbprint !== undefined && opts.thumbprint !== device.thumbprint) throw new ApiError('device_not_bound', 'Kunci perangkat ini bukan yang terikat. / This device key is not the bound one.');

  const registry = registryFor(env);
  const resident = await registry.findResident(nik);
  if (!resident) throw new ApiError('resident_not_found');
  const family = await registry.findFamily(resident.kkNumber);
  const zone = (await findOffice(env.DB, resident.officeCode))?.time_zone ?? 'Asia/Jakarta';
  const today = msToLocal((zone in TIME_ZONES ? zone : 'Asia/Jakarta') as TimeZone, opts.now).slice(0, 10);

  const { signing } = await officeKeys(env);
  const issuedAt = Math.floor(opts.now / 1000);
  const expiresAt = issuedAt + CREDENTIAL_TTL_SECONDS;
  const publicJwk = JSON.parse(device.public_jwk) as JWK;
  const deviceThumbprint = await thumbprintOf(publicJwk);
  // The stored thumbprint names the key the credential will carry; a mismatch means a corrupt row, never sign it.
  if (deviceThumbprint !== device.thumbprint) throw new Error('device row: public_jwk does not match thumbprint');
  const held = await issueCredential(
    {
      name: resident.name,
      nik,
      birthDate: resident.birthDate,
      address: { street: family?.address ?? '-', districtCode: resident.regionCode },
      ageOver17: ageOn(resident.birthDate, today) >= 17,
      officeCode: resident.officeCode,
      devicePublicJwk: publicJwk,
      issuedAt,
      expiresAt,
    },
    signing,
  );
  const credential = decodeCredential(b64u.decode(held.credential));
  await withAudit(
    env.DB,
    [{ actor: `resident:${maskNik(nik)}`, action: 'ktp.credential_issued', object: `device:${deviceThumbprint}`, ip: opts.ip, detail: { kid: signing.kid, expiresAt } }],
    () => [],
  );
  return {
    ...held,
    kid: signing.kid,
    issuedAt,
    expiresAt,
    deviceThumbprint,
    jws: `${encodeHeader(credentialHeader(signing.kid))}.${b64u.encode(credential.payload)}.${b64u.encode(credential.signature)}`,
    holder: { name: resident.name, nikMasked: maskNik(nik) },
  };
}
