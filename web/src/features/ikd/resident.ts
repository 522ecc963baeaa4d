/**
 * The resident's side of IKD on this phone: the account as the server last showed it (cached in Dexie for offline
 * viewing), the remembered NIK, and the moves that change who is signed in (register, resume, sign in, release).
 */
import { createRoot, createSignal } from 'solid-js';
import { ApiFailure, problemFromError } from '../../api';
import { type IkdLocalValues, type UiProblem, db } from '../../db';
import { peekDeviceKey, renewDeviceKey } from '../../device';
import { type IkdMe, ikdApi } from './api';
import { checkDeviceStatus } from '../ktp/device-status';

export type MeStatus = 'unknown' | 'ok' | 'offline' | 'signed_out';

async function getLocal<K extends keyof IkdLocalValues>(key: K): Promise<IkdLocalValues[K] | undefined> {
  return (await db.ikdLocal.get(key))?.value as IkdLocalValues[K] | undefined;
}

async function setLocal<K extends keyof IkdLocalValues>(key: K, value: IkdLocalValues[K]): Promise<void> {
  await db.ikdLocal.put({ key, value } as never);
}

function createResidentStore() {
  const [me, setMe] = createSignal<IkdMe>();
  const [status, setStatus] = createSignal<MeStatus>('unknown');
  const [fetchedAt, setFetchedAt] = createSignal<number>();
  const [nik, setNik] = createSignal<string>();
  void getLocal('nik').then((n) => setNik(n));

  /**
   * Reads the account from the server; offline, the last copy on this phone. A 401 means no resident session:
   * the cached copy is dropped so a borrowed phone does not keep showing someone's account.
   */
  async function refresh(): Promise<MeStatus> {
    try {
      const fresh = await ikdApi.me();
      const at = Date.now();
      setMe(fresh);
      setFetchedAt(at);
      setStatus('ok');
      await setLocal('me', { ...fresh, fetchedAt: at });
      return 'ok';
    } catch (err) {
      const p: UiProblem = problemFromError(err);
      if (p.status === 401 || p.status === 403) {
        setMe(undefined);
        setStatus('signed_out');
        await db.ikdLocal.delete('me');
        return 'signed_out';
      }
      const cached = await getLocal('me');
      if (cached) {
        const { fetchedAt: at, ...rest } = cached;
        setMe(rest);
        setFetchedAt(at);
      }
      setStatus('offline');
      return 'offline';
    }
  }

  async function rememberNik(value: string): Promise<void> {
    setNik(value);
    await setLocal('nik', value);
  }

  /**
   * Signs in with NIK + PIN on this phone's bound key.
   * @throws ApiFailure with `device_not_bound` when this phone has no key at all
   */
  async function signIn(nikValue: string, pin: string): Promise<void> {
    const key = await peekDeviceKey();
    if (!key) throw new ApiFailure({ code: 'device_not_bound', status: 403 });
    await ikdApi.signIn(nikValue, pin, key);
    await rememberNik(nikValue);
    await refresh();
  }

  /** Ends the session on the server and forgets the cached account (the device key and NIK stay for next time). */
  async function signOut(): Promise<void> {
    try {
      await ikdApi.logout();
    } catch {
      // offline: the cookie expires on its own; this phone forgets the account now
    }
    setMe(undefined);
    setStatus('signed_out');
    await db.ikdLocal.delete('me');
  }

  /** After "lepas perangkat": the old key can never be bound again, so this phone makes a new one for next time. */
  async function afterRelease(): Promise<void> {
    await renewDeviceKey();
    setMe(undefined);
    setStatus('signed_out');
    await db.ikdLocal.delete('me');
  }

  return { me, status, fetchedAt, nik, refresh, rememberNik, signIn, signOut, afterRelease };
}

// One store for the app's lifetime (the account is one per phone); createRoot owns its signals.
const store = createRoot(() => createResidentStore());

/** @example const resident = useResident(); resident.me()?.case?.state */
export function useResident() {
  return store;
}

/** Why the account screen found no session: the phone's key was blocked or released, or the session simply ended. */
export type SessionEnd = { kind: 'device'; status: 'blocked' | 'released' | 'not_bound'; changedAt: number | null } | { kind: 'session' };

/** Asks the server about this phone's key (signed, no PIN); any failure to ask reads as an ended session. */
export async function whyEnded(): Promise<SessionEnd> {
  const [key, nik] = await Promise.all([peekDeviceKey(), getLocal('nik')]);
  if (!key || !nik) return { kind: 'session' };
  try {
    const known = await checkDeviceStatus({ key, nik });
    return known.status === 'bound' ? { kind: 'session' } : { kind: 'device', status: known.status, changedAt: known.changedAt };
  } catch {
    return { kind: 'session' };
  }
}
