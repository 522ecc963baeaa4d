/** Clock signals for "time left" and lockout displays; no IndexedDB here, so the sign-in screen can use them cheaply. */
import { type Accessor, createSignal, onCleanup } from 'solid-js';

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
