/**
 * A complaint answer written on a bad connection: what the handler types and the files they attach are kept in
 * IndexedDB at once; each file is uploaded on its own (a few at once, each with its own timeout and backoff, so one
 * stuck file never holds the others) under an id made here, and the answer becomes an outbox command only when all
 * its files are on the server. Nothing is lost when the network drops or the browser closes.
 */
import { sniffType } from '../../../../schema/files';
import { ADUAN_REPLY_FILE_MAX_BYTES, ADUAN_REPLY_FILES_MAX } from '../../../../schema/workflows/aduan';
import { type AduanAnswer, type AduanAnswerFile, type UiProblem, db } from '../../db';
import { backoffDelay } from '../../sync/backoff';
import { enqueue, runSync } from '../../sync/engine';

/** Fired on `window` with the case id once an answer left for the outbox and a sync finished. */
export const ANSWER_SENT_EVENT = 'loket:aduan-answer-sent';

export const answerIdOf = (userId: string, caseId: string) => `${userId}:${caseId}`;

type Author = { userId: string; username: string; officeCode: string };

/** Keeps what the handler typed (called on every keystroke); an answer already sent off is left alone. */
export async function saveAnswerValues(author: Author, caseId: string, values: Record<string, string>): Promise<void> {
  const id = answerIdOf(author.userId, caseId);
  await db.transaction('rw', db.aduanAnswers, async () => {
    const row = await db.aduanAnswers.get(id);
    if (row?.status === 'ready') return;
    await db.aduanAnswers.put({ id, caseId, ...author, values, status: 'draft', updatedAt: Date.now() });
  });
}

export type AttachResult = { ok: true } | { ok: false; reason: 'type' | 'size' | 'count' };

/** Checks one picked file by its bytes and size, keeps it with the answer and starts its upload if online. */
export async function attachFile(author: Author, caseId: string, values: Record<string, string>, picked: File): Promise<AttachResult> {
  const answerId = answerIdOf(author.userId, caseId);
  const type = sniffType(new Uint8Array(await picked.slice(0, 16).arrayBuffer()));
  if (!type) return { ok: false, reason: 'type' };
  if (picked.size === 0 || picked.size > ADUAN_REPLY_FILE_MAX_BYTES) return { ok: false, reason: 'size' };
  // Read now: a File from the picker may be unreadable later (moved, or the browser restarted).
  const blob = new Blob([await picked.arrayBuffer()], { type });
  const added = await db.transaction('rw', db.aduanAnswers, db.aduanAnswerFiles, async () => {
    if ((await db.aduanAnswerFiles.where('answerId').equals(answerId).count()) >= ADUAN_REPLY_FILES_MAX) return false;
    if (!(await db.aduanAnswers.get(answerId))) await db.aduanAnswers.put({ id: answerId, caseId, ...author, values, status: 'draft', updatedAt: Date.now() });
    const file: AduanAnswerFile = {
      id: crypto.randomUUID(), answerId, caseId, userId: author.userId, name: picked.name, type, size: blob.size, blob,
      status: 'queued', attempts: 0, nextAttemptAt: 0, createdAt: Date.now(),
    };
    await db.aduanAnswerFiles.add(file);
    return true;
  });
  if (!added) return { ok: false, reason: 'count' };
  void uploadDueAnswerFiles({ userId: author.userId });
  return { ok: true };
}

/** Takes a file off the answer (one already uploaded stays on the server as an unsent draft; the hourly sweep removes it). */
export async function removeAnswerFile(id: string): Promise<void> {
  await db.aduanAnswerFiles.delete(id);
}

/** Tries a failed or backed-off file again now. */
export async function retryAnswerFile(id: string, userId: string): Promise<void> {
  await db.aduanAnswerFiles.update(id, { status: 'queued', nextAttemptAt: 0 });
  void uploadDueAnswerFiles({ userId });
}

/** "Send" pressed: the answer goes as soon as its files are in (at once if they already are). */
export async function markAnswerReady(answerId: string, baseVersion: number, input: Record<string, unknown>): Promise<void> {
  const row = await db.aduanAnswers.get(answerId);
  await db.aduanAnswers.update(answerId, { status: 'ready', baseVersion, input, updatedAt: Date.now() });
  if (row) await sendReadyAnswers(row.userId);
}

/** Back to writing (a file was refused, or the handler wants to change something): nothing is sent meanwhile. */
export async function reopenAnswer(answerId: string): Promise<void> {
  await db.aduanAnswers.update(answerId, { status: 'draft', updatedAt: Date.now() });
}

/**
 * Every ready answer of `userId` whose files are all uploaded becomes an outbox command naming them, and leaves this
 * table in the same transaction (two tabs never send it twice). Then the outbox is pushed.
 */
