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

// The clock signals moved to ./ticks (no Dexie there); re-exported for the screens that already use Dexie.
export { createNow, createWait } from './ticks';
