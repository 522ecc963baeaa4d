/**
 * The outbox engine: commands are stored in Dexie first, pushed in order, and leave the outbox only when the
 * server answered for them; then the change feed is pulled. Free of UI code so the service worker runs it too.
 */
import { api, ApiFailure, problemFromError } from '../api';
import { type CaseView, type CommandStatus, type Draft, type OutboxCommand, type RecentResult, type SessionUser, type UiProblem, db, getMeta, setMeta } from '../db';
import { backoffDelay } from './backoff';
import { dueInOrder, takeBatch } from './order';
import { uuidv7 } from './uuidv7';

/** Background Sync tag the page registers and the service worker answers. */
export const SYNC_TAG = 'loket-outbox';
/** Message the service worker posts to open pages when Background Sync fires: "sync now". */
export const SYNC_MESSAGE = 'loket:sync';
const LOCK_NAME = 'loket-sync';
const PULL_PAGES_MAX = 50;
/** Cases per pull page (the route allows up to 500). */
export const PULL_PAGE = 200;
const RECENT_MAX = 20;

/** What the caller fills in; the engine adds id, timestamps and delivery state. */
export type NewCommand = Pick<OutboxCommand, 'type' | 'caseId' | 'service' | 'action' | 'baseVersion' | 'input' | 'userId' | 'username' | 'officeCode'>;

/** Wire shape of POST /api/sync/push (see TEAM.md contract). */
type WireCommand =
  | { id: string; type: 'create'; caseId: string; service: string; input: Record<string, unknown> }
  | { id: string; type: 'action'; caseId: string; action: string; baseVersion: number; input: Record<string, unknown> };

interface PushResult {
  commandId: string;
  status: 'applied' | 'duplicate' | 'conflict' | 'rejected' | 'deferred';
  case?: CaseView;
  problem?: UiProblem;
}

export type SyncOutcome =
  | 'done' // pushed what was due and pulled
  | 'waiting' // nothing due yet (backoff)
  | 'offline' // no answer from the server; retried later
  | 'retry' // the server was busy or failing; retried later
  | 'signed_out'; // 401 or no user: stopped until the user signs in again

/**
 * Stores a command in the outbox; if it came from a form draft, deletes the draft in the same transaction
 * (a draft disappears only once its command is safely in the outbox).
 * @example await enqueue({ type: 'create', caseId: uuidv7(), service: 'ktpel', input, ...by(user) }, draft.id)
 */
export async function enqueue(cmd: NewCommand, draftId?: string): Promise<OutboxCommand> {
  return db.transaction('rw', db.outbox, db.drafts, async () => {
    // The next local sequence number, taken inside the transaction so two tabs never share one.
    const last = await db.outbox.orderBy('seq').last();
    const full: OutboxCommand = { ...cmd, id: uuidv7(), seq: (last?.seq ?? 0) + 1, createdAt: Date.now(), status: 'pending', attempts: 0, nextAttemptAt: 0 };
    await db.outbox.add(full);
    if (draftId) await db.drafts.delete(draftId);
    return full;
  });
}

/** Drops a command the user gave up on (a conflict or a rejection). */
export async function discardCommand(id: string): Promise<void> {
  await db.outbox.delete(id);
}

/**
 * Re-applies a conflicted or rejected action on the case's current version. It needs a new command id:
 * the server remembers the first answer for an id and would repeat it.
 */
export async function reapplyCommand(id: string, baseVersion: number): Promise<OutboxCommand | undefined> {
  return db.transaction('rw', db.outbox, async () => {
    const old = await db.outbox.get(id);
    if (!old) return undefined;
    const fresh: OutboxCommand = {
      ...old,
      id: uuidv7(),
      baseVersion: old.type === 'action' ? baseVersion : undefined,
      createdAt: Date.now(),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      deferred: undefined,
      lastProblem: undefined,
      conflictCase: undefined,
    };
    await db.outbox.delete(id);
    await db.outbox.add(fresh);
    return fresh;
  });
}

/** Turns a rejected "create" back into a form draft so the user can correct it; nothing typed is lost. */
export async function commandToDraft(id: string): Promise<Draft | undefined> {
  return db.transaction('rw', db.outbox, db.drafts, async () => {
    const cmd = await db.outbox.get(id);
    if (!cmd || cmd.type !== 'create') return undefined;
    const fields = Object.fromEntries(Object.entries(cmd.input).map(([k, v]) => [k, v == null ? '' : String(v)]));
    const draft: Draft = { id: uuidv7(), service: cmd.service, kind: 'create', userId: cmd.userId, fields, updatedAt: Date.now() };
    await db.drafts.add(draft);
    await db.outbox.delete(id);
    return draft;
  });
}

let running: Promise<SyncOutcome> | null = null;
let again = false;

/**
 * Pushes due commands, then pulls changes. Calls made while a run is going are folded into one more run;
 * across the page and the service worker a Web Lock keeps runs one at a time.
 * @example await runSync({ force: true }) // after the 'online' event: ignore backoff timers
 */