export async function sendReadyAnswers(userId: string): Promise<void> {
  const ready = await db.aduanAnswers.where('status').equals('ready').filter((a) => a.userId === userId).toArray();
  const sent: string[] = [];
  for (const a of ready) {
    const went = await db.transaction('rw', [db.aduanAnswers, db.aduanAnswerFiles, db.outbox, db.drafts], async () => {
      const row = await db.aduanAnswers.get(a.id);
      if (row?.status !== 'ready' || row.baseVersion === undefined || !row.input) return false;
      const files = await db.aduanAnswerFiles.where('answerId').equals(a.id).sortBy('createdAt');
      if (files.some((f) => f.status !== 'uploaded')) return false;
      const input = { ...row.input };
      delete input.replyFiles;
      if (files.length) input.replyFiles = files.map((f) => f.id);
      await enqueue({ type: 'action', caseId: row.caseId, service: 'aduan', action: 'resolve', baseVersion: row.baseVersion, input, userId: row.userId, username: row.username, officeCode: row.officeCode });
      await db.aduanAnswerFiles.where('answerId').equals(a.id).delete();
      await db.aduanAnswers.delete(a.id);
      return true;
    });
    if (went) sent.push(a.caseId);
  }
  if (sent.length === 0) return;
  const outcome = await runSync({ force: true });
  if (outcome === 'done') for (const caseId of sent) window.dispatchEvent(new CustomEvent(ANSWER_SENT_EVENT, { detail: caseId }));
}

/** Files being sent right now: each upload runs on its own, so one that hangs holds only its own slot. */
const inFlight = new Set<string>();
/** At most this many uploads at once: a thin uplink shared by more only slows each one. */
const PARALLEL = 2;
/** One upload's time limit: a floor plus the file at a slow 16 KiB/s, so a 2 MB PDF gets about two and a half minutes. */
export const answerUploadTimeoutMs = (size: number) => 20_000 + Math.ceil(size / 16_384) * 1000;

async function uploadOne(f: AduanAnswerFile): Promise<'done' | 'signed_out' | 'retry'> {
  let problem: UiProblem | undefined;
  let final = false;
  try {
    const res = await fetch(`/api/aduan/cases/${encodeURIComponent(f.caseId)}/reply-files?id=${f.id}&name=${encodeURIComponent(f.name)}`, {
      method: 'POST', body: f.blob, headers: { 'content-type': f.type }, credentials: 'same-origin', signal: AbortSignal.timeout(answerUploadTimeoutMs(f.size)),
    });
    if (res.ok) {
      const saved = (await res.json()) as { name: string };
      // The server has it: free the device's storage, keep the row for the answer.
      await db.aduanAnswerFiles.update(f.id, { status: 'uploaded', blob: new Blob([]), storedName: saved.name, lastProblem: undefined });
      return 'done';
    }
    if (res.status === 401) return 'signed_out'; // waits for the next sign-in, without counting an attempt
    const body = (await res.json().catch(() => ({}))) as Partial<UiProblem>;
    problem = { code: body.code ?? 'http_error', status: res.status, detail: body.detail, retryAfterSeconds: Number(res.headers.get('retry-after')) || undefined };
    // Refused content, or a complaint no longer this handler's to answer: sending again cannot help.
    final = [403, 404, 409, 413, 415, 422].includes(res.status);
  } catch {
    problem = { code: 'network', status: 0 }; // no answer, or none within the time limit (stalled)
  }
  const attempts = f.attempts + 1;
  await db.aduanAnswerFiles.update(f.id, {
    status: final ? 'failed' : 'queued', attempts, nextAttemptAt: Date.now() + backoffDelay(attempts, problem.retryAfterSeconds), lastProblem: problem,
  });
  return 'retry';
}

/**
 * Starts the upload of every queued answer file of `userId` that is due, up to PARALLEL at once, each on its own
 * (another handler's files on a shared device wait for their own sign-in: this session may not upload them).
 * `networkBack`: the connection just returned, so files that failed for lack of it are due now.
 */
export async function uploadDueAnswerFiles(opts: { userId: string; networkBack?: boolean }): Promise<void> {
  const now = Date.now();
  const queued = await db.aduanAnswerFiles.where('status').equals('queued').sortBy('createdAt');
  const due = queued.filter((f) => f.userId === opts.userId && !inFlight.has(f.id) && (f.nextAttemptAt <= now || (opts.networkBack && f.lastProblem?.code === 'network')));
  const started: Promise<unknown>[] = [];
  for (const f of due) {
    if (inFlight.size >= PARALLEL) break;
    inFlight.add(f.id);
    started.push(
      uploadOne(f)
        .catch(() => 'retry' as const)
        .then(async (outcome) => {
          inFlight.delete(f.id);
          if (outcome === 'done') await sendReadyAnswers(opts.userId);
          // A freed slot takes the next due file at once (signed out: wait for the sign-in).
          if (outcome !== 'signed_out') void uploadDueAnswerFiles({ userId: opts.userId });
        }),
    );
  }
  await Promise.all(started);
}

export type { AduanAnswer, AduanAnswerFile };
