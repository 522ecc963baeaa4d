/**
 * Inbound email through the running stack: a message with a PDF attachment posted to wrangler dev's local email
 * endpoint (/cdn-cgi/handler/email) reaches the Worker's email() handler, which files a complaint, keeps the
 * attachment in R2 and queues the reply with the tracking link to the sender.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildMimeMessage } from '../../worker/notify/mime';
import { baseUrl, d1, d1Count, eventually } from './helpers';

const SENDER = 'warga.surel@contoh.example';
const OFFICE_ADDRESS = 'aduan@disdukcapil.example';

/** A resident's message (mimetext via our builder, without the Auto-Submitted mark a mail client would not set). */
function inbound(messageId: string, pdf: Uint8Array): string {
  return buildMimeMessage({
    from: SENDER,
    fromName: 'Warga Pengirim Surel',
    to: OFFICE_ADDRESS,
    subject: 'Akta kelahiran anak saya belum terbit',
    text: 'Sudah sebulan sejak pengajuan akta kelahiran di loket, tetapi belum ada kabar. Bukti pengajuan terlampir.',
    date: new Date(),
    messageId,
    attachments: [{ filename: 'bukti-pengajuan.pdf', contentType: 'application/pdf', bytes: pdf }],
  }).replace(/^Auto-Submitted: auto-generated\r\n/m, '');
}

const post = (raw: string) =>
  fetch(`${baseUrl()}/cdn-cgi/handler/email?from=${encodeURIComponent(SENDER)}&to=${encodeURIComponent(OFFICE_ADDRESS)}`, { method: 'POST', body: raw });

describe('inbound email through wrangler dev', () => {
  it('files the message as a complaint with its attachment, replies to the sender, and files a resend only once', async () => {
    const messageId = `<${randomUUID()}@contoh.example>`;
    const pdf = new TextEncoder().encode(`%PDF-1.4\n% bukti ${messageId}\n${'isi '.repeat(500)}`);
    const res = await post(inbound(messageId, pdf));
    expect(res.status, await res.clone().text()).toBeLessThan(300);

    let caseId = '';
    await eventually(async () => {
      const rows = await d1<{ case_id: string; channel: string }>(`SELECT case_id, channel FROM complaints WHERE source_ref = '${messageId.replace(/'/g, "''")}'`);
      caseId = rows[0]?.case_id ?? '';
      return caseId !== '';
    }, 'the complaint filed from the email');
    const [complaint] = await d1<{ channel: string; ticket_no: string; office_code: string }>(`SELECT channel, ticket_no, office_code FROM complaints WHERE case_id = '${caseId}'`);
    expect(complaint).toMatchObject({ channel: 'email', office_code: '63.09' });
    const attachments = await d1<{ filename: string; content_type: string; size: number; r2_key: string }>(`SELECT filename, content_type, size, r2_key FROM complaint_attachments WHERE case_id = '${caseId}'`);
    expect(attachments).toEqual([expect.objectContaining({ filename: 'bukti-pengajuan.pdf', content_type: 'application/pdf', size: pdf.byteLength })]);
    expect(attachments[0]!.r2_key.startsWith(`aduan/63.09/${caseId}/`)).toBe(true);
    const [data] = await d1<{ data_json: string }>(`SELECT data_json FROM cases WHERE id = '${caseId}'`);
    expect(JSON.parse(data!.data_json)).toMatchObject({ channel: 'email', title: 'Akta kelahiran anak saya belum terbit' });

    // The reply to the sender, by email, naming the ticket.
    const replies = await d1<{ channel: string; recipient: string; subject: string }>(`SELECT channel, recipient, subject FROM notifications WHERE case_id = '${caseId}'`);
    expect(replies).toEqual([expect.objectContaining({ channel: 'email', recipient: SENDER })]);
    expect(replies[0]!.subject).toContain(complaint!.ticket_no);

    // The same message delivered again (a retry of Email Routing): no second complaint.
    expect((await post(inbound(messageId, pdf))).status).toBeLessThan(300);
    expect(await d1Count(`SELECT count(*) AS n FROM complaints WHERE source_ref = '${messageId.replace(/'/g, "''")}'`)).toBe(1);
  }, 120_000);
});
