/**
 * The server's clock as this device knows it: cheap phones drift by minutes or hours, and a digital-KTP
 * presentation is refused 10 s outside its window. Every API answer (its Date header, or a serverTime field)
 * updates the offset; it is kept in localStorage so an offline phone or checker still corrects by the last one.
 */
import { createSignal } from 'solid-js';

const STORAGE_KEY = 'loket.clock';

export interface ClockOffset {
  /** server time − device time, ms */
  offsetMs: number;
  /** device time (Date.now()) when it was learned */
  learnedAt: number;
  /** how far off it could be (half the round trip plus the Date header's 1 s resolution) */
  uncertaintyMs: number;
}

function load(): ClockOffset | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as ClockOffset | null;
    return v && Number.isFinite(v.offsetMs) && Number.isFinite(v.learnedAt) ? v : undefined;
  } catch {
    return undefined;
  }
}

const [offset, setOffset] = createSignal<ClockOffset | undefined>(load());
export { offset as clockOffset };

/**
 * Records a server reading taken between `sentAt` and `receivedAt` (device ms). `resolutionMs` is 1000 for the
 * HTTP Date header (whole seconds) and 0 for a millisecond field. A reading less certain than the one already
 * held within the last minute is ignored, so a slow answer does not undo a precise one.
 */
export function noteServerTime(serverMs: number, sentAt: number, receivedAt: number, resolutionMs = 0): void {
  if (!Number.isFinite(serverMs) || receivedAt < sentAt) return;
  const mid = sentAt + (receivedAt - sentAt) / 2;
  // A Date header says 12:00:05 for any instant in [12:00:05, 12:00:06): take the middle of that second.
  const next: ClockOffset = { offsetMs: Math.round(serverMs + resolutionMs / 2 - mid), learnedAt: receivedAt, uncertaintyMs: Math.round((receivedAt - sentAt) / 2 + resolutionMs / 2) };
  const held = offset();
  if (held && receivedAt - held.learnedAt < 60_000 && held.uncertaintyMs < next.uncertaintyMs) return;
  setOffset(next);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // storage blocked: the offset holds for this page only
  }
}

/** Reads the server's clock off an answer to a request sent at `sentAt`: our x-server-time (ms), else the Date header. */
export function noteResponseDate(res: Response, sentAt: number): void {
  const exact = Number(res.headers.get('x-server-time'));
  if (exact > 0) return noteServerTime(exact, sentAt, Date.now());
  const date = res.headers.get('date');
  if (!date) return;
  const ms = Date.parse(date);
  if (!Number.isNaN(ms)) noteServerTime(ms, sentAt, Date.now(), 1000);
}

/** The current time by the server's clock, as best known; the device's own when nothing was learned yet. */
export function serverNow(): number {
  return Date.now() + (offset()?.offsetMs ?? 0);
}

/** An offset older than this may have drifted again (a phone gains or loses seconds a day, or its owner reset it). */
export const OFFSET_STALE_MS = 7 * 24 * 60 * 60_000;
/** Differences below this are within the presentations' tolerance and not worth mentioning. */
export const NOTABLE_OFFSET_MS = 5_000;

export type ClockTrust = { kind: 'synced'; offsetMs: number; learnedAt: number } | { kind: 'stale'; offsetMs: number; learnedAt: number } | { kind: 'unknown' };

/** Whether this device's corrected clock can be trusted now: learned recently, long ago, or never. */
export function clockTrust(now = Date.now()): ClockTrust {
  const o = offset();
  if (!o) return { kind: 'unknown' };
  return now - o.learnedAt > OFFSET_STALE_MS ? { kind: 'stale', offsetMs: o.offsetMs, learnedAt: o.learnedAt } : { kind: 'synced', offsetMs: o.offsetMs, learnedAt: o.learnedAt };
}