export function runSync(opts: { force?: boolean } = {}): Promise<SyncOutcome> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    let outcome: SyncOutcome;
    let force = opts.force ?? false;
    do {
      again = false;
      outcome = await withLock(() => syncOnce(force));
      force = false;
    } while (again && (outcome === 'done' || outcome === 'waiting'));
    return outcome;
  })().finally(() => {
    running = null;
  });
  return running;
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return fn();
  return locks.request(LOCK_NAME, fn) as Promise<T>;
}

async function syncOnce(force: boolean): Promise<SyncOutcome> {
  const user = await getMeta('user');
  const state = (await getMeta('sync')) ?? { authLost: false };
  if (!user || state.authLost) return 'signed_out';
  await setMeta('sync', { ...state, lastAttemptAt: Date.now() });

  // A device that never pulled (new tablet, new user) first learns what the server has, so the commands it
  // resends are judged against the current cases, not answered `deferred` for cases it has not seen yet.
  if (!(await getMeta('cursor'))) {
    const first = await pullChanges();
    if (first === 'signed_out' || first === 'offline') return first;
  }
  const pushed = await pushOutbox(user, force);
  if (pushed === 'signed_out' || pushed === 'offline') return pushed;
  const pulled = await pullChanges();
  if (pulled !== 'done') return pulled;
  const after = (await getMeta('sync')) ?? { authLost: false };
  await setMeta('sync', { ...after, lastSyncAt: Date.now(), lastError: pushed === 'retry' ? after.lastError : undefined });
  return pushed === 'retry' || pushed === 'waiting' ? pushed : 'done';
}

/** Pushes this user's due commands in the order they were made (local sequence), in batches. */
async function pushOutbox(user: SessionUser, force: boolean): Promise<'done' | 'waiting' | 'offline' | 'retry' | 'signed_out'> {
  const sentNow = new Set<string>();
  for (let round = 0; round < 400; round++) {
    // A command still 'sending' while we hold the lock is left over from a crash or a closed tab: resend it.
    const queued = (await db.outbox.orderBy('seq').toArray()).filter(
      (c) => c.userId === user.id && (c.status === 'pending' || c.status === 'sending'),
    );
    const due = dueInOrder(queued, sentNow, force);
    if (due === 'waiting') return 'waiting';
    if (!due.length) return queued.some((c) => c.deferred) ? 'waiting' : 'done';
    const batch = takeBatch(due, (c) => JSON.stringify(toWire(c)).length);
    for (const c of batch) sentNow.add(c.id);
    const outcome = await sendBatch(batch);
    if (outcome !== 'sent') return outcome;
    force = true; // later batches go straight on
  }
  return 'done';
}


function toWire(c: OutboxCommand): WireCommand {
  if (c.type === 'create') return { id: c.id, type: 'create', caseId: c.caseId, service: c.service, input: c.input };
  return { id: c.id, type: 'action', caseId: c.caseId, action: c.action ?? '', baseVersion: c.baseVersion ?? 0, input: c.input };
}

async function sendBatch(batch: OutboxCommand[]): Promise<'sent' | 'offline' | 'retry' | 'signed_out'> {
  await setStatus(batch, 'sending');
  let results: PushResult[];
  try {
    const res = await api<{ results: PushResult[] }>('/api/sync/push', { method: 'POST', body: { commands: batch.map(toWire) } });
    results = res.results;
  } catch (err) {
    const problem: UiProblem = err instanceof ApiFailure ? err.problem : { code: 'network', status: 0, detail: String(err) };
    if (problem.status === 401) {
      await setStatus(batch, 'pending');
      await markAuthLost(problem);
      return 'signed_out';
    }
    if (problem.code === 'network' || problem.status >= 500 || problem.status === 429 || problem.status === 408) {
      await reschedule(batch, problem);
      return problem.code === 'network' ? 'offline' : 'retry';
    }
    // The server refused the whole request (e.g. 422 on one malformed command): find which one alone.
    if (batch.length > 1) {
      for (const one of batch) {
        const r = await sendBatch([one]);
        if (r !== 'sent') return r;
      }
      return 'sent';
    }
    await db.outbox.update(batch[0]!.id, { status: 'rejected', lastProblem: problem });
    return 'sent';
  }

  const byId = new Map(results.map((r) => [r.commandId, r]));
  const unanswered: OutboxCommand[] = [];
  const deferredNow: OutboxCommand[] = [];
  await db.transaction('rw', db.outbox, db.cases, db.meta, async () => {
    const recent = (await getMeta('recent')) ?? [];
    for (const cmd of batch) {
      const r = byId.get(cmd.id);
      if (!r) {
        unanswered.push(cmd);
        continue;
      }
      if (r.case) await upsertCase(r.case);
      if (r.status === 'deferred') {
        deferredNow.push(cmd);
      } else if (r.status === 'applied' || r.status === 'duplicate') {
        await db.outbox.delete(cmd.id);
        const done: RecentResult = { commandId: cmd.id, caseId: cmd.caseId, service: cmd.service, type: cmd.type, action: cmd.action, status: r.status, at: Date.now() };
        recent.unshift(done);
      } else if (r.status === 'conflict') {
        await db.outbox.update(cmd.id, {
          status: 'conflict',
          lastProblem: r.problem ?? { code: 'stale_version', status: 409 },
          conflictCase: r.case,
        });
      } else {
        await db.outbox.update(cmd.id, { status: 'rejected', lastProblem: r.problem ?? { code: 'rejected', status: 422 }, conflictCase: r.case });
      }
    }
    await setMeta('recent', recent.slice(0, RECENT_MAX));
  });
  for (const cmd of deferredNow) {
    const r = byId.get(cmd.id)!;
    const attempts = cmd.attempts + 1;
    // Not an error: it waits for its case. Retried with backoff, and sooner when the change feed brings the case.
    await db.outbox.update(cmd.id, { status: 'pending', deferred: true, attempts, nextAttemptAt: Date.now() + backoffDelay(attempts - 1), lastProblem: r.problem });
  }
  if (unanswered.length) {
    await reschedule(unanswered, { code: 'no_answer', status: 0, detail: 'The server did not answer for this command' });
    return 'retry';
  }
  return 'sent';
}

