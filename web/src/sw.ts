/**
 * The service worker: serves the precached app shell (so Loket opens with no signal), answers navigations
 * with index.html except server paths, waits for the user's "Reload" before a new version takes over,
 * and pushes the outbox when Background Sync fires.
 */
import './zod-config';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { SYNC_MESSAGE, SYNC_TAG, runSync } from './sync/engine';

// Minimal service-worker typings: web/tsconfig.json uses the DOM lib, which cannot be mixed with WebWorker.
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface SyncEventLike extends ExtendableEventLike {
  readonly tag: string;
  readonly lastChance?: boolean;
}
interface MessageEventLike extends ExtendableEventLike {
  readonly data: unknown;
}
interface ServiceWorkerScopeLike {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; matchAll(opts: { type: 'window' }): Promise<{ postMessage(msg: unknown): void }[]> };
  addEventListener(type: 'activate', listener: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'sync', listener: (e: SyncEventLike) => void): void;
  addEventListener(type: 'message', listener: (e: MessageEventLike) => void): void;
}
const sw = self as unknown as ServiceWorkerScopeLike;

// The build replaces self.__WB_MANIFEST with the list of shell files and their revisions.
precacheAndRoute((self as unknown as ServiceWorkerScopeLike).__WB_MANIFEST);
cleanupOutdatedCaches();

// Single-page navigations get the shell; the Worker's own pages and APIs must reach the network.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/api\//, /^\/dev\//, /^\/\.well-known\//],
  }),
);

// registerType 'prompt': a new version waits until the page asks (the user pressed "Muat ulang / Reload").
sw.addEventListener('message', (event) => {
  const data = event.data as { type?: string } | null;
  if (data?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

// The first install takes control of the open page at once, so it works offline without a reload.
sw.addEventListener('activate', (event) => event.waitUntil(sw.clients.claim()));

sw.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(backgroundSync(event));
});

/**
 * With a tab open, the page syncs (it shows progress and owns its timers): just wake it. With none open, push
 * the outbox from here.
 */
async function backgroundSync(event: SyncEventLike): Promise<void> {
  const windows = await sw.clients.matchAll({ type: 'window' });
  if (windows.length > 0) {
    for (const w of windows) w.postMessage({ type: SYNC_MESSAGE });
    return;
  }
  const outcome = await runSync({ force: true });
  // Rejecting asks the browser to fire the sync again later; not on the last chance, and not when retrying
  // cannot help (signed out: only the user can fix that).
  if ((outcome === 'offline' || outcome === 'retry') && !event.lastChance) {
    throw new Error(`outbox not delivered: ${outcome}`);
  }
}
