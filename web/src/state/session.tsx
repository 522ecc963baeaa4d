/** Who is signed in: remembered in Dexie so the app opens offline, checked against /api/auth/me when the server answers. */
import { type Accessor, type ParentProps, createContext, createEffect, createMemo, createSignal, onMount, useContext } from 'solid-js';
import type { Role } from '../../../schema/roles';
import { ApiFailure, api } from '../api';
import { type SessionUser, type SyncState, db, getMeta } from '../db';
import { setDisplayOffice } from '../i18n';
import { claimCacheFor } from '../sync/engine';
import { createLive } from './live';

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

export function SessionProvider(props: ParentProps) {
  const [user, setUser] = createSignal<SessionUser>();
  const [ready, setReady] = createSignal(false);
  const [meEnded, setMeEnded] = createSignal(false);
  const sync = createLive<SyncState | undefined>(() => getMeta('sync'), undefined);
  // Memos, so that the frequent writes of sync state do not wake everything that depends on the user.
  const authLost = createMemo(() => sync()?.authLost ?? false);
  const current = createMemo(() => (authLost() ? undefined : user()));
  createEffect(() => setDisplayOffice(current()?.officeCode));

  onMount(async () => {
    const cached = await getMeta('user');
    setUser(cached);
    setReady(true);
    if (!cached) return;
    try {
      const me = await api<{ user: SessionUser }>('/api/auth/me');
      await claimCacheFor(me.user); // roles may have changed since last time
      setUser(me.user);
    } catch (err) {
      // Offline or server down: keep working with the remembered user. Only a 401 ends the session.
      if (err instanceof ApiFailure && err.status === 401) {
        await db.meta.delete('user');
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
      await claimCacheFor(res.user);
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
