/**
 * Filing and answering without an account, offline first: a complaint or a survey answer is written to Dexie before
 * anything is sent, and leaves the queue only when the server answered for it (the ids make a resend harmless).
 * The staff outbox (web/src/sync) needs a signed-in user; these two small queues are for everyone else.
 */
import { newTrackingCode } from '../../../../schema/aduan/tracking';
import { api, ApiFailure, problemOf } from '../../api';
import { type PublicComplaint, db } from '../../db';
import { uuidv7 } from '../../sync/uuidv7';

/** Stores a complaint with a fresh tracking code and ids; returns it at once (the code is shown even offline). */
export async function queueComplaint(office: string, input: Record<string, unknown>, photos: Blob[] = []): Promise<PublicComplaint> {
  const trackingCode = newTrackingCode();
  const row: PublicComplaint = {
    id: uuidv7(), caseId: uuidv7(), office, input: { ...input, trackingCode }, trackingCode, createdAt: Date.now(), status: 'pending',
    ...(photos.length ? { photos: photos.map((blob) => ({ blob })) } : {}),
  };
  await db.publicComplaints.add(row);
  void flushPublic();
  return row;
}

const transient = (err: unknown) => !(err instanceof ApiFailure) || err.problem.code === 'network' || err.status >= 500 || err.status === 429 || err.status === 408;

let flushing: Promise<void> | null = null;

/** Sends every pending complaint and survey answer; failures that may pass (offline, 5xx, 429) stay queued. */
export function flushPublic(): Promise<void> {
  flushing ??= (async () => {
    try {
      for (const c of await db.publicComplaints.where('status').equals('pending').sortBy('createdAt')) {
        try {
          const attachments = await uploadPhotos(c);
          const input = attachments.length ? { ...c.input, attachments } : c.input;
          const res = await api<{ ticketNo: string }>('/api/aduan/public', { method: 'POST', body: { office: c.office, commandId: c.id, caseId: c.caseId, input } });
          await db.publicComplaints.update(c.id, { status: 'sent', ticketNo: res.ticketNo, problem: undefined });
        } catch (err) {
          if (transient(err)) break;
          await db.publicComplaints.update(c.id, { status: 'rejected', problem: (err as ApiFailure).problem });
        }
      }
      for (const a of await db.ikmOutbox.orderBy('createdAt').toArray()) {
        try {
          await api('/api/ikm/responses', { method: 'POST', body: a.body });
          await db.ikmOutbox.delete(a.id);
        } catch (err) {
          if (transient(err)) break;
          // Refused for good (used invitation, closed kiosk): nothing a retry changes.
          await db.ikmOutbox.delete(a.id);
        }
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

/** Uploads the complaint's photos not sent yet, remembering each key so a retry does not upload it twice. */
async function uploadPhotos(c: PublicComplaint): Promise<{ key: string; name: string; type: string; size: number }[]> {
  const photos = c.photos ?? [];
  for (const [i, p] of photos.entries()) {
    if (p.uploaded) continue;
    let res: Response;
    try {
      res = await fetch(`/api/aduan/photos?office=${encodeURIComponent(c.office)}`, { method: 'POST', body: p.blob, headers: { 'content-type': p.blob.type || 'image/jpeg' }, credentials: 'same-origin' });
    } catch (err) {
      throw new ApiFailure({ code: 'network', status: 0, detail: String(err) });
    }
    if (!res.ok) throw new ApiFailure(await problemOf(res));
    photos[i] = { ...p, uploaded: (await res.json()) as NonNullable<typeof p.uploaded> };
    await db.publicComplaints.update(c.id, { photos });
  }
  return photos.map((p) => p.uploaded!).filter(Boolean);
}

let started = false;
/** Flushes now and whenever the browser comes back online. */
export function startPublicFlush(): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => void flushPublic());
  void flushPublic();
}
