/**
 * Attachments on the partner's device: photos compressed here (a clinic's connection is slow), typed by content,
 * hashed, kept in IndexedDB, and uploaded each on its own (a few at once, each with its own timeout and backoff)
 * once the command declaring them reached the server. A file larger than one part goes in 256 KiB parts: after a
 * cut connection the server says which parts it has and only the others are sent again.
 */
import { sniffType } from '../../../../schema/files';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_PART_BYTES, partCount, partLength } from '../../../../schema/workflows/birth';
import { type BirthFile, type UiProblem, db } from '../../db';
import { backoffDelay } from '../../sync/backoff';
import { uuidv7 } from '../../sync/uuidv7';

const MAX_EDGE = 1600;

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A photo scaled to at most 1600 px and re-encoded as JPEG; a PDF or an image that would not shrink is kept as it is. */
async function compress(file: Blob, type: string): Promise<Blob> {
  if (type === 'application/pdf' || typeof createImageBitmap !== 'function') return file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, MAX_EDGE / Math.max(bmp.width, bmp.height));
    const canvas = new OffscreenCanvas(Math.round(bmp.width * scale), Math.round(bmp.height * scale));
    canvas.getContext('2d')!.drawImage(bmp, 0, 0, canvas.width, canvas.height);
    const out = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
    return out.size < file.size ? out : file;
  } catch {
    return file; // not decodable here: the server's content check decides
  }
}

export type AddResult = { ok: true; file: BirthFile } | { ok: false; reason: 'type' | 'size' };

/** Reads, checks, compresses and stores one picked file for a draft's requirement. */
export async function addFile(picked: File, draftId: string, requirement: string, userId: string): Promise<AddResult> {
  const head = new Uint8Array(await picked.slice(0, 16).arrayBuffer());
  const type = sniffType(head);
  if (!type) return { ok: false, reason: 'type' };
  const blob = await compress(picked, type);
  const finalType = sniffType(new Uint8Array(await blob.slice(0, 16).arrayBuffer()))!;
  if (blob.size > ATTACHMENT_MAX_BYTES) return { ok: false, reason: 'size' };
  const file: BirthFile = {
    id: uuidv7(),
    draftId, requirement, name: picked.name, contentType: finalType, size: blob.size, sha256: await sha256Hex(blob), blob,
    status: 'draft', attempts: 0, nextAttemptAt: 0, userId, createdAt: Date.now(),
  };
  await db.birthFiles.add(file);
  return { ok: true, file };
}

/** What the case's create command declares of each file. */
export const refOf = (f: BirthFile) => ({ id: f.id, requirement: f.requirement, contentType: f.contentType, size: f.size, sha256: f.sha256 });

/** Files being sent right now: each upload runs on its own, so one that hangs holds only itself. */
const inFlight = new Set<string>();
/** At most this many uploads at once (a clinic's uplink is thin; more would only slow each one). */
const PARALLEL = 3;

/**
 * How long one upload may take before it counts as stuck: a floor plus the file at a slow 16 KiB/s (2G/EDGE),
 * so a 300 KB photo gets about 40 s and a 5 MB PDF about 5 minutes.
 */
export const uploadTimeoutMs = (size: number) => 20_000 + Math.ceil(size / 16_384) * 1000;

/** Whether the server can know this file yet: not while the command declaring it (create or resubmit) waits in the outbox. */
async function declaredOnServer(f: BirthFile): Promise<boolean> {
  const waiting = await db.outbox
    .where('caseId')
    .equals(f.caseId!)
    .filter((c) => ((c.input as { attachments?: { id: string }[] } | undefined)?.attachments ?? []).some((a) => a.id === f.id))
    .count();
  return waiting === 0;
}

const FETCH_INIT = { credentials: 'same-origin' } as const;

/**
 * Sends a file in parts: asks which parts the server holds, sends the others (each with its own timeout), then asks
 * the server to join them. Answers the first response that is not a success, or the completion's.
 */
