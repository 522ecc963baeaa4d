/**
 * The hourly housekeeping deletes answer files uploaded but never sent (rows and R2 objects) once they are older than
 * UNSENT_ANSWER_FILE_KEEP_MS and their complaint left follow-up; sent files, recent drafts and drafts of a complaint
 * still being answered stay; each run deletes at most UNSENT_ANSWER_FILE_BATCH.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNSENT_ANSWER_FILE_BATCH, UNSENT_ANSWER_FILE_KEEP_MS } from '../../worker/aduan/sweep';
import { housekeep } from '../../worker/housekeeping';
import { act, complaintIn, staff, type Staff } from './aduan-kit';
import { signIn } from './helpers/auth';
import { seedMinimalOffice } from './helpers/fixtures';

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HOUR = 3_600_000;
let handler: Staff;
let as: Awaited<ReturnType<typeof signIn>>;

async function upload(caseId: string, name: string): Promise<{ id: string; key: string }> {
  const res = await as.fetch(`/api/aduan/cases/${caseId}/reply-files?name=${name}`, { method: 'POST', body: PDF, headers: { 'content-type': 'application/pdf' } });
  expect(res.status, await res.clone().text()).toBe(200);
  const { id } = (await res.json()) as { id: string };
  const row = await env.DB.prepare('SELECT r2_key FROM complaint_attachments WHERE id = ?').bind(id).first<{ r2_key: string }>();
  return { id, key: row!.r2_key };
}
const age = (id: string, ms: number) => env.DB.prepare('UPDATE complaint_attachments SET created_at = ? WHERE id = ?').bind(Date.now() - ms, id).run();
const rowOf = (id: string) => env.DB.prepare('SELECT purpose FROM complaint_attachments WHERE id = ?').bind(id).first<{ purpose: string }>();

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  handler = await staff(['complaint_handler']);
  as = await signIn(handler.username, handler.password);
});

describe('sweep of unsent answer files', () => {
  it('deletes old unsent ones of answered complaints; sent, recent and still-open ones stay', async () => {
    const answered = await complaintIn('follow_up', handler);
    const removed = await upload(answered.caseId, 'dihapus-dari-jawaban');
    const sent = await upload(answered.caseId, 'surat-jawaban');
    const recent = await upload(answered.caseId, 'baru-diunggah');
    await act(handler.session, answered.caseId, 'resolve', { resolution: 'Sudah selesai; surat terlampir.', replyFiles: [sent.id] });
    const open = await complaintIn('follow_up', handler);
    const waiting = await upload(open.caseId, 'jawaban-belum-dikirim');

    const old = UNSENT_ANSWER_FILE_KEEP_MS + HOUR;
    for (const id of [removed.id, sent.id, waiting.id]) await age(id, old);
    await age(recent.id, UNSENT_ANSWER_FILE_KEEP_MS - HOUR);

    const report = await housekeep(env.DB, Date.now(), env.FILES);
    expect(report.unsentAnswerFiles).toBe(1);
    expect(await rowOf(removed.id)).toBeNull();
    expect(await env.FILES.head(removed.key)).toBeNull();
    expect(await rowOf(sent.id)).toEqual({ purpose: 'reply' });
    expect(await env.FILES.head(sent.key)).not.toBeNull();
    expect(await rowOf(recent.id)).toEqual({ purpose: 'reply_draft' });
    expect(await env.FILES.head(recent.key)).not.toBeNull();
    // The complaint still in follow-up: its answer (perhaps on an offline device) may still name the file.
    expect(await rowOf(waiting.id)).toEqual({ purpose: 'reply_draft' });
    expect(await env.FILES.head(waiting.key)).not.toBeNull();

    const audit = await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'aduan.reply_files_swept' ORDER BY seq DESC LIMIT 1").first<{ detail_json: string }>();
    expect(JSON.parse(audit!.detail_json)).toEqual({ files: [removed.id], cases: [answered.caseId] });
    // Nothing left to do: a second run deletes nothing and writes no audit entry.
    expect((await housekeep(env.DB, Date.now(), env.FILES)).unsentAnswerFiles).toBe(0);
  });

  it('deletes at most one batch per run; the next run continues', async () => {
    const answered = await complaintIn('follow_up', handler);
    await act(handler.session, answered.caseId, 'resolve', { resolution: 'Sudah selesai.' });
    const n = UNSENT_ANSWER_FILE_BATCH + 5;
    const at = Date.now() - UNSENT_ANSWER_FILE_KEEP_MS - HOUR;
    // Rows only (their R2 keys do not exist): deleting a missing key is not an error, the count is what matters here.
    await env.DB.prepare(
      `INSERT INTO complaint_attachments (id, case_id, r2_key, filename, content_type, size, created_at, purpose)
       SELECT 'bulk-' || value, ?, 'aduan/63.09/jawaban/' || ? || '/bulk-' || value || '.pdf', 'x.pdf', 'application/pdf', 10, ?, 'reply_draft' FROM json_each(?)`,
    ).bind(answered.caseId, answered.caseId, at, JSON.stringify(Array.from({ length: n }, (_, i) => i))).run();
    const left = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM complaint_attachments WHERE case_id = ? AND purpose = 'reply_draft'").bind(answered.caseId).first<{ n: number }>())!.n;
    expect((await housekeep(env.DB, Date.now(), env.FILES)).unsentAnswerFiles).toBe(UNSENT_ANSWER_FILE_BATCH);
    expect(await left()).toBe(5);
    expect((await housekeep(env.DB, Date.now(), env.FILES)).unsentAnswerFiles).toBe(5);
    expect(await left()).toBe(0);
  });
});
