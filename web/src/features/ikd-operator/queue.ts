/**
 * The operator's IKD work on this tablet: today's queue (GET /api/ikd/queue) cached in Dexie, the office's IKD cases
 * from the sync feed, and the operator's unsent commands applied on top, so the screens keep working offline.
 */
import { createMemo, createSignal } from 'solid-js';
import type { z } from 'zod';
import type { QueueResponse } from '../../../../schema/contracts/ikd';
import { ikd } from '../../../../schema/workflows/ikd';
import { api } from '../../api';
import { type CachedQueueItem, db } from '../../db';
import { createLive } from '../../state/live';
import { useSync } from '../../state/sync';
import { type LocalCase, deriveCases, stamp } from '../../sync/view';

/**
 * Replaces this office's cached queue with the server's; throws ApiFailure when offline (the cache stays).
 * @example await refreshQueue('15.71')
 */
export async function refreshQueue(officeCode: string): Promise<z.infer<typeof QueueResponse>> {
  const res = await api<z.infer<typeof QueueResponse>>('/api/ikd/queue');
  const fetchedAt = Date.now();
  await db.transaction('rw', db.ikdQueue, async () => {
    await db.ikdQueue.where('officeCode').equals(officeCode).delete();
    await db.ikdQueue.bulkPut(res.items.map((i) => ({ ...i, officeCode, date: res.date, fetchedAt })));
  });
  setQueueFetched({ officeCode, date: res.date, at: fetchedAt });
  return res;
}

const FETCHED_KEY = 'loket.ikdQueueFetched';
type Fetched = { officeCode: string; date: string; at: number };
const [queueFetched, setFetchedSignal] = createSignal<Fetched | undefined>(readFetched());

function readFetched(): Fetched | undefined {
  try {
    const raw = localStorage.getItem(FETCHED_KEY);
    return raw ? (JSON.parse(raw) as Fetched) : undefined;
  } catch {
    return undefined;
  }
}

/** When the queue was last loaded (an empty queue has no rows to carry the time), kept across reloads. */
function setQueueFetched(v: Fetched): void {
  setFetchedSignal(v);
  try {
    localStorage.setItem(FETCHED_KEY, JSON.stringify(v));
  } catch {
    // not kept across reloads; the signal still shows it now
  }
}

export { queueFetched };

export interface QueueRow {
  item: CachedQueueItem | undefined;
  /** the case as this tablet sees it: server copy + unsent commands */
  c: LocalCase | undefined;
  caseId: string;
  state: string;
  kind: 'counter' | 'video';
  dueAt: number | null;
  standardMinutes: number | null;
  overrun: boolean;
  unsynced: boolean;
  needsAttention: boolean;
}

export function isFinalIkd(state: string): boolean {
  return ikd.states[state as keyof typeof ikd.states]?.final === true;
}

function rowOf(item: CachedQueueItem | undefined, c: LocalCase | undefined, now: number): QueueRow {
  const caseId = item?.caseId ?? c!.id;
  // The newer of the two decides the state: a queue fetched before a pull, or a pull before the queue.
  const useCase = c !== undefined && (item === undefined || c.version >= item.version || c.unsynced.length > 0);
  const state = useCase ? c.state : item!.state;
  const changedLocally = (c?.unsynced.length ?? 0) > 0;
  let dueAt: number | null;
  let standardMinutes: number | null;
  if (item && !useCase) {
    dueAt = item.dueAt;
    standardMinutes = item.standardMinutes;
  } else if (item && c && item.version === c.version && !changedLocally) {
    dueAt = item.dueAt;
    standardMinutes = item.standardMinutes;
  } else {
    dueAt = c && !changedLocally && c.dueAt !== null ? stamp(c.dueAt) : null;
    standardMinutes = ikd.states[state as keyof typeof ikd.states]?.standardMinutes ?? null;
  }
  const kind = item?.kind ?? (c?.data.route === 'video' || c?.data.slotId ? 'video' : 'counter');
  return {
    item,
    c,
    caseId,
    state,
    kind,
    dueAt,
    standardMinutes,
    overrun: dueAt !== null && now > dueAt,
    unsynced: changedLocally,
    needsAttention: (c?.needsAttention.length ?? 0) > 0,
  };
}

/** Today's queue and the other open IKD cases of the office, both with unsent commands applied. */
export function useIkdWork(officeCode: () => string | undefined, now: () => number) {
  const sync = useSync();
  const cached = createLive(() => db.cases.toArray(), []);
  const queue = createLive(() => db.ikdQueue.toArray(), []);
  const cases = createMemo(() => deriveCases(cached(), sync.outbox()).filter((c) => c.service === ikd.service && c.officeCode === officeCode()));
  const today = createMemo(() => {
    const byId = new Map(cases().map((c) => [c.id, c]));
    return queue()
      .filter((i) => i.officeCode === officeCode())
      .sort((a, b) => (a.slot?.startsAt ?? a.stepStartedAt) - (b.slot?.startsAt ?? b.stepStartedAt))
      .map((i) => rowOf(i, byId.get(i.caseId), now()));
  });
  const others = createMemo(() => {
    const inQueue = new Set(queue().map((i) => i.caseId));
    return cases()
      .filter((c) => !inQueue.has(c.id) && !isFinalIkd(c.state))
      .map((c) => rowOf(undefined, c, now()));
  });
  const fetched = createMemo(() => {
    const f = queueFetched();
    return f && f.officeCode === officeCode() ? f : undefined;
  });
  return { today, others, cases, fetched, queue };
}
