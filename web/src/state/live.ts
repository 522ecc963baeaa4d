/** Bridges Dexie liveQuery into Solid signals, so views follow IndexedDB changes from this tab, other tabs and the service worker. */
import { liveQuery } from 'dexie';
import { type Accessor, createSignal, onCleanup } from 'solid-js';

/**
 * A signal holding the latest result of `query`, re-run whenever the tables it read change.
 * @example const outbox = createLive(() => db.outbox.orderBy('seq').toArray(), []);
 */
export function createLive<T>(query: () => T | Promise<T>, initial: T): Accessor<T> {
  const [value, setValue] = createSignal<T>(initial, { equals: false });
  const sub = liveQuery(query).subscribe({
    next: (v) => setValue(() => v),
    error: (err: unknown) => console.error('liveQuery failed', err),
  });
  onCleanup(() => sub.unsubscribe());
  return value;
}

/** A clock signal for "time left" displays, ticking every `everyMs`. */
export function createNow(everyMs = 15_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}

/**
 * A lockout wait counted down each second (429 with Retry-After), for sign-in forms.
 * @example const wait = createWait(); wait.start(p.retryAfterSeconds); <button disabled={wait.left() > 0}>
 */
export function createWait(): { left: Accessor<number>; start: (seconds: number) => void } {
  const now = createNow(1000);
  const [until, setUntil] = createSignal(0);
  return { left: () => Math.max(0, until() - now()), start: (seconds) => setUntil(Date.now() + seconds * 1000) };
}
