/**
 * Getting the digital-KTP credential onto the phone and opening it with the PIN: online, the PIN signs the resident
 * in (IKD challenge signed by the device key + PIN) and a fresh credential is fetched and sealed under the PIN;
 * offline, the sealed copy is opened with the PIN. Wrong PINs offline are counted and end in erasing the copy.
 */
import type { IssuedCredential } from '../../../../schema/ktp';
export type { IssuedCredential };
import { b64u, decodeCredential } from '../../../../schema/ktp';
import { api, problemFromError } from '../../api';
import { residentSessionHint } from '../ikd/api';
import type { UiProblem } from '../../db';
import { db } from '../../db';
import { type DeviceKey, peekDeviceKey, signBytes } from '../../device';
import type { KtpCredentialRecord } from './records';
import type { KtpMsg } from './texts';
import { open, seal } from './vault';


/** Refresh online when the copy is older than this, or expires within REFRESH_BEFORE_EXPIRY_MS. */
export const REFRESH_AFTER_MS = 12 * 60 * 60_000;
export const REFRESH_BEFORE_EXPIRY_MS = 3 * 24 * 60 * 60_000;
/** Wrong PINs allowed offline before the sealed copy is erased (the server then counts, with its own lockout). */
export const OFFLINE_PIN_TRIES = 5;

export type Unlock =
  | { ok: true; credential: IssuedCredential; source: 'online' | 'stored' }
  | { ok: false; message: KtpMsg; params?: Record<string, number>; problem?: undefined }
  | { ok: false; problem: UiProblem; message?: undefined };

/** The phone's IKD: the resident's NIK it remembers, the device key (web/src/device) bound to it, and the office. */
export interface KtpHolder {
  nik: string;
  key: DeviceKey;
  /** the resident's office as last seen on this phone (its zone names the times shown) */
  officeCode?: string;
}

/** The holder on this phone, or undefined before IKD activation made a device key and remembered the NIK. */
export async function currentHolder(): Promise<KtpHolder | undefined> {
  const [key, nik, office] = await Promise.all([peekDeviceKey(), db.ikdLocal.get('nik'), db.ikdLocal.get('officeCode')]);
  if (!key || typeof nik?.value !== 'string') return undefined;
  return typeof office?.value === 'string' ? { nik: nik.value, key, officeCode: office.value } : { nik: nik.value, key };
}

/** The sealed copy's additional data: it only opens for this device key. */
const aadOf = (holder: KtpHolder) => `loket-ktp:${holder.key.thumbprint}`;

export async function storedCredential(holder: KtpHolder): Promise<KtpCredentialRecord | undefined> {
  const rec = await db.ktpCredential.get('current');
  return rec && rec.thumbprint === holder.key.thumbprint && rec.nik === holder.nik ? rec : undefined;
}

function refreshDue(rec: KtpCredentialRecord | undefined, now: number): boolean {
  return !rec || now - rec.fetchedAt > REFRESH_AFTER_MS || rec.expiresAt * 1000 - now < REFRESH_BEFORE_EXPIRY_MS;
}

/** IKD sign-in with the PIN (device signature over a fresh challenge), then a credential for this device key. */
async function fetchOnline(holder: KtpHolder, pin: string): Promise<IssuedCredential> {
  const { nik, key } = holder;
  const ch = await api<{ challengeId: string; challenge: string }>('/api/ikd/challenge', { body: { nik, thumbprint: key.thumbprint } });
  const signature = await signBytes(b64u.decode(ch.challenge), key);
  await api('/api/ikd/login', { body: { nik, pin, challengeId: ch.challengeId, signature } });
  residentSessionHint(true); // the account screen may now ask for the account
  return api<IssuedCredential>(`/api/ktp/credential?thumbprint=${encodeURIComponent(key.thumbprint)}`);
}

/** The office that issued a credential (its bytes name it): its zone names the times shown on this phone. */
export function credentialOffice(credential: IssuedCredential): string {
  return decodeCredential(b64u.decode(credential.credential)).officeCode;
}

async function store(holder: KtpHolder, credential: IssuedCredential, pin: string, now: number): Promise<void> {
  const sealed = await seal(credential, pin, aadOf(holder));
  // Kept apart from the sealed copy: a blocked phone loses the credential but still dates the block in this zone.
  await db.ikdLocal.put({ key: 'officeCode', value: credentialOffice(credential) });
  await db.ktpCredential.put({
    key: 'current',
    nik: holder.nik,
    thumbprint: holder.key.thumbprint,
    issuedAt: credential.issuedAt,
    expiresAt: credential.expiresAt,
    fetchedAt: now,
    ...sealed,
    failedPins: 0,
  });
}

/** Server answers after which the stored copy must go: the key is blocked or released, or the IKD is no longer active. */
const REVOKING = new Set(['device_blocked', 'device_not_bound', 'ikd_not_active']);

/**
 * Opens the credential with `pin`: fresh from the server when online and due, else the sealed copy.
 * Network failures fall back to the copy; the server's refusals (wrong PIN, locked, blocked) are shown as they are.
 */
export async function unlock(holder: KtpHolder, pin: string, online: boolean, now = Date.now()): Promise<Unlock> {
  const rec = await storedCredential(holder);
  if (online && refreshDue(rec, now)) {
    try {
      const fresh = await fetchOnline(holder, pin);
      await store(holder, fresh, pin, now);
      return { ok: true, credential: fresh, source: 'online' };
    } catch (err) {
      const problem: UiProblem = problemFromError(err);
      if (REVOKING.has(problem.code)) await db.ktpCredential.delete('current');
      const unreachable = problem.code === 'network' || problem.code === 'server_error' || problem.status >= 500;
      if (!unreachable) return { ok: false, problem };
    }
  }
  if (!rec) return { ok: false, message: 'ktp.needsOnline' };
  const opened = await open<IssuedCredential>(rec, pin, aadOf(holder));
  if (!opened) {
    const failedPins = rec.failedPins + 1;
    if (failedPins >= OFFLINE_PIN_TRIES) {
      await db.ktpCredential.delete('current');
      return { ok: false, message: 'ktp.pinWiped' };
    }
    await db.ktpCredential.update('current', { failedPins });
    return { ok: false, message: 'ktp.pinWrongLocal', params: { n: OFFLINE_PIN_TRIES - failedPins } };
  }
  if (rec.failedPins > 0) await db.ktpCredential.update('current', { failedPins: 0 });
  if (opened.expiresAt * 1000 <= now) return { ok: false, message: 'ktp.credentialExpired' };
  return { ok: true, credential: opened, source: 'stored' };
}
