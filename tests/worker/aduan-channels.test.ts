/** Complaint channels against real D1 and R2: the WhatsApp webhook's signature, inbound email with an attachment, LAPOR! re-import. */
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app';
import { receiveComplaintEmail } from '../../worker/aduan/email';
import { staff } from './aduan-kit';
import { signIn, ORIGIN, TABALONG } from './helpers/auth';
import { seedMinimalOffice } from './helpers/fixtures';

const APP_SECRET = 'wa-app-secret-for-tests';
const VERIFY_TOKEN = 'verify-token-for-tests';
const app = createApp();
const withSecrets = () => ({ ...env, ENVIRONMENT: 'test' as const, WA_APP_SECRET: APP_SECRET, WA_VERIFY_TOKEN: VERIFY_TOKEN, ADUAN_OFFICE: TABALONG });

async function sign(body: string, secret = APP_SECRET): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function waBody(id: string, text: string, from = '6281234500001', sentAt = Date.now()) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { phone_number_id: '123' },
      contacts: [{ wa_id: from, profile: { name: 'Warga WA' } }],
      messages: [{ from, id, timestamp: String(Math.floor(sentAt / 1000)), type: 'text', text: { body: text } }],
    } }] }],
  });
}

const post = (body: string, headers: Record<string, string> = {}) =>
  app.request('/api/aduan/whatsapp/webhook', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }, withSecrets());

const count = async (channel: string) => (await env.DB.prepare('SELECT count(*) AS n FROM complaints WHERE channel = ?').bind(channel).first<{ n: number }>())!.n;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
});

