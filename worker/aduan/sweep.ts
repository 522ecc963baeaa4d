/**
 * Hourly sweep of answer files a handler uploaded but never sent (purpose 'reply_draft'): a file removed from the
 * answer, or left behind when the complaint was archived or merged. Their rows go, then their R2 objects.
 */
import { withAudit } from '../audit';
import { deleteUnsentReplyDrafts } from '../db/aduan';

const DAY = 24 * 60 * 60_000;

/**
 * How long an unsent answer file is kept after its upload, counted only once its complaint has left follow-up.
 * While the complaint is in follow-up an answer may still name it: the handler's device sends the answer only after
 * all its files are in, possibly days later. Once the complaint left follow-up no answer can (a late one meets a
 * newer version and is refused); a week more leaves time to ask which file a handler meant before it is gone.
 */
export const UNSENT_ANSWER_FILE_KEEP_MS = 7 * DAY;
/** Files per run: one R2 delete call takes up to 1000 keys; 200 keeps each run short, the next hour continues. */
export const UNSENT_ANSWER_FILE_BATCH = 200;

/** Deletes old unsent answer files (rows first, so a row never names a missing object); returns how many. */
export async function sweepUnsentAnswerFiles(db: D1Database, files: R2Bucket, now: number): Promise<number> {
  const gone = await deleteUnsentReplyDrafts(db, now - UNSENT_ANSWER_FILE_KEEP_MS, UNSENT_ANSWER_FILE_BATCH);
  if (gone.length === 0) return 0;
  await files.delete(gone.map((g) => g.r2_key));
  // Their uploads were audited by file id; so is their removal.
  await withAudit(db, [{ actor: 'system', action: 'aduan.reply_files_swept', object: 'aduan', detail: { files: gone.map((g) => g.id), cases: [...new Set(gone.map((g) => g.case_id))] } }], () => []);
  return gone.length;
}
