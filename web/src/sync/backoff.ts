/** Retry delays for the outbox: exponential backoff with full jitter, so tablets coming back online together don't stampede. */

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Delay before attempt `attempts + 1`: uniform in [0, min(cap, base·2^attempts)] ("full jitter").
 * A server's Retry-After is a floor.
 * @example backoffDelay(3) // somewhere in 0..16 s
 */
export function backoffDelay(attempts: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts, 30));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
