/**
 * The phone asks what became of its own device key before it shows a digital KTP: still bound, blocked (reported
 * lost) or released. It proves it holds the key by signing a sign-in challenge, so nobody who merely saw a QR (and
 * its thumbprint) can learn more than the public blocked list already says. Answers carry the server's clock.
 */
import type { Context } from 'hono';
import type { DeviceJwk } from '../../schema/workflows/ikd';
import { fromBase64Url } from '../auth/password';
import { getDeviceByThumbprint, useChallenge } from '../db/ikd';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { verifyDeviceSignature } from '../ikd/device-keys';

export type OwnDeviceStatus = 'bound' | 'blocked' | 'released' | 'not_bound';

export interface OwnDeviceAnswer {
  status: OwnDeviceStatus;
  /** Epoch ms of the block or release; null while bound or never bound. */
  changedAt: number | null;
  /** The server's clock (epoch ms) when it answered, for the phone's clock offset. */
  serverTime: number;
}

export async function ownDeviceStatus(c: Context<AppEnv>, body: { nik: string; challengeId: string; signature: string }): Promise<OwnDeviceAnswer> {
  const db = c.env.DB;
  const now = Date.now();
  const ch = await useChallenge(db, body.challengeId, body.nik, now);
  if (!ch) throw new ApiError('challenge_invalid', 'Tantangan tidak dikenal, sudah dipakai atau kedaluwarsa; minta yang baru. / Unknown, used or expired challenge; request a new one.');
  const device = await getDeviceByThumbprint(db, ch.thumbprint);
  if (!device || device.nik !== body.nik) return { status: 'not_bound', changedAt: null, serverTime: Date.now() };
  const signed = await verifyDeviceSignature(JSON.parse(device.public_jwk) as DeviceJwk, fromBase64Url(ch.challenge) ?? new Uint8Array(), body.signature);
  if (!signed) throw new ApiError('device_signature_invalid', 'Tanda tangan perangkat tidak sah. / The device signature does not verify.');
  const status: OwnDeviceStatus = device.status === 'pending' ? 'not_bound' : device.status;
  const changedAt = status === 'blocked' ? device.blocked_at : status === 'released' ? device.released_at : null;
  return { status, changedAt: changedAt ?? null, serverTime: Date.now() };
}