async function setStatus(batch: OutboxCommand[], status: CommandStatus): Promise<void> {
  await db.outbox.bulkUpdate(batch.map((c) => ({ key: c.id, changes: { status } })));
}

/** Back to 'pending' with the next attempt time; the whole batch shares one delay so order is kept. */
async function reschedule(batch: OutboxCommand[], problem: UiProblem): Promise<void> {
  const attempts = Math.max(...batch.map((c) => c.attempts)) + 1;
  const nextAttemptAt = Date.now() + backoffDelay(attempts - 1, problem.retryAfterSeconds);
  await db.outbox.bulkUpdate(batch.map((c) => ({ key: c.id, changes: { status: 'pending' as const, attempts, nextAttemptAt, lastProblem: problem } })));
  const state = (await getMeta('sync')) ?? { authLost: false };
  await setMeta('sync', { ...state, lastError: problem });
}

async function markAuthLost(problem: UiProblem): Promise<void> {
  const state = (await getMeta('sync')) ?? { authLost: false };
  await setMeta('sync', { ...state, authLost: true, lastError: problem });
}

/** Keeps the newest version of a case; an older answer arriving late never overwrites a newer one. */
export async function upsertCase(view: CaseView): Promise<void> {
  const existing = await db.cases.get(view.id);
  if (existing && existing.version > view.version) return;
  // History comes with GET /api/cases/:id only. Kept for the same version; for a newer one it is stale.
  const steps = view.steps ?? (existing && existing.version === view.version ? existing.steps : undefined);
  await db.cases.put({ ...view, ...(steps ? { steps } : {}) });
}

/** Follows the server's change feed from the stored cursor (server order, never device clocks). */
export async function pullChanges(): Promise<'done' | 'offline' | 'retry' | 'signed_out'> {
  let cursor = (await getMeta('cursor')) ?? 0;
  for (let page = 0; page < PULL_PAGES_MAX; page++) {
    let res: { cursor: number; more?: boolean; cases: CaseView[] };
    try {
      res = await api(`/api/sync/pull?cursor=${encodeURIComponent(String(cursor))}&limit=${PULL_PAGE}`);
    } catch (err) {
      const problem: UiProblem = problemFromError(err);
      if (problem.status === 401) {
        await markAuthLost(problem);
        return 'signed_out';
      }
      const state = (await getMeta('sync')) ?? { authLost: false };
      await setMeta('sync', { ...state, lastError: problem });
      return problem.code === 'network' ? 'offline' : 'retry';
    }
    await db.transaction('rw', db.cases, db.meta, db.outbox, async () => {
      for (const c of res.cases) await upsertCase(c);
      await setMeta('cursor', res.cursor);
      // A case that arrived frees the commands that were waiting for it: they go with the next push.
      const arrived = new Set(res.cases.map((c) => c.id));
      const waiting = await db.outbox.where('caseId').anyOf([...arrived]).filter((c) => !!c.deferred).toArray();
      await db.outbox.bulkUpdate(waiting.map((c) => ({ key: c.id, changes: { nextAttemptAt: 0 } })));
    });
    // `more` says another page waits; a cursor that did not move would loop forever, so it also stops.
    if (!res.more || res.cursor <= cursor) break;
    cursor = res.cursor;
  }
  return 'done';
}

/** When another user signs in on this device, their office's cases replace the cache (the outbox stays). */
export async function claimCacheFor(user: SessionUser): Promise<void> {
  const owner = await getMeta('cacheOwner');
  await db.transaction('rw', db.cases, db.meta, async () => {
    if (owner !== user.id) {
      await db.cases.clear();
      await setMeta('cursor', 0);
      await setMeta('cacheOwner', user.id);
    }
    await setMeta('user', user);
    const state = (await getMeta('sync')) ?? { authLost: false };
    await setMeta('sync', { ...state, authLost: false, lastError: undefined });
  });
}