describe('WhatsApp webhook', () => {
  it('answers the verification handshake only with the right token', async () => {
    const q = (token: string) => `/api/aduan/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await app.request(q(VERIFY_TOKEN), {}, withSecrets());
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await app.request(q('nope'), {}, withSecrets());
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await wrong.json()) as { code: string }).code).toBe('webhook_verify_failed');
    expect((await app.request(q(VERIFY_TOKEN), {}, { ...env, WA_VERIFY_TOKEN: undefined })).status).toBe(503);
  });

  it('refuses a POST without a signature, with a wrong one, and with a body changed after signing', async () => {
    const body = waBody('wamid.unsigned', 'Antrean KTP-el di loket sangat lama sekali.');
    const before = await count('whatsapp');
    const attempts: Record<string, string>[] = [{}, { 'x-hub-signature-256': await sign(body, 'someone-else') }, { 'x-hub-signature-256': 'sha256=zz' }];
    for (const headers of attempts) {
      const res = await post(body, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { code: string }).code).toBe('webhook_signature_invalid');
    }
    const tampered = await post(body.replace('sangat lama', 'sangat cepat'), { 'x-hub-signature-256': await sign(body) });
    expect(tampered.status).toBe(401);
    expect(await count('whatsapp')).toBe(before);
  });

  it('files a signed message, answers with the ticket and link, and a replayed body files nothing', async () => {
    const body = waBody('wamid.HBgLNjI4MTIzNDUwMDAwMRUCABIYFjNFQjA', 'Antrean KTP-el di loket sangat lama, sudah 3 jam.');
    const headers = { 'x-hub-signature-256': await sign(body) };
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ filed: 1, skipped: 0 });
    const c = await env.DB.prepare("SELECT case_id, ticket_no FROM complaints WHERE source_ref = 'wamid.HBgLNjI4MTIzNDUwMDAwMRUCABIYFjNFQjA'").first<{ case_id: string; ticket_no: string }>();
    const reply = await env.DB.prepare('SELECT channel, recipient, body FROM notifications WHERE case_id = ?').bind(c!.case_id).first<{ channel: string; recipient: string; body: string }>();
    expect(reply).toMatchObject({ channel: 'whatsapp', recipient: '6281234500001' });
    expect(reply!.body).toContain(c!.ticket_no);
    expect(reply!.body).toMatch(/\/aduan\/lacak#kode=[A-Za-z0-9_-]{22}/);
    // The same signed body again (Meta retries, or someone replays it): 200, nothing new.
    const again = await post(body, headers);
    expect(await again.json()).toEqual({ filed: 0, skipped: 1 });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM complaints WHERE source_ref LIKE 'wamid.HBgL%'").first<{ n: number }>())!.n).toBe(1);
  });

  it('an old message replayed with a valid signature is not filed', async () => {
    const body = waBody('wamid.old', 'Pesan lama yang dikirim ulang oleh orang lain.', '6281234500002', Date.now() - 3 * 86_400_000);
    const res = await post(body, { 'x-hub-signature-256': await sign(body) });
    expect(await res.json()).toEqual({ filed: 0, skipped: 1 });
  });
});

describe('inbound email', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);
  const b64 = btoa(String.fromCharCode(...png));
  const raw = (messageId: string, extraHeaders = '') => [
    'From: Rina Warga <rina@example.test>',
    'To: aduan@disdukcapil.example',
    'Subject: KTP-el rusak belum diganti',
    `Message-ID: <${messageId}>`,
    'Date: Mon, 30 Nov 2026 09:00:00 +0800',
    'MIME-Version: 1.0',
    ...(extraHeaders ? [extraHeaders] : []),
    'Content-Type: multipart/mixed; boundary="XYZ"',
    '',
    '--XYZ',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'KTP-el saya rusak sejak Oktober dan belum diganti. <script>alert(1)</script>',
    '--XYZ',
    'Content-Type: image/png; name="foto ktp.png"',
    'Content-Disposition: attachment; filename="foto ktp.png"',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--XYZ--',
    '',
  ].join('\r\n');

  it('files the message with its attachment in R2 and replies with the tracking link', async () => {
    const out = await receiveComplaintEmail(withSecrets(), raw('m1@example.test'), { from: 'rina@example.test' });
    expect(out).toMatchObject({ status: 'filed', attachments: 1 });
    if (out.status !== 'filed') throw new Error('not filed');
    const att = await env.DB.prepare('SELECT r2_key, filename, content_type, size FROM complaint_attachments WHERE case_id = ?').bind(out.caseId).first<{ r2_key: string; filename: string; content_type: string; size: number }>();
    expect(att).toMatchObject({ filename: 'foto_ktp.png', content_type: 'image/png', size: png.byteLength });
    expect(att!.r2_key).toBe(`aduan/${TABALONG}/${out.caseId}/1-foto_ktp.png`);
    const obj = await env.FILES!.get(att!.r2_key);
    expect(new Uint8Array(await obj!.arrayBuffer())).toEqual(png);
    const c = await env.DB.prepare('SELECT data_json FROM cases WHERE id = ?').bind(out.caseId).first<{ data_json: string }>();
    expect(JSON.parse(c!.data_json)).toMatchObject({ channel: 'email', title: 'KTP-el rusak belum diganti' });
    expect(JSON.parse(c!.data_json).description).toContain('<script>alert(1)</script>');
    const reply = await env.DB.prepare('SELECT channel, recipient, body FROM notifications WHERE case_id = ?').bind(out.caseId).all<{ channel: string; recipient: string; body: string }>();
    expect(reply.results).toHaveLength(1);
    expect(reply.results[0]).toMatchObject({ channel: 'email', recipient: 'rina@example.test' });
    expect(reply.results[0]!.body).toContain(out.ticketNo);

    // A handler of the office downloads it; the browser is told not to sniff it into something else.
    const h = await staff(['complaint_handler']);
    const as = await signIn(h.username, h.password);
    const detail = (await (await as.fetch(`/api/aduan/cases/${out.caseId}`)).json()) as { attachments: { id: string }[] };
    const file = await as.fetch(`/api/aduan/attachments/${detail.attachments[0]!.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
  });

  it('the same message delivered twice is filed once; automatic replies are ignored', async () => {
    expect(await receiveComplaintEmail(withSecrets(), raw('m2@example.test'), { from: 'rina@example.test' })).toMatchObject({ status: 'filed' });
    expect(await receiveComplaintEmail(withSecrets(), raw('m2@example.test'), { from: 'rina@example.test' })).toEqual({ status: 'ignored', reason: 'duplicate' });
    expect(await receiveComplaintEmail(withSecrets(), raw('m3@example.test', 'Auto-Submitted: auto-replied'), { from: 'rina@example.test' })).toEqual({ status: 'ignored', reason: 'auto_reply' });
  });
});

describe('SP4N-LAPOR! import', () => {
  const csv = [
    'Tracking ID,Judul,Isi Laporan,Klasifikasi,Anonim,Nama Pelapor,Telepon',
    '4821001,Pelayanan KK lambat,"Pengurusan KK sudah dua minggu belum selesai, padahal dijanjikan 3 hari.",Pengaduan,Tidak,Ahmad,081200001111',
    '4821002,Usul loket sore,"Mohon loket dibuka sampai sore untuk pekerja, ""terutama"" hari Jumat.",Aspirasi,Ya,,',
    '4821003,Tanpa isi,,Pengaduan,Tidak,,',
  ].join('\n');

  it('imports a CSV, and importing it again (or the same reports as JSON) creates no duplicates', async () => {
    const h = await staff(['complaint_handler']);
    const as = await signIn(h.username, h.password);
    const send = (body: string, type: string) => as.fetch('/api/aduan/import/lapor', { method: 'POST', body, headers: { 'content-type': type, origin: ORIGIN } });
    const first = (await (await send(csv, 'text/csv')).json()) as { created: { laporId: string; ticketNo: string }[]; skipped: unknown[]; errors: { row: number }[] };
    expect(first.created.map((c) => c.laporId)).toEqual(['4821001', '4821002']);
    expect(first.errors.map((e) => e.row)).toEqual([3]);
    const again = (await (await send(csv, 'text/csv')).json()) as { created: unknown[]; skipped: { laporId: string; ticketNo: string }[] };
    expect(again.created).toEqual([]);
    expect(again.skipped.map((s) => s.ticketNo)).toEqual(first.created.map((c) => c.ticketNo));
    const json = JSON.stringify({ data: [{ tracking_id: '4821001', judul: 'x', isi_laporan: 'Pengurusan KK sudah dua minggu belum selesai.' }] });
    const viaJson = (await (await send(json, 'application/json')).json()) as { created: unknown[]; skipped: unknown[] };
    expect(viaJson).toMatchObject({ created: [], skipped: [{ laporId: '4821001' }] });
    expect(await count('lapor')).toBe(2);
    // The anonymous report keeps no contact; the kinds are read from the classification.
    const anon = await env.DB.prepare("SELECT c.privacy, k.data_json FROM complaints c JOIN cases k ON k.id = c.case_id WHERE c.source_ref = '4821002'").first<{ privacy: string; data_json: string }>();
    expect(anon!.privacy).toBe('anonim');
    expect(JSON.parse(anon!.data_json)).toMatchObject({ kind: 'aspirasi', description: 'Mohon loket dibuka sampai sore untuk pekerja, "terutama" hari Jumat.' });
  });

  it('needs a handler role and a readable file', async () => {
    const fo = await staff(['front_office']);
    const as = await signIn(fo.username, fo.password);
    expect((await as.fetch('/api/aduan/import/lapor', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv', origin: ORIGIN } })).status).toBe(403);
    const h = await staff(['complaint_handler']);
    const ah = await signIn(h.username, h.password);
    const bad = await ah.fetch('/api/aduan/import/lapor', { method: 'POST', body: '{"data": 1}', headers: { 'content-type': 'application/json', origin: ORIGIN } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { code: string }).code).toBe('import_invalid');
  });
});

describe('photos from the public form', () => {
  const jpeg = (size: number) => {
    const b = new Uint8Array(size);
    b.set([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
    return b;
  };
  const upload = (body: Uint8Array, type = 'image/jpeg', office = TABALONG) =>
    SELF.fetch(`${ORIGIN}/api/aduan/photos?office=${office}`, { method: 'POST', body, headers: { 'content-type': type, origin: ORIGIN, 'cf-connecting-ip': '10.9.9.9' } });

  it('stores a real image under the office prefix and the complaint names it', async () => {
    const res = await upload(jpeg(2048));
    expect(res.status).toBe(200);
    const photo = (await res.json()) as { key: string; name: string; type: string; size: number };
    expect(photo).toMatchObject({ type: 'image/jpeg', size: 2048 });
    expect(photo.key).toMatch(new RegExp(`^aduan/${TABALONG.replace('.', '\\.')}/foto/[0-9a-f-]{36}\\.jpg$`));
    expect((await env.FILES!.get(photo.key))!.size).toBe(2048);
    const { newTrackingCode } = await import('../../schema/aduan/tracking');
    const { uuid7 } = await import('./helpers/fixtures');
    const input = { subjectService: 'ktpel', description: 'Foto antrean yang panjang di loket.', privacy: 'anonim', trackingCode: newTrackingCode(), attachments: [photo] };
    const filed = await SELF.fetch(`${ORIGIN}/api/aduan/public`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN, 'cf-connecting-ip': '10.9.9.8' }, body: JSON.stringify({ office: TABALONG, commandId: uuid7(), caseId: uuid7(), input }) });
    expect(filed.status).toBe(200);
    const { caseId } = (await filed.json()) as { caseId: string };
    expect(await env.DB.prepare('SELECT r2_key FROM complaint_attachments WHERE case_id = ?').bind(caseId).first()).toEqual({ r2_key: photo.key });
    // A complainant may not name a file the office keeps for something else.
    const other = { ...input, trackingCode: newTrackingCode(), attachments: [{ ...photo, key: `aduan/${TABALONG}/some-case/1-x.png` }] };
    const refused = await SELF.fetch(`${ORIGIN}/api/aduan/public`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN, 'cf-connecting-ip': '10.9.9.8' }, body: JSON.stringify({ office: TABALONG, commandId: uuid7(), caseId: uuid7(), input: other }) });
    expect(refused.status).toBe(403);
  });

  it('refuses what is not an image whatever its Content-Type, and what is too large', async () => {
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>'.padEnd(64, ' '));
    const notImage = await upload(html, 'image/jpeg');
    expect(notImage.status).toBe(415);
    expect(((await notImage.json()) as { code: string }).code).toBe('attachment_type');
    const big = await upload(jpeg(245 * 1024));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe('attachment_too_large');
    expect((await upload(jpeg(100), 'image/jpeg', '99.99')).status).toBe(404);
  });
});
