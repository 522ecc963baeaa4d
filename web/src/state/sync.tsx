/** Drives the outbox engine from the page: on start, on 'online', on a timer, after each change, and via Background Sync. */
import { type Accessor, type ParentProps, createContext, createEffect, createMemo, createSignal, on, onCleanup, onMount, useContext } from 'solid-js';
import { type OutboxCommand, type RecentResult, type SyncState, db, getMeta } from '../db';
import { SYNC_MESSAGE, SYNC_TAG, type SyncOutcome, runSync } from '../sync/engine';
import { createLive } from './live';
import { useSession } from './session';

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
async function registerBackgroundSync(): Promise<void> {
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
  const outbox = createLive(() => db.outbox.orderBy('seq').toArray(), []);
  const recent = createLive(async () => (await getMeta('recent')) ?? [], []);
  const state = createLive(() => getMeta('sync'), undefined);

  async function syncNow(force = false): Promise<SyncOutcome | undefined> {
    // navigator.onLine === false is reliable (true is only a hint): don't burn retry attempts while offline.
    if (!session.user() || !online()) return undefined;
    setSyncing(true);
    try {
      return await runSync({ force });
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
    if ((e.data as { type?: string } | null)?.type === SYNC_MESSAGE) void syncNow(true);
  };

  onMount(() => {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    navigator.serviceWorker?.addEventListener('message', onWorkerMessage);
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
  createEffect(
    on(userId, (id) => {
      if (id) void syncNow(true);
    }),
  );

  const store: SyncStore = {
    online,
    syncing,
    outbox,
    recent,
    state,
    syncNow,
    changed() {
      void registerBackgroundSync();
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
