/**
 * The resident's side of IKD on this phone: the account as the server last showed it (cached in Dexie for offline
 * viewing), the remembered NIK, and the moves that change who is signed in (register, resume, sign in, release).
 */
import { createRoot, createSignal } from 'solid-js';
import { ApiFailure, problemFromError } from '../../api';
import { setResidentOffice } from '../../i18n';
import type { IkdLocalValues, UiProblem } from '../../db';
import { loketDbMayExist } from '../../idb';
import { type IkdMe, ikdApi, residentSessionHint } from './api';

// IndexedDB (Dexie), the device key and the status check load on first use: the IKD entry page shows without them.
const dexie = async () => (await import('../../db')).db;
const device = () => import('../../device');

export type MeStatus = 'unknown' | 'ok' | 'offline' | 'signed_out';

async function getLocal<K extends keyof IkdLocalValues>(key: K): Promise<IkdLocalValues[K] | undefined> {
  return (await (await dexie()).ikdLocal.get(key))?.value as IkdLocalValues[K] | undefined;
}

async function setLocal<K extends keyof IkdLocalValues>(key: K, value: IkdLocalValues[K]): Promise<void> {
  await (await dexie()).ikdLocal.put({ key, value } as never);
}

/** A borrowed phone keeps no one's account: the cached account and KTP-el list go when the session does. */
async function forgetAccount(): Promise<void> {
  await (await dexie()).ikdLocal.bulkDelete(['me', 'ktpelCases']);
}

function createResidentStore() {
  const [me, setMe] = createSignal<IkdMe>();
  const [status, setStatus] = createSignal<MeStatus>('unknown');
  const [fetchedAt, setFetchedAt] = createSignal<number>();
  const [nik, setNik] = createSignal<string>();
  // The remembered NIK is read with the first account answer, not when the IKD entry page loads.
  let nikRead: Promise<string | undefined> | undefined;
  const readNik = (): Promise<string | undefined> =>
    (nikRead ??= (async () => {
      if (await loketDbMayExist()) {
        setNik((await getLocal('nik')) ?? nik());
        // Before any answer: the remembered office names the zone of the times shown (a blocked phone's notice).
        const office = await getLocal('officeCode');
        if (office && !me()) setResidentOffice(office);
      }
      return nik();
    })().then(() => nik()));

  /**
   * Reads the account from the server; offline, the last copy on this phone. A 401 means no resident session:
   * the cached copy is dropped so a borrowed phone does not keep showing someone's account.
   */
  async function refresh(): Promise<MeStatus> {
    void readNik();
    // Known to have no session here (or no app data at all): do not ask, the answer would be a 401 in the console.
    if (residentSessionHint() === false || (residentSessionHint() === undefined && !(await loketDbMayExist()))) {
      setMe(undefined);
      setStatus('signed_out');
      return 'signed_out';
    }
    try {
      const fresh = await ikdApi.me();
      const at = Date.now();
      setMe(fresh);
      setFetchedAt(at);
      setStatus('ok');
      setResidentOffice(fresh.resident.officeCode);
      await setLocal('me', { ...fresh, fetchedAt: at });
      await setLocal('officeCode', fresh.resident.officeCode);
      return 'ok';
    } catch (err) {
      const p: UiProblem = problemFromError(err);
      if (p.status === 401 || p.status === 403) {
        residentSessionHint(false);
        setMe(undefined);
        setStatus('signed_out');
        if (await loketDbMayExist()) await forgetAccount();
        return 'signed_out';
      }
      const cached = await getLocal('me');
      if (cached) {
        const { fetchedAt: at, ...rest } = cached;
        setResidentOffice(rest.resident.officeCode);
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
    const key = await (await device()).peekDeviceKey();
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
    residentSessionHint(false);
    setMe(undefined);
    setStatus('signed_out');
    await forgetAccount();
  }

  /** After "lepas perangkat": the old key can never be bound again, so this phone makes a new one for next time. */
  async function afterRelease(): Promise<void> {
    await (await device()).renewDeviceKey();
    residentSessionHint(false);
    setMe(undefined);
    setStatus('signed_out');
    await forgetAccount();
  }

  return { me, status, fetchedAt, nik, loadNik: readNik, refresh, rememberNik, signIn, signOut, afterRelease };
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
  const [key, nik] = await Promise.all([device().then((d) => d.peekDeviceKey()), getLocal('nik')]);
  if (!key || !nik) return { kind: 'session' };
  try {
    const { checkDeviceStatus } = await import('../ktp/device-status');
    const known = await checkDeviceStatus({ key, nik });
    return known.status === 'bound' ? { kind: 'session' } : { kind: 'device', status: known.status, changedAt: known.changedAt };
  } catch {
    return { kind: 'session' };
  }
}
