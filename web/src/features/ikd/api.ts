/** Typed calls of the resident's IKD API (/api/ikd/*), the shapes taken from schema/contracts/ikd.ts. */
import type { z } from 'zod';
import type {
  ActivationVerifyResponse,
  ChallengeResponse,
  DeviceKeyResponse,
  FreeSlotsResponse,
  IkdMeResponse,
  IkdRegisterRequest,
  IkdSessionResponse,
  ResidentLoginResponse,
} from '../../../../schema/contracts/ikd';
import type { CaseView } from '../../../../schema/contracts/sync';
import { api } from '../../api';
import type { DeviceKey } from '../../device';

// The device key module (WebCrypto, IndexedDB, jose) loads when a call needs the key, not with the IKD entry page.
const device = () => import('../../device');

export type IkdMe = IkdMeResponse;
export type IkdSession = z.infer<typeof IkdSessionResponse>;
export type FreeSlots = z.infer<typeof FreeSlotsResponse>;
export type DeviceKeyAnswer = z.infer<typeof DeviceKeyResponse>;

const SESSION_HINT = 'loket.residentSession';

/**
 * Whether this browser may hold a resident session: set when one starts here, cleared when the server says there is
 * none. With '0' (or no app database at all) the IKD pages do not ask /api/ikd/me, which would only answer 401.
 */
export function residentSessionHint(value?: boolean): boolean | undefined {
  try {
    if (value !== undefined) localStorage.setItem(SESSION_HINT, value ? '1' : '0');
    const v = localStorage.getItem(SESSION_HINT);
    return v === null ? undefined : v === '1';
  } catch {
    return undefined;
  }
}

function started<T>(p: Promise<T>): Promise<T> {
  return p.then((r) => {
    residentSessionHint(true);
    return r;
  });
}

export const ikdApi = {
  register: (body: IkdRegisterRequest) => started(api<IkdSession>('/api/ikd/register', { method: 'POST', body })),
  resume: (body: { nik: string; kkNumber: string; motherMaidenName: string }) => started(api<IkdSession>('/api/ikd/resume', { method: 'POST', body })),
  me: () => api<IkdMe>('/api/ikd/me'),
  freeSlots: () => api<FreeSlots>('/api/ikd/slots/free'),
  book: (slotId: string, commandId: string) => api<{ case: CaseView }>('/api/ikd/booking', { method: 'POST', body: { slotId, commandId } }),
  cancelBooking: (commandId: string) => api<{ case: CaseView }>('/api/ikd/booking/cancel', { method: 'POST', body: { commandId } }),
  activationVerify: (token: string, activationPin: string) =>
    api<z.infer<typeof ActivationVerifyResponse>>('/api/ikd/activation/verify', { method: 'POST', body: { token, activationPin } }),
  activationComplete: (body: { token: string; activationPin: string; pin: string; commandId: string }) =>
    api<{ case: CaseView }>('/api/ikd/activation/complete', { method: 'POST', body }),
  changePin: (currentPin: string, newPin: string) => api<void>('/api/ikd/pin', { method: 'POST', body: { currentPin, newPin } }),
  release: (pin: string, commandId: string) => api<{ case: CaseView }>('/api/ikd/device/release', { method: 'POST', body: { pin, commandId } }),
  logout: () => api<void>('/api/auth/logout', { method: 'POST', body: {} }),

  /** Registers this phone's public key for the open case; the answer carries the `LOKETB1…` QR text. */
  async deviceKey(): Promise<DeviceKeyAnswer> {
    const key = await (await device()).getDeviceKey();
    return api<DeviceKeyAnswer>('/api/ikd/device/key', { method: 'POST', body: { publicJwk: key.publicJwk } });
  },

  /** Binds this phone after scanning the officer's `LOKETB2…` QR: the key signs the QR text exactly as scanned. */
  async bindScanned(qr: string, commandId: string): Promise<{ case: CaseView }> {
    const { getDeviceKey, signBytes } = await device();
    const key = await getDeviceKey();
    const signature = await signBytes(new TextEncoder().encode(qr), key);
    return api<{ case: CaseView }>('/api/ikd/device/bind', { method: 'POST', body: { qr, publicJwk: key.publicJwk, signature, commandId } });
  },

  /**
   * Sign-in on the bound device: a one-time server challenge signed with the device key, then NIK + PIN.
   * @example await ikdApi.signIn('1571…', '428193', key)
   */
  async signIn(nik: string, pin: string, key: DeviceKey): Promise<z.infer<typeof ResidentLoginResponse>> {
    const ch = await api<z.infer<typeof ChallengeResponse>>('/api/ikd/challenge', { method: 'POST', body: { nik, thumbprint: key.thumbprint } });
    const { fromBase64Url, signBytes } = await device();
    const signature = await signBytes(fromBase64Url(ch.challenge), key);
    return started(api<z.infer<typeof ResidentLoginResponse>>('/api/ikd/login', { method: 'POST', body: { nik, pin, challengeId: ch.challengeId, signature } }));
  },
};
