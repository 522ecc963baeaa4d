/**
 * Attachments on the partner's device: photos compressed here (a clinic's connection is slow), typed by content,
 * hashed, kept in IndexedDB, and uploaded one by one with their own backoff once the case reached the server.
 */
import { sniffType } from '../../../../schema/files';
import { ATTACHMENT_MAX_BYTES } from '../../../../schema/workflows/birth';
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

let running = false;

/**
 * Uploads every queued file that is due, each on its own: a failure backs off that file only. A file waits while
 * its case's create command is still in the outbox (the server would not know it yet).
 */
export async function uploadDue(now = Date.now()): Promise<void> {
  if (running) return;
  running = true;
  try {
    const due = (await db.birthFiles.where('status').equals('queued').toArray()).filter((f) => f.nextAttemptAt <= now && f.caseId);
    for (const f of due) {
      const waiting = await db.outbox.where('caseId').equals(f.caseId!).filter((c) => c.type === 'create').count();
      if (waiting) continue;
      let problem: UiProblem | undefined;
      let final = false;
      try {
        const res = await fetch(`/api/birth/attachments/${f.id}`, { method: 'PUT', body: f.blob, headers: { 'content-type': f.contentType }, credentials: 'same-origin', signal: AbortSignal.timeout(120_000) });
        if (res.ok) {
          // The server has it: free the device's storage, keep the row for the status list.
          await db.birthFiles.update(f.id, { status: 'uploaded', blob: new Blob([]), lastProblem: undefined });
          continue;
        }
        const body = (await res.json().catch(() => ({}))) as Partial<UiProblem>;
        problem = { code: body.code ?? 'http_error', status: res.status, detail: body.detail };
        // Content refused: retrying sends the same bytes. The user must pick another file.
        final = res.status === 413 || res.status === 415 || res.status === 422;
        if (res.status === 401) return; // signed out: wait for the next sign-in
      } catch {
        problem = { code: 'network', status: 0 };
      }
      const attempts = f.attempts + 1;
      await db.birthFiles.update(f.id, { status: final ? 'failed' : 'queued', attempts, nextAttemptAt: Date.now() + backoffDelay(attempts), lastProblem: problem });
    }
  } finally {
    running = false;
  }
}

/** Retry a failed or backed-off upload now. */
export async function retryFile(id: string): Promise<void> {
  await db.birthFiles.update(id, { status: 'queued', nextAttemptAt: 0 });
  await uploadDue();
}
