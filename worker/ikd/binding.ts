/**
 * The two binding QR codes (IKD.md): the phone registers its public key and gets a one-time nonce to show as
 * `LOKETB1…` for the operator to scan; the operator gets a one-time nonce to show as `LOKETB2…` for the phone to scan.
 * The binding itself is the `bind_device` SOP action (worker/ikd/hooks.ts).
 */
import type { z } from 'zod';
import type { DeviceKeyRequest } from '../../schema/contracts/ikd';
import { BINDING_NONCE_TTL_SECONDS, operatorBindingQr, phoneBindingQr } from '../../schema/ikd-rules';
import { maskNik } from '../../schema/nik';
import { withAudit } from '../audit';
import { type CaseRow, getCase } from '../db/cases';
import { getDeviceByThumbprint, insertEvent, insertNonce, insertPendingDevice, openIkdCase } from '../db/ikd';
import { checkObject } from '../engine';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';
import { canonicalJwk, importDeviceKey, randomToken, sha256Hex, thumbprintOf } from './device-keys';

/** States in which the phone may register a key for the coming binding. */
const KEY_STATES = new Set(['registered', 'scheduled', 'verified']);

/**
 * Stores the phone's public key (pending) for its open case and returns the `LOKETB1` QR with a fresh nonce.
 * Registering the same key again only renews the nonce.
 */
export async function registerDeviceKey(db: D1Database, session: Session, body: z.infer<typeof DeviceKeyRequest>, ip: string | null) {
  if (session.subjectType !== 'resident') throw new ApiError('forbidden_role', 'Hanya untuk pemohon. / Residents only.');
  const nik = session.subjectId;
  const row = await openIkdCase(db, nik);
  if (!row) throw new ApiError('case_not_found', 'Belum ada permohonan IKD. / No IKD application yet.');
  if (!KEY_STATES.has(row.state)) throw new ApiError('illegal_action', `Perangkat tidak dapat didaftarkan pada tahap "${row.state}". / A device key cannot be registered in state "${row.state}".`);
  const jwk = canonicalJwk(body.publicJwk);
  await importDeviceKey(jwk);
  const thumbprint = await thumbprintOf(jwk);
  const existing = await getDeviceByThumbprint(db, thumbprint);
  if (existing && (existing.nik !== nik || existing.status !== 'pending')) throw new ApiError('device_in_use', 'Kunci perangkat ini sudah terdaftar. / This device key is already registered.');

  const now = Date.now();
  const deviceId = existing?.id ?? crypto.randomUUID();
  const nonce = randomToken(16);
  const expiresAt = now + BINDING_NONCE_TTL_SECONDS * 1000;
  const actor = `resident:${maskNik(nik)}`;
  await withAudit(db, [{ actor, action: 'ikd.device_key_registered', object: `case:${row.id}`, ip, detail: { deviceId, thumbprint } }], async () => [
    ...(existing ? [] : [insertPendingDevice(db, { id: deviceId, nik, caseId: row.id, thumbprint, jwk: JSON.stringify(jwk), now })]),
    insertNonce(db, { nonce_hash: await sha256Hex(nonce), case_id: row.id, direction: 'phone_qr', device_id: deviceId, created_by: actor, created_at: now, expires_at: expiresAt }),
    ...(existing ? [] : [insertEvent(db, { nik, kind: 'device_registered', at: now, deviceId, ip })]),
  ]);
  return { deviceId, thumbprint, nonce, expiresAt, qr: phoneBindingQr({ caseId: row.id, nonce, thumbprint }) };
}

/** The operator's `LOKETB2` QR for a verified case of their office. */
export async function operatorNonce(db: D1Database, session: Session, caseId: string, ip: string | null) {
  if (session.subjectType !== 'staff' || !session.roles.includes('operator')) throw new ApiError('forbidden_role', 'Hanya operator. / Operators only.');
  const row: CaseRow | null = await getCase(db, caseId);
  if (!row || row.service !== 'ikd') throw new ApiError('case_not_found');
  checkObject(session, row);
  if (row.state !== 'verified') throw new ApiError('illegal_action', 'Kode QR pengikatan dibuat setelah verifikasi. / The binding QR is made after verification.');
  const now = Date.now();
  const nonce = randomToken(16);
  const expiresAt = now + BINDING_NONCE_TTL_SECONDS * 1000;
  const actor = `staff:${session.subjectId}`;
  await withAudit(db, [{ actor, action: 'ikd.binding_qr_made', object: `case:${row.id}`, ip }], async () => [
    insertNonce(db, { nonce_hash: await sha256Hex(nonce), case_id: row.id, direction: 'operator_qr', device_id: null, created_by: actor, created_at: now, expires_at: expiresAt }),
  ]);
  return { nonce, expiresAt, qr: operatorBindingQr({ caseId: row.id, nonce }) };
}
