/**
 * Drives the outbox engine from the page: on start, on 'online', on a timer, after each change, and via Background
 * Sync. The engine and Dexie load once someone is signed in (or a command is queued), not with the first screen:
 * the sign-in page and the public pages never need them.
 */
import { type Accessor, type ParentProps, createContext, createEffect, createMemo, createSignal, on, onCleanup, onMount, useContext } from 'solid-js';
import type { OutboxCommand, RecentResult, SyncState } from '../db';
import type { SyncOutcome } from '../sync/engine';
import { loketDbMayExist } from '../idb';
import { useSession } from './session';

type Engine = typeof import('../sync/engine');

const TICK_MS = 10_000;
const PULL_EVERY_MS = 60_000;

export interface SyncStore {
  online: Accessor<boolean>;
  syncing: Accessor<boolean>;
  outbox: Accessor<OutboxCommand[]>;
  recent: Accessor<RecentResult[]>;
  state: Accessor<SyncState | undefined>;
  /** Runs push+pull now; `force` ignores backoff timers (the user asked, or the network came back). */
  syncNow: (force?: boolean) => Promise<SyncOutcome | undefined>;
  /** Call after putting a command in the outbox. */
  changed: () => void;
}

const SyncContext = createContext<SyncStore>();

/** Background Sync wakes the service worker when connectivity returns, even with no tab open (Chromium only). */
async function registerBackgroundSync(engine: Engine): Promise<void> {
  const { SYNC_TAG } = engine;
  if (!('serviceWorker' in navigator)) return;
  const reg = (await navigator.serviceWorker.getRegistration()) as
    | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
    | undefined;
  try {
    await reg?.sync?.register(SYNC_TAG);
  } catch {
    // permission denied or not supported: the page's own triggers still run
  }
}

export function SyncProvider(props: ParentProps) {
  const session = useSession();
  const [online, setOnline] = createSignal(navigator.onLine);
  const [syncing, setSyncing] = createSignal(false);
  const [outbox, setOutbox] = createSignal<OutboxCommand[]>([], { equals: false });
  const [recent, setRecent] = createSignal<RecentResult[]>([], { equals: false });
  const [state, setState] = createSignal<SyncState | undefined>(undefined, { equals: false });

  // The engine, Dexie and the live views of the outbox and sync state, loaded on first need.
  const subscriptions: { unsubscribe(): void }[] = [];
  onCleanup(() => subscriptions.forEach((s) => s.unsubscribe()));
  let loading: Promise<Engine> | undefined;
  function engine(): Promise<Engine> {
    loading ??= (async () => {
      const [mod, { db, getMeta }, { liveQuery }] = await Promise.all([import('../sync/engine'), import('../db'), import('dexie')]);
      const follow = <T,>(query: () => Promise<T>, set: (v: T) => void) =>
        subscriptions.push(liveQuery(query).subscribe({ next: set, error: (err: unknown) => console.error('liveQuery failed', err) }));
      follow(() => db.outbox.orderBy('seq').toArray(), (v) => setOutbox(v));
      follow(async () => (await getMeta('recent')) ?? [], (v) => setRecent(v));
      follow(() => getMeta('sync'), (v) => setState(v));
      navigator.serviceWorker?.addEventListener('message', onWorkerMessage);
      syncMessage = mod.SYNC_MESSAGE;
      return mod;
    })();
    return loading;
  }
  let syncMessage: string | undefined;

  async function syncNow(force = false): Promise<SyncOutcome | undefined> {
    // navigator.onLine === false is reliable (true is only a hint): don't burn retry attempts while offline.
    if (!session.user() || !online()) return undefined;
    setSyncing(true);
    try {
      return await (await engine()).runSync({ force });
    } catch (err) {
      console.error('sync failed', err);
      return undefined;
    } finally {
      setSyncing(false);
    }
  }

  const onOnline = () => {
    setOnline(true);
    void syncNow(true);
  };
  const onOffline = () => setOnline(false);

  const onWorkerMessage = (e: MessageEvent) => {
    if (syncMessage && (e.data as { type?: string } | null)?.type === syncMessage) void syncNow(true);
  };

  onMount(() => {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const timer = setInterval(() => {
      if (!online() || !session.user()) return;
      const now = Date.now();
      const due = outbox().some((c) => c.userId === session.user()?.id && (c.status === 'pending' || c.status === 'sending') && c.nextAttemptAt <= now);
      const stale = now - (state()?.lastSyncAt ?? 0) > PULL_EVERY_MS;
      if (due || stale) void syncNow();
    }, TICK_MS);
    onCleanup(() => {
      clearInterval(timer);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      navigator.serviceWorker?.removeEventListener('message', onWorkerMessage);
    });
  });

  // App start and every sign-in: push what waited, then catch up. A memo: `on` alone would fire on every
  // change of the user object's sources, not only when the id changes.
  const userId = createMemo(() => session.user()?.id);
  // The first screen does not wait for the engine: it loads when the browser is idle right after (within 1 s).
  createEffect(
    on(userId, (id) => {
      if (!id) return;
      // Offline too: the outbox and cached cases must show (the engine's live views), even with nothing to send.
      const run = () => {
        void engine();
        void syncNow(true);
      };
      if ('requestIdleCallback' in window) requestIdleCallback(run, { timeout: 1000 });
      else setTimeout(run, 200);
    }),
  );

  // Reading the outbox or sync state while someone is signed in loads the engine's views, once the browser is idle
  // (the first screen does not wait for them).
  let scheduled = false;
  const whenIdle = (fn: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(fn, { timeout: 1000 }) : setTimeout(fn, 200));
  const loadSoon = () => {
    if (scheduled || loading) return;
    scheduled = true;
    whenIdle(() => void engine());
  };
  const loaded = <T,>(read: () => T) => () => {
    if (session.user()) loadSoon();
    return read();
  };
  // The sign-in screen of a device that has data warns about commands left by another user: read the outbox there too.
  onMount(() => {
    if (window.location.pathname === '/login') void loketDbMayExist().then((yes) => yes && loadSoon());
  });
  const store: SyncStore = {
    online,
    syncing,
    outbox: loaded(outbox),
    recent: loaded(recent),
    state: loaded(state),
    syncNow,
    changed() {
      void engine().then(registerBackgroundSync);
      if (online()) void syncNow(true);
    },
  };
  return <SyncContext.Provider value={store}>{props.children}</SyncContext.Provider>;
}

export function useSync(): SyncStore {
  const s = useContext(SyncContext);
  if (!s) throw new Error('useSync outside SyncProvider');
  return s;
}
