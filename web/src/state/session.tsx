/**
 * Who is signed in: remembered so the app opens offline, checked against /api/auth/me when the server answers.
 * Dexie (meta 'user') holds the record the sync engine uses; a copy in localStorage lets the first screen know
 * at once, without loading IndexedDB code, whether anyone is signed in. The sign-in screen never loads Dexie.
 */
import { type Accessor, type ParentProps, createContext, createEffect, createMemo, createSignal, onCleanup, onMount, useContext } from 'solid-js';
import type { Role } from '../../../schema/roles';
import { ApiFailure, api } from '../api';
import type { SessionUser, SyncState } from '../db';
import { setDisplayOffice } from '../i18n';
import { loketDbMayExist } from '../idb';

export interface SessionStore {
  /** the signed-in user; undefined before sign-in or after the session ended */
  user: Accessor<SessionUser | undefined>;
  /** false until the cached user has been read */
  ready: Accessor<boolean>;
  /** the server answered 401 to sync or /me: sign in again (the outbox is kept) */
  ended: Accessor<boolean>;
  hasRole: (...roles: Role[]) => boolean;
  login: (username: string, password: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionStore>();

const HINT_KEY = 'loket.user';

/**
 * The user as last written here: a user, null (nobody signed in), or undefined when this browser never wrote one
 * (first start of this version, or storage cleared): then Dexie, the real record, is asked.
 */
function readHint(): SessionUser | null | undefined {
  try {
    const raw = localStorage.getItem(HINT_KEY);
    return raw === null ? undefined : (JSON.parse(raw) as SessionUser | null);
  } catch {
    return undefined;
  }
}

function writeHint(user: SessionUser | undefined): void {
  try {
    localStorage.setItem(HINT_KEY, JSON.stringify(user ?? null));
  } catch {
    // storage blocked: Dexie is asked at every start instead
  }
}

export function SessionProvider(props: ParentProps) {
  const [user, setUser] = createSignal<SessionUser>();
  const [ready, setReady] = createSignal(false);
  const [meEnded, setMeEnded] = createSignal(false);
  const [sync, setSync] = createSignal<SyncState>();
  // Memos, so that the frequent writes of sync state do not wake everything that depends on the user.
  const authLost = createMemo(() => sync()?.authLost ?? false);
  const current = createMemo(() => (authLost() ? undefined : user()));
  createEffect(() => setDisplayOffice(current()?.officeCode));

  // Follows the sync state (authLost) in Dexie once someone is signed in; loaded only then.
  let unsubscribe: (() => void) | undefined;
  let following = false;
  onCleanup(() => unsubscribe?.());
  async function followSyncState(): Promise<void> {
    if (following) return;
    following = true;
    const [{ liveQuery }, { getMeta }] = await Promise.all([import('dexie'), import('../db')]);
    const sub = liveQuery(() => getMeta('sync')).subscribe({ next: (v) => setSync(v), error: (err: unknown) => console.error('liveQuery failed', err) });
    unsubscribe = () => sub.unsubscribe();
  }

  onMount(async () => {
    const hint = readHint();
    if (hint !== undefined) {
      setUser(hint ?? undefined);
      setReady(true);
      if (hint === null) return;
      // Signed in: the screen shows at once; Dexie and the server are asked once the browser is idle.
      await new Promise<void>((resolve) => ('requestIdleCallback' in window ? requestIdleCallback(() => resolve(), { timeout: 1000 }) : setTimeout(resolve, 200)));
    }
    // No hint and no database at all (a first visit): nobody is signed in, and Dexie need not load.
    if (!(await loketDbMayExist())) {
      writeHint(undefined);
      setReady(true);
      return;
    }
    const { getMeta, db } = await import('../db');
    const cached = await getMeta('user');
    writeHint(cached);
    setUser(cached);
    setReady(true);
    if (!cached) return;
    void followSyncState();
    try {
      const me = await api<{ user: SessionUser }>('/api/auth/me');
      const { claimCacheFor } = await import('../sync/engine');
      await claimCacheFor(me.user); // roles may have changed since last time
      writeHint(me.user);
      setUser(me.user);
    } catch (err) {
      // Offline or server down: keep working with the remembered user. Only a 401 ends the session.
      if (err instanceof ApiFailure && err.status === 401) {
        await db.meta.delete('user');
        writeHint(undefined);
        setUser(undefined);
        setMeEnded(true);
      }
    }
  });

  const store: SessionStore = {
    user: current,
    ready,
    ended: () => meEnded() || authLost(),
    hasRole: (...roles) => (current()?.roles ?? []).some((r) => roles.includes(r)),
    async login(username, password) {
      const res = await api<{ user: SessionUser }>('/api/auth/login', { method: 'POST', body: { username, password } });
      const { claimCacheFor } = await import('../sync/engine');
      await claimCacheFor(res.user);
      writeHint(res.user);
      void followSyncState();
      setMeEnded(false);
      setUser(res.user);
      return res.user;
    },
    async logout() {
      try {
        await api('/api/auth/logout', { method: 'POST', body: {} });
      } catch {
        // offline: the cookie stays until it expires, but this device forgets the user now
      }
      writeHint(undefined);
      const { db } = await import('../db');
      await db.meta.delete('user');
      setUser(undefined);
    },
  };
  return <SessionContext.Provider value={store}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionStore {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
