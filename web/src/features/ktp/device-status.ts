/**
 * What became of this phone's IKD device key, asked of the server before a digital KTP is shown: still bound,
 * blocked (reported lost) or released ("lepas perangkat"). The last answer is kept with its time, so an offline
 * phone can say how old its knowledge is. A blocked or released key loses its stored credential at once.
 */
import { b64u } from '../../../../schema/ktp/bytes';
import { api } from '../../api';
import { noteServerTime } from '../../clock';
import { db } from '../../db';
import { signBytes } from '../../device';
import type { KtpHolder } from './credential';

export type OwnDeviceStatus = 'bound' | 'blocked' | 'released' | 'not_bound';

export interface KnownDeviceStatus {
  thumbprint: string;
  status: OwnDeviceStatus;
  /** when it was blocked or released (server ms), if it was */
  changedAt: number | null;
  /** when this phone last heard it from the server (device ms) */
  checkedAt: number;
}

/** The last answer stored for this key, if any. */
export async function lastDeviceStatus(holder: KtpHolder): Promise<KnownDeviceStatus | undefined> {
  const row = (await db.ikdLocal.get('deviceStatus'))?.value as KnownDeviceStatus | undefined;
  return row && row.thumbprint === holder.key.thumbprint ? row : undefined;
}

/**
 * Asks the server (challenge signed by the device key; no PIN). Throws ApiFailure when it cannot (offline, server
 * down); the caller falls back to `lastDeviceStatus`.
 */
export async function checkDeviceStatus(holder: KtpHolder): Promise<KnownDeviceStatus> {
  const { nik, key } = holder;
  const ch = await api<{ challengeId: string; challenge: string }>('/api/ikd/challenge', { body: { nik, thumbprint: key.thumbprint } });
  const signature = await signBytes(b64u.decode(ch.challenge), key);
  const sentAt = Date.now();
  const answer = await api<{ status: OwnDeviceStatus; changedAt: number | null; serverTime: number }>('/api/ktp/device-status', {
    body: { nik, challengeId: ch.challengeId, signature },
  });
  noteServerTime(answer.serverTime, sentAt, Date.now());
  const known: KnownDeviceStatus = { thumbprint: key.thumbprint, status: answer.status, changedAt: answer.changedAt, checkedAt: Date.now() };
  await db.ikdLocal.put({ key: 'deviceStatus', value: known });
  if (known.status !== 'bound') await db.ktpCredential.delete('current');
  return known;
}
