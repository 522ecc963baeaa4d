/**
 * The handler's answer with files: uploaded by the assignee (bytes checked, size-limited, R2), sent with the
 * resolution email to every complainant of the ticket, offered on the tracking page to the holder of the code only,
 * and refused to other offices, other handlers, wrong types and another complaint's files.
 */
import { env } from 'cloudflare:test';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../../worker/db/notifications';
import type { Env } from '../../worker/env';
import { composeEmail } from '../../worker/notify/email';
import { act, attempt, complaintIn, filePublic, inputFor, staff, type Staff } from './aduan-kit';
import { api, KOTA_JAMBI, signIn, TABALONG } from './helpers/auth';
import { seedMinimalOffice } from './helpers/fixtures';

type Problem = { code: string; errors?: { path: string }[] };
type Signed = Awaited<ReturnType<typeof signIn>>;
let handler: Staff;
let other: Staff;
let kabid: Staff;
let jambi: Staff;
let asHandler: Signed;

/** A small but real PDF (its magic bytes are what counts) and a PNG signature. */
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);

const upload = (as: Signed, caseId: string, bytes: Uint8Array, type: string, name = 'surat-jawaban.pdf') =>
  as.fetch(`/api/aduan/cases/${caseId}/reply-files?name=${encodeURIComponent(name)}`, { method: 'POST', body: bytes, headers: { 'content-type': type } });

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  [handler, other, kabid, jambi] = [await staff(['complaint_handler']), await staff(['complaint_handler']), await staff(['head_of_division']), await staff(['complaint_handler'], KOTA_JAMBI)];
  asHandler = await signIn(handler.username, handler.password);
});