async function sendInParts(f: BirthFile): Promise<Response> {
  const base = `/api/birth/attachments/${f.id}`;
  const count = partCount(f.size);
  // A completion may find a part missing (lost by the server between two tries): one more round then.
  for (let round = 0; ; round += 1) {
    const st = await fetch(`${base}/parts`, { ...FETCH_INIT, signal: AbortSignal.timeout(20_000) });
    if (!st.ok) return st;
    const state = (await st.json()) as { received: number[]; uploaded: boolean };
    if (!state.uploaded) {
      const have = new Set(state.received);
      // The server holds fewer parts than this device saw arrive: they were swept after days without a part
      // (worker/housekeeping.ts). Say so while the file goes again from the start; the note goes once it is stored.
      const lost = round === 0 && (f.partsDone ?? 0) > have.size;
      await db.birthFiles.update(f.id, { partsDone: have.size, partCount: count, ...(lost ? { lastProblem: { code: 'upload_restarted', status: 0 } } : {}) });
      for (let n = 0; n < count; n += 1) {
        if (have.has(n)) continue;
        const start = n * ATTACHMENT_PART_BYTES;
        const res = await fetch(`${base}/parts/${n}`, {
          ...FETCH_INIT, method: 'PUT', body: f.blob.slice(start, start + partLength(f.size, n)), headers: { 'content-type': 'application/octet-stream' },
          signal: AbortSignal.timeout(uploadTimeoutMs(partLength(f.size, n))),
        });
        if (!res.ok) return res;
        have.add(n);
        await db.birthFiles.update(f.id, { partsDone: have.size });
      }
    }
    const done = await fetch(`${base}/complete`, { ...FETCH_INIT, method: 'POST', signal: AbortSignal.timeout(60_000) });
    if (done.status !== 409 || round >= 1) return done;
  }
}

/** One attempt at one file; a failure backs off this file only (a refused content stops it for good). */
async function uploadOne(f: BirthFile): Promise<'done' | 'signed_out' | 'retry'> {
  let problem: UiProblem | undefined;
  let final = false;
  try {
    const res = f.size > ATTACHMENT_PART_BYTES
      ? await sendInParts(f)
      : await fetch(`/api/birth/attachments/${f.id}`, {
        ...FETCH_INIT, method: 'PUT', body: f.blob, headers: { 'content-type': f.contentType }, signal: AbortSignal.timeout(uploadTimeoutMs(f.size)),
      });
    if (res.ok) {
      // The server has it: free the device's storage, keep the row for the status list.
      await db.birthFiles.update(f.id, { status: 'uploaded', blob: new Blob([]), lastProblem: undefined, ...(f.size > ATTACHMENT_PART_BYTES ? { partsDone: partCount(f.size) } : {}) });
      return 'done';
    }
    const body = (await res.json().catch(() => ({}))) as Partial<UiProblem>;
    problem = { code: body.code ?? 'http_error', status: res.status, detail: body.detail };
    // Content refused: retrying sends the same bytes. The user must pick another file. A part that arrived short
    // (upload_part_invalid) or a part still missing is worth another try.
    final = (res.status === 413 || res.status === 415 || res.status === 422) && body.code !== 'upload_part_invalid';
    if (res.status === 401) return 'signed_out'; // wait for the next sign-in, without counting an attempt
  } catch {
    problem = { code: 'network', status: 0 }; // no answer, or none within uploadTimeoutMs (stalled)
  }
  const attempts = f.attempts + 1;
  await db.birthFiles.update(f.id, { status: final ? 'failed' : 'queued', attempts, nextAttemptAt: Date.now() + backoffDelay(attempts), lastProblem: problem });
  return 'retry';
}

/**
 * Starts the upload of every queued file that is due, up to PARALLEL at once, each on its own: a file that fails
 * backs off alone, one that hangs holds only its own slot until its timeout, and the others keep going. A file
 * waits while the command declaring it is still in the outbox (the server would not know it yet).
 * `networkBack`: the connection just returned, so files that failed for lack of network are due now.
 */
export async function uploadDue(opts: { now?: number; networkBack?: boolean } = {}): Promise<void> {
  const now = opts.now ?? Date.now();
  const queued = await db.birthFiles.where('status').equals('queued').toArray();
  const due = queued.filter((f) => f.caseId && !inFlight.has(f.id) && (f.nextAttemptAt <= now || (opts.networkBack && f.lastProblem?.code === 'network')));
  const started: Promise<unknown>[] = [];
  for (const f of due) {
    if (inFlight.size >= PARALLEL) break;
    if (!(await declaredOnServer(f))) continue;
    if (inFlight.has(f.id)) continue; // another run started it while this one looked at the outbox
    inFlight.add(f.id);
    started.push(
      uploadOne(f)
        .catch(() => 'retry' as const)
        .then((outcome) => {
          inFlight.delete(f.id);
          // A freed slot takes the next due file at once, not at the next timer tick (signed out: wait for sign-in).
          if (outcome !== 'signed_out') void uploadDue();
        }),
    );
  }
  await Promise.all(started);
}

/** Retry a failed or backed-off upload now. */
export async function retryFile(id: string): Promise<void> {
  await db.birthFiles.update(id, { status: 'queued', nextAttemptAt: 0 });
  void uploadDue();
}