describe('answer files', () => {
  it('reach the outgoing mail of every complainant of the ticket and the tracking page of the code holder', async () => {
    const c = await complaintIn('follow_up', handler, { email: 'pelapor.jawaban@example.com', name: 'Ibu Pelapor' });
    // A duplicate merged into it earlier: its complainant gets the same answer and files.
    const dup = await filePublic({ email: 'pelapor.kedua@example.com' });
    await act(handler.session, dup.caseId, 'merge', { intoTicket: c.ticketNo });

    const res = await upload(asHandler, c.caseId, PDF, 'application/pdf');
    expect(res.status, await res.clone().text()).toBe(200);
    const file = (await res.json()) as { id: string; name: string; type: string; size: number };
    expect(file).toMatchObject({ name: 'surat-jawaban.pdf', type: 'application/pdf', size: PDF.byteLength });
    const photo = (await (await upload(asHandler, c.caseId, PNG, 'image/png', '../../foto <b>loket</b>.exe')).json()) as { id: string; name: string };
    expect(photo.name).toBe('foto-bloketb.png'); // no path, no markup, the real extension

    // Not on the tracking page before the answer is sent.
    const tracked = async (code: string) => (await api('/api/aduan/track', { method: 'POST', json: { code } })).json() as Promise<{ files: { id: string; name: string }[] }>;
    expect((await tracked(c.trackingCode)).files).toEqual([]);

    await act(handler.session, c.caseId, 'resolve', { resolution: 'KTP-el sudah dicetak; surat jawaban terlampir.', replyFiles: [file.id, photo.id] });
    const rows = (await env.DB.prepare("SELECT * FROM notifications WHERE case_id IN (?, ?) AND channel = 'email' AND body LIKE '%selesai%'").bind(c.caseId, dup.caseId).all<NotificationRow>()).results;
    expect(rows.map((r) => r.recipient).sort()).toEqual(['pelapor.jawaban@example.com', 'pelapor.kedua@example.com']);
    for (const row of rows) {
      expect(row.body).toContain('Lampiran jawaban (2 berkas)');
      const { raw } = await composeEmail(env as unknown as Env, row);
      const mail = await PostalMime.parse(raw);
      expect(mail.attachments.map((a) => [a.filename, a.mimeType])).toEqual([['surat-jawaban.pdf', 'application/pdf'], ['foto-bloketb.png', 'image/png']]);
      expect(new Uint8Array(mail.attachments[0]!.content as ArrayBuffer)).toEqual(PDF);
    }

    // The code holder (and the merged ticket's) sees and fetches the answer's files; intake files are never offered.
    for (const code of [c.trackingCode, dup.trackingCode]) {
      expect((await tracked(code)).files.map((f) => f.name)).toEqual(['surat-jawaban.pdf', 'foto-bloketb.png']);
      const got = await api(`/api/aduan/track/files/${file.id}`, { method: 'POST', json: { code } });
      expect(got.status).toBe(200);
      expect(got.headers.get('content-disposition')).toContain('attachment; filename="surat-jawaban.pdf"');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(PDF);
    }
    const stranger = await filePublic();
    const refused = await api(`/api/aduan/track/files/${file.id}`, { method: 'POST', json: { code: stranger.trackingCode } });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as Problem).code).toBe('not_found');
    expect((await api(`/api/aduan/track/files/${file.id}`, { method: 'POST', json: { code: 'x'.repeat(22) } })).status).toBe(404);
    // The audit log keeps type and size of each upload, never the handler's file name.
    const audit = (await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'aduan.reply_file' AND object = ?").bind(`case:${c.caseId}`).all<{ detail_json: string }>()).results;
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.detail_json).join()).not.toContain('jawaban.pdf');
  });

  it('refuses a wrong type whatever its Content-Type, and a file over the limit', async () => {
    const c = await complaintIn('follow_up', handler);
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>'.padEnd(64, ' '));
    const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]);
    for (const [bytes, type] of [[html, 'application/pdf'], [exe, 'image/png'], [new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00'), 'image/gif']] as const) {
      const res = await upload(asHandler, c.caseId, bytes, type);
      expect(res.status).toBe(415);
      expect(((await res.json()) as Problem).code).toBe('attachment_type');
    }
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PDF);
    const tooBig = await upload(asHandler, c.caseId, big, 'application/pdf');
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as Problem).code).toBe('attachment_too_large');
    expect((await env.DB.prepare('SELECT count(*) AS n FROM complaint_attachments WHERE case_id = ?').bind(c.caseId).first<{ n: number }>())!.n).toBe(0);
  });

  it('refuses another office’s handler, a handler who is not the assignee, and a stage without an answer', async () => {
    const c = await complaintIn('follow_up', handler);
    const asJambi = await signIn(jambi.username, jambi.password);
    const r1 = await upload(asJambi, c.caseId, PDF, 'application/pdf');
    expect(r1.status).toBe(403);
    expect(((await r1.json()) as Problem).code).toBe('forbidden_object');
    const r2 = await upload(await signIn(other.username, other.password), c.caseId, PDF, 'application/pdf');
    expect(r2.status).toBe(403);
    expect(((await r2.json()) as Problem).code).toBe('aduan_not_assignee');
    // The head of division may answer in the assignee's place.
    expect((await upload(await signIn(kabid.username, kabid.password), c.caseId, PDF, 'application/pdf')).status).toBe(200);
    const early = await complaintIn('verified', handler);
    const r3 = await upload(asHandler, early.caseId, PDF, 'application/pdf');
    expect(r3.status).toBe(409);
    expect(((await r3.json()) as Problem).code).toBe('illegal_action');
  });

  it('an upload sent again with the device’s id answers the stored file, once; the id cannot name another complaint’s file', async () => {
    const c = await complaintIn('follow_up', handler);
    const id = crypto.randomUUID();
    const send = (caseId: string, fileId = id) =>
      asHandler.fetch(`/api/aduan/cases/${caseId}/reply-files?id=${fileId}&name=surat.pdf`, { method: 'POST', body: PDF, headers: { 'content-type': 'application/pdf' } });
    const first = await send(c.caseId);
    expect(first.status, await first.clone().text()).toBe(200);
    const again = await send(c.caseId);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const rows = (await env.DB.prepare('SELECT id FROM complaint_attachments WHERE case_id = ?').bind(c.caseId).all<{ id: string }>()).results;
    expect(rows).toEqual([{ id }]);
    const listed = await env.FILES.list({ prefix: `aduan/${TABALONG}/jawaban/${c.caseId}/` });
    expect(listed.objects.length).toBe(1);

    const otherCase = await complaintIn('follow_up', handler);
    const taken = await send(otherCase.caseId);
    expect(taken.status).toBe(422);
    expect(((await taken.json()) as Problem).errors?.map((e) => e.path)).toEqual(['id']);
    expect((await asHandler.fetch(`/api/aduan/cases/${c.caseId}/reply-files?id=not-a-uuid`, { method: 'POST', body: PDF, headers: { 'content-type': 'application/pdf' } })).status).toBe(422);
    await act(handler.session, c.caseId, 'resolve', { resolution: 'Selesai dengan lampiran.', replyFiles: [id] });
    expect((await env.DB.prepare('SELECT purpose FROM complaint_attachments WHERE id = ?').bind(id).first<{ purpose: string }>())!.purpose).toBe('reply');
  });

  it('a resolution may name only files uploaded for this complaint', async () => {
    const a = await complaintIn('follow_up', handler);
    const b = await complaintIn('follow_up', handler);
    const fileOfB = (await (await upload(asHandler, b.caseId, PDF, 'application/pdf')).json()) as { id: string };
    const intakeOfA = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO complaint_attachments (id, case_id, r2_key, filename, content_type, size, created_at) VALUES (?, ?, ?, 'foto.jpg', 'image/jpeg', 10, 0)").bind(intakeOfA, a.caseId, `aduan/${TABALONG}/foto/${intakeOfA}.jpg`).run();
    for (const id of [fileOfB.id, intakeOfA]) {
      const r = await attempt(handler.session, a.caseId, 'resolve', { ...inputFor('resolve', handler.id), replyFiles: [id] });
      expect(r.status).toBe('rejected');
      expect(r.problem?.code).toBe('validation_failed');
    }
    expect((await env.DB.prepare("SELECT state FROM cases WHERE id = ?").bind(a.caseId).first<{ state: string }>())!.state).toBe('follow_up');
  });

  it('keeps a confidential complainant’s address out of the outbox row that carries the files', async () => {
    const c = await complaintIn('follow_up', handler, { privacy: 'rahasia', email: 'rahasia.pelapor@example.com', name: 'Pelapor Rahasia' });
    const file = (await (await upload(asHandler, c.caseId, PDF, 'application/pdf')).json()) as { id: string };
    await act(handler.session, c.caseId, 'resolve', { resolution: 'Sudah ditindaklanjuti, surat terlampir.', replyFiles: [file.id] });
    const row = (await env.DB.prepare("SELECT * FROM notifications WHERE case_id = ? AND channel = 'email' AND attachments_json IS NOT NULL").bind(c.caseId).first<NotificationRow>())!;
    expect(row.recipient).toBe(`aduan-kontak:${c.caseId}`);
    expect(JSON.stringify(row)).not.toContain('rahasia.pelapor');
    expect(JSON.stringify(row)).not.toContain('Pelapor Rahasia');
  });
});
