// Notification outbox and delivery: guarded inserts, claims, retries with backoff, adapters, MIME, dev mailbox, cron path.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app';
import { claim, getNotification, type NotificationRow } from '../../worker/db/notifications';
import type { Env } from '../../worker/env';
import worker from '../../worker/index';
import { DeliveryError, type Senders } from '../../worker/notify/adapter';
import { deliverDue, LEASE_MS, MAX_ATTEMPTS, retryDelayMs, safeError } from '../../worker/notify/deliver';
import { composeEmail, emailSender } from '../../worker/notify/email';
import PostalMime from 'postal-mime';
import { buildMimeMessage, type MailAttachment, quotedPrintable } from '../../worker/notify/mime';
import { notificationStatement, notificationStatementIf } from '../../worker/notify/outbox';
import { toWhatsAppNumber, whatsappSender, type HttpFetch } from '../../worker/notify/whatsapp';

const testEnv = env as unknown as Env;
const T0 = Date.UTC(2026, 6, 1, 3, 0, 0);
const MIN = 60_000;

async function queue(n: Partial<Parameters<typeof notificationStatement>[1]> = {}, at = T0): Promise<string> {
  const stmt = notificationStatement(
    testEnv.DB,
    { channel: 'email', recipient: 'warga@contoh.example', subject: 'Permohonan diterima', body: 'Isi pesan rahasia 123', ...n },
    at,
  );
  await testEnv.DB.batch([stmt]);
  const row = await testEnv.DB.prepare('SELECT id FROM notifications ORDER BY rowid DESC LIMIT 1').first<{ id: string }>();
  return row!.id;
}

async function row(id: string): Promise<NotificationRow> {
  const r = await getNotification(testEnv.DB, id);
  if (!r) throw new Error(`no notification ${id}`);
  return r;
}

async function count(): Promise<number> {
  return (await testEnv.DB.prepare('SELECT COUNT(*) AS n FROM notifications').first<{ n: number }>())!.n;
}

/** Senders that record what they were asked to send, optionally failing or waiting. */
function recordingSenders(behaviour: { fail?: (n: NotificationRow) => Error | null; delayMs?: number } = {}) {
  const sent: NotificationRow[] = [];
  const send = async (n: NotificationRow) => {
    if (behaviour.delayMs) await scheduler.wait(behaviour.delayMs);
    const err = behaviour.fail?.(n);
    if (err) throw err;
    sent.push(n);
    return { via: n.channel === 'email' ? ('email' as const) : ('dev_mailbox' as const), ref: `ref-${n.id}` };
  };
  const senders: Senders = { email: send, whatsapp: send };
  return { sent, senders };
}

beforeEach(async () => {
  await testEnv.DB.batch([testEnv.DB.prepare('DELETE FROM notifications'), testEnv.DB.prepare('DELETE FROM cases')]);
});

describe('outbox', () => {
  it('inserts a pending row due at once', async () => {
    const id = await queue({ channel: 'whatsapp', recipient: ' 081234567890 ', caseId: null });
    const r = await row(id);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r).toMatchObject({
      channel: 'whatsapp',
      recipient: '081234567890',
      status: 'pending',
      attempts: 0,
      next_attempt_at: T0,
      created_at: T0,
      sent_at: null,
      last_error: null,
      case_id: null,
    });
  });

  it('refuses an unknown channel or empty recipient before the batch', () => {
    expect(() => notificationStatement(testEnv.DB, { channel: 'sms' as 'email', recipient: 'x', subject: '', body: '' }, T0)).toThrow();
    expect(() => notificationStatement(testEnv.DB, { channel: 'email', recipient: '  ', subject: '', body: '' }, T0)).toThrow();
  });

  describe('guarded by the case last command', () => {
    const caseId = '01970000-0000-7000-8000-000000000001';
    beforeEach(async () => {
      await testEnv.DB.batch([
        testEnv.DB.prepare(
          `INSERT OR IGNORE INTO offices (code, name, region_code, time_zone, service_hours_json) VALUES ('15.71', 'Kota Jambi', '15.71', 'Asia/Jakarta', '{}')`,
        ),
        testEnv.DB.prepare(
          `INSERT INTO cases (id, service, office_code, state, version, data_json, step_started_at, created_by, created_at, updated_at, last_command_id)
           VALUES (?, 'ktpel', '15.71', 'submitted', 1, '{}', ?, 'u1', ?, ?, 'cmd-1')`,
        ).bind(caseId, T0, T0, T0),
      ]);
    });
    const n = { channel: 'email' as const, recipient: 'warga@contoh.example', subject: 'S', body: 'B' };
    // The engine's update: only when the case is still at the version the command was based on.
    const update = (commandId: string, baseVersion: number) =>
      testEnv.DB.prepare(`UPDATE cases SET version = version + 1, last_command_id = ? WHERE id = ? AND version = ?`).bind(commandId, caseId, baseVersion);

    it('writes the row when the guarded update happened in the same batch', async () => {
      await testEnv.DB.batch([update('cmd-2', 1), notificationStatementIf(testEnv.DB, n, T0, { caseId, commandId: 'cmd-2' })]);
      const rows = await testEnv.DB.prepare('SELECT case_id, status FROM notifications').all();
      expect(rows.results).toEqual([{ case_id: caseId, status: 'pending' }]);
    });

    it('writes nothing when the guarded update did not happen (stale version)', async () => {
      await testEnv.DB.batch([update('cmd-3', 7), notificationStatementIf(testEnv.DB, n, T0, { caseId, commandId: 'cmd-3' })]);
      expect(await count()).toBe(0);
    });

    it('writes nothing for an unknown case', async () => {
      await testEnv.DB.batch([notificationStatementIf(testEnv.DB, n, T0, { caseId: 'nope', commandId: 'cmd-1' })]);
      expect(await count()).toBe(0);
    });
  });
});

describe('delivery', () => {
  it('sends due rows through the real adapters and marks them sent', async () => {
    const email = await queue({ channel: 'email' });
    const wa = await queue({ channel: 'whatsapp', recipient: '0812-3456-7890' });
    const later = await queue({ channel: 'email' }, T0 + 10 * MIN);
    // ENVIRONMENT=test without WA_TOKEN: WhatsApp goes to the dev mailbox; email through the local send_email binding.
    const report = await deliverDue(testEnv, T0 + MIN);
    expect(report).toEqual({ due: 2, skipped: 0, sent: 2, retrying: 0, dead: 0 });
    expect(await row(email)).toMatchObject({ status: 'sent', sent_at: T0 + MIN, attempts: 1, delivered_via: 'email' });
    expect((await row(email)).provider_ref).toBeTruthy();
    expect(await row(wa)).toMatchObject({ status: 'sent', delivered_via: 'dev_mailbox', provider_ref: null });
    expect(await row(later)).toMatchObject({ status: 'pending', attempts: 0 });
    // Nothing is sent twice.
    expect(await deliverDue(testEnv, T0 + 2 * MIN)).toEqual({ due: 0, skipped: 0, sent: 0, retrying: 0, dead: 0 });
  });

  it('takes a bounded batch per run', async () => {
    for (let i = 0; i < 5; i++) await queue({}, T0 + i);
    const { senders, sent } = recordingSenders();
    expect(await deliverDue(testEnv, T0 + MIN, { senders, batchSize: 3 })).toMatchObject({ due: 3, sent: 3 });
    expect(await deliverDue(testEnv, T0 + MIN, { senders, batchSize: 3 })).toMatchObject({ due: 2, sent: 2 });
    expect(sent.map((n) => n.next_attempt_at)).toEqual([T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4]);
  });

  it('retries a failing row with exponential backoff and makes it dead after 8 attempts', async () => {
    const id = await queue({ body: 'Isi pesan rahasia 123' });
    // A provider that echoes the body and the token back: neither may reach last_error.
    const token = 'EAAG-secret-token';
    const failing = recordingSenders({ fail: (n) => new DeliveryError(`provider said: ${n.body} (auth ${token})`) });
    const envWithToken = { ...testEnv, WA_TOKEN: token };
    let t = T0;
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Not due a moment before its time.
      if (attempt > 1) expect((await deliverDue(envWithToken, t - 1, { senders: failing.senders })).due).toBe(0);
      const report = await deliverDue(envWithToken, t, { senders: failing.senders, random: () => 0.5 });
      const r = await row(id);
      expect(r.attempts).toBe(attempt);
      expect(r.last_error).toContain('provider said');
      expect(r.last_error).not.toContain('rahasia');
      expect(r.last_error).not.toContain(token);
      if (attempt < MAX_ATTEMPTS) {
        expect(report).toMatchObject({ due: 1, retrying: 1 });
        expect(r.status).toBe('pending');
        gaps.push((r.next_attempt_at - t) / MIN);
        t = r.next_attempt_at;
      } else {
        expect(report).toMatchObject({ due: 1, dead: 1 });
        expect(r.status).toBe('dead');
      }
    }
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(await deliverDue(envWithToken, t + 24 * 60 * MIN, { senders: failing.senders })).toMatchObject({ due: 0 });
  });

  it('jitters retry delays within ±25% and caps them at one hour', () => {
    expect(retryDelayMs(1, () => 0)).toBe(45_000);
    expect(retryDelayMs(1, () => 0.999999)).toBeLessThanOrEqual(75_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(4 * MIN);
    expect(retryDelayMs(7, () => 0.999999)).toBe(60 * MIN);
    expect(retryDelayMs(20, () => 0)).toBe(45 * MIN);
  });

  it('makes a permanently bad recipient dead at once', async () => {
    const id = await queue({ channel: 'whatsapp', recipient: 'bukan nomor' });
    expect(await deliverDue(testEnv, T0)).toMatchObject({ dead: 1 });
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'whatsapp: recipient is not a valid phone number' });
  });

  it('stores only the class name of an unexpected error', async () => {
    const id = await queue();
    const { senders } = recordingSenders({ fail: (n) => new TypeError(`cannot handle ${n.body}`) });
    await deliverDue(testEnv, T0, { senders, random: () => 0.5 });
    expect(await row(id)).toMatchObject({ status: 'pending', last_error: 'unexpected TypeError', next_attempt_at: T0 + MIN });
    expect(safeError(new DeliveryError('x'.repeat(400)), [])).toHaveLength(300);
  });

  it('sends once when two deliveries overlap', async () => {
    const ids = [await queue(), await queue({ channel: 'whatsapp', recipient: '081234567890' }), await queue()];
    const { senders, sent } = recordingSenders({ delayMs: 20 });
    const [a, b] = await Promise.all([deliverDue(testEnv, T0, { senders }), deliverDue(testEnv, T0, { senders })]);
    expect(sent.map((n) => n.id).sort()).toEqual([...ids].sort());
    expect(a.sent + b.sent).toBe(3);
    expect(a.skipped + b.skipped).toBe(3);
    for (const id of ids) expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('lets only one run claim an attempt, and a dead run’s claim lapses after the lease', async () => {
    const id = await queue();
    expect(await claim(testEnv.DB, id, T0, T0 + LEASE_MS)).toBe(true);
    expect(await claim(testEnv.DB, id, T0, T0 + LEASE_MS)).toBe(false);
    // The first run died mid-send: nothing is due during the lease, the row is due again after it.
    const { senders, sent } = recordingSenders();
    expect(await deliverDue(testEnv, T0 + LEASE_MS - 1, { senders })).toMatchObject({ due: 0 });
    expect(await deliverDue(testEnv, T0 + LEASE_MS, { senders })).toMatchObject({ due: 1, sent: 1 });
    expect(sent).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('goes out right after a write commits, without waiting for the cron', async () => {
    const id = await queue({}, Date.now() - 1000);
    const ctx = createExecutionContext();
    // Any write answered below 500 triggers the after-write work (seal the audit log, send what is due).
    const res = await createApp().fetch(
      new Request('http://localhost/api/auth/logout', { method: 'POST', headers: { origin: 'http://localhost:8787', 'content-type': 'application/json' } }),
      { ...testEnv, DELIVERY: undefined },
      ctx,
    );
    expect(res.status).toBeLessThan(500);
    await waitOnExecutionContext(ctx);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('runs from the cron trigger (scheduled handler)', async () => {
    const id = await queue({ channel: 'whatsapp', recipient: '+62 812 3456 7890' }, Date.now() - 1000);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await row(id)).toMatchObject({ status: 'sent', delivered_via: 'dev_mailbox', attempts: 1 });
  });
});

describe('email adapter', () => {
  const n = (over: Partial<NotificationRow> = {}): NotificationRow => ({
    id: '0e5f6f0a-1111-4222-8333-444455556666',
    channel: 'email',
    recipient: 'warga@contoh.example',
    subject: 'Permohonan KTP-el diterima',
    body: 'Halo',
    case_id: null,
    status: 'pending',
    attempts: 0,
    next_attempt_at: T0,
    last_error: null,
    created_at: T0,
    sent_at: null,
    delivered_via: null,
    provider_ref: null,
    ...over,
  });

  it('sends a queued reply with its R2 file as a message postal-mime reads back with the attachment', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n% jawaban aduan\n' + 'x'.repeat(5000));
    await testEnv.FILES.put('aduan/63.09/balasan/jawaban.pdf', pdf, { httpMetadata: { contentType: 'application/pdf' } });
    await testEnv.DB.batch([
      notificationStatement(testEnv.DB, {
        channel: 'email', recipient: 'warga@contoh.example', subject: 'Jawaban aduan ADU-6309-2026-000007', body: 'Terlampir jawaban resmi kami.',
        attachments: [{ key: 'aduan/63.09/balasan/jawaban.pdf', filename: 'jawaban-aduan.pdf', contentType: 'application/pdf' }],
      }, T0),
    ]);
    const row = await testEnv.DB.prepare("SELECT * FROM notifications WHERE subject LIKE 'Jawaban aduan%'").first<NotificationRow>();
    const mailEnv = { MAIL_FROM: 'loket@disdukcapil.example', FILES: testEnv.FILES };
    const mail = await PostalMime.parse((await composeEmail(mailEnv, row!)).raw);
    expect(mail.subject).toBe('Jawaban aduan ADU-6309-2026-000007');
    expect(mail.messageId).toBe(`<${row!.id}@disdukcapil.example>`);
    expect(mail.text?.trim()).toBe('Terlampir jawaban resmi kami.');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'jawaban-aduan.pdf', mimeType: 'application/pdf' });
    expect(new Uint8Array(mail.attachments[0]!.content as ArrayBuffer)).toEqual(pdf);
    // The local send_email binding (which parses the MIME itself) accepts the multipart message.
    expect((await emailSender(testEnv)(row!)).via).toBe('email');
    // A file gone from storage fails the attempt (retried), never a mail without it.
    await testEnv.FILES.delete('aduan/63.09/balasan/jawaban.pdf');
    await expect(composeEmail(mailEnv, row!)).rejects.toMatchObject({ permanent: false });
  });

  it('fails clearly without the send_email binding', async () => {
    await expect(emailSender({ EMAIL: undefined, MAIL_FROM: 'loket@disdukcapil.example' })(n())).rejects.toThrow(
      'email: send_email binding EMAIL is not configured',
    );
  });

  it('is accepted by the local send_email binding (which parses the MIME and checks From and Message-ID)', async () => {
    const receipt = await emailSender(testEnv)(n({ subject: 'Aktivasi IKD — kode Anda ✓', body: 'Buka https://loket.example/a?t=1\nPIN: 123456' }));
    expect(receipt.via).toBe('email');
    expect(receipt.ref).toBeTruthy();
  });

  it('refuses a malformed address as permanent, and reports binding errors safely', async () => {
    await expect(emailSender(testEnv)(n({ recipient: 'a@b.example\r\nBcc: x@y.example' }))).rejects.toMatchObject({ permanent: true });
    const refusing = { send: async () => { throw new Error('email to warga@contoh.example not allowed'); } } as unknown as SendEmail;
    await expect(emailSender({ EMAIL: refusing, MAIL_FROM: 'loket@disdukcapil.example' })(n())).rejects.toThrow(
      'email: send_email refused: email to warga@contoh.example not allowed',
    );
  });
});

describe('MIME (mimetext), read back with postal-mime', () => {
  const date = new Date(Date.UTC(2026, 6, 7, 3, 4, 5));
  const build = (subject: string, text: string, attachments?: MailAttachment[]) =>
    buildMimeMessage({
      from: 'loket@disdukcapil.example',
      fromName: 'Loket Disdukcapil',
      to: 'warga@contoh.example',
      subject,
      text,
      date,
      messageId: '<abc-123@disdukcapil.example>',
      attachments,
    });
  const head = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));

  it('writes the RFC 5322 headers with CRLF line ends and only 7-bit characters', async () => {
    const raw = build('Permohonan diterima', 'Halo');
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    expect(head(raw)).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(head(raw)).toMatch(/^MIME-Version: 1\.0$/m);
    const mail = await PostalMime.parse(raw);
    expect(mail.from).toMatchObject({ name: 'Loket Disdukcapil', address: 'loket@disdukcapil.example' });
    expect(mail.to?.[0]?.address).toBe('warga@contoh.example');
    expect(mail.subject).toBe('Permohonan diterima');
    expect(mail.messageId).toBe('<abc-123@disdukcapil.example>');
    expect(new Date(mail.date!).getTime()).toBe(date.getTime());
    expect(mail.attachments).toEqual([]);
  });

  it('carries a non-ASCII subject and body exactly, the body as quoted-printable lines of at most 76', async () => {
    const subject = 'Kartu siap diambil — “Dukcapil” ✓ 🎉 '.repeat(3).trim();
    const text = `Yth. Bapak/Ibu,\nPermohonan Anda = diterima ✓.\nTautan: https://loket.example/aktivasi?token=${'a'.repeat(120)}\nspasi di akhir   \n.`;
    const raw = build(subject, text);
    for (const line of raw.slice(raw.indexOf('\r\n\r\n') + 4).split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/[ \t]$/);
    }
    // RFC 5322's hard limit; mimetext writes the subject as one encoded word.
    for (const line of head(raw).split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    const mail = await PostalMime.parse(raw);
    expect(mail.subject).toBe(subject);
    expect(mail.text!.replace(/\r\n/g, '\n').replace(/\n$/, '')).toBe(text);
    expect(quotedPrintable('a=b')).toBe('a=3Db');
  });

  it('takes line breaks out of the subject (no header injection)', async () => {
    const raw = build('Pemberitahuan\r\nBcc: korban@contoh.example ' + 'panjang '.repeat(15), 'x');
    expect(head(raw)).not.toMatch(/^Bcc:/im);
    const mail = await PostalMime.parse(raw);
    expect(mail.bcc ?? []).toEqual([]);
    expect(mail.subject).toContain('Pemberitahuan Bcc: korban@contoh.example panjang');
  });

  it('attaches files that parse back byte for byte, with names that cannot break the header', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n' + 'isi laporan bulanan '.repeat(200));
    const png = Uint8Array.from({ length: 3000 }, (_, i) => (i * 37) % 256);
    const raw = build('Balasan aduan ADU-6309-2026-000001', 'Terlampir jawaban kami.', [
      { filename: 'jawaban aduan.pdf', contentType: 'application/pdf', bytes: pdf },
      { filename: 'foto"\r\nX-Evil: 1.png', contentType: 'image/png', bytes: png },
    ]);
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    expect(raw).not.toMatch(/^X-Evil/im);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    const mail = await PostalMime.parse(raw);
    expect(mail.text?.trim()).toBe('Terlampir jawaban kami.');
    expect(mail.attachments.map((a) => [a.filename, a.mimeType])).toEqual([['jawaban_aduan.pdf', 'application/pdf'], ['foto_X-Evil_1.png', 'image/png']]);
    expect(new Uint8Array(mail.attachments[0]!.content as ArrayBuffer)).toEqual(pdf);
    expect(new Uint8Array(mail.attachments[1]!.content as ArrayBuffer)).toEqual(png);
  });

  it('refuses addresses that could break the header', () => {
    expect(() => buildMimeMessage({ from: 'a@b.example', to: 'x@y.example>\r\nBcc: z@z.example', subject: 's', text: 't', date, messageId: '<a@b>' })).toThrow();
  });
});

describe('WhatsApp adapter', () => {
  it.each([
    ['081234567890', '6281234567890'],
    ['0812-3456-7890', '6281234567890'],
    ['0812 3456 789', '628123456789'],
    ['+62 812 3456 7890', '6281234567890'],
    ['62812345678901', '62812345678901'],
    ['0062 81234567890', '6281234567890'],
    ['81234567890', '6281234567890'],
    ['(0812) 3456.7890', '6281234567890'],
    ['+60 12-345 6789', '60123456789'],
  ])('normalises %s to %s', (raw, e164) => {
    expect(toWhatsAppNumber(raw)).toBe(e164);
  });
  it.each(['', 'abc', '0812', '021-1234567', '+62 21 1234 567', '08123456789012345', 'warga@contoh.example'])('rejects %s', (raw) => {
    expect(toWhatsAppNumber(raw)).toBeNull();
  });

  const n = { id: 'n1', channel: 'whatsapp', recipient: '0812-3456-7890', subject: 'Kartu siap', body: 'Silakan ambil.' } as NotificationRow;
  const prod = { ENVIRONMENT: 'production' as const, WA_TOKEN: 'tok-123', WA_PHONE_NUMBER_ID: '1098765' };

  it('posts a text message to the Cloud API with the bearer token', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const http: HttpFetch = async (url, init) => {
      calls.push({ url, init });
      return Response.json({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.ABC' }] });
    };
    expect(await whatsappSender(prod, http)(n)).toEqual({ via: 'whatsapp_cloud', ref: 'wamid.ABC' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://graph.facebook.com/v21.0/1098765/messages');
    expect(calls[0]!.init.method).toBe('POST');
    expect(new Headers(calls[0]!.init.headers).get('authorization')).toBe('Bearer tok-123');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'text',
      text: { preview_url: true, body: '*Kartu siap*\n\nSilakan ambil.' },
    });
  });

  it('turns an API error into a retryable error without the token', async () => {
    const http: HttpFetch = async () =>
      Response.json({ error: { message: 'Invalid OAuth access token', code: 190, type: 'OAuthException' } }, { status: 401 });
    const err = await whatsappSender(prod, http)(n).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(false);
    expect((err as DeliveryError).message).toBe('whatsapp: HTTP 401 code 190: Invalid OAuth access token');
    expect((err as DeliveryError).message).not.toContain('tok-123');
  });

  it('fails in production without a token, and goes to the dev mailbox elsewhere', async () => {
    const never: HttpFetch = async () => {
      throw new Error('no network in tests');
    };
    await expect(whatsappSender({ ENVIRONMENT: 'production' }, never)(n)).rejects.toThrow('WA_TOKEN is not configured in production');
    expect(await whatsappSender({ ENVIRONMENT: 'development' }, never)(n)).toEqual({ via: 'dev_mailbox', ref: null });
  });

  it('ends dead in production without a token, never marked sent', async () => {
    const id = await queue({ channel: 'whatsapp', recipient: '081234567890' });
    const prodEnv: Env = { ...testEnv, ENVIRONMENT: 'production', WA_TOKEN: undefined };
    let t = T0;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await deliverDue(prodEnv, t);
      t = (await row(id)).next_attempt_at;
    }
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, sent_at: null });
  });
});

describe('dev mailbox', () => {
  const app = createApp();

  it('is hidden outside development and test', async () => {
    const prodEnv = { ...testEnv, ENVIRONMENT: 'production' };
    for (const [path, method] of [['/api/dev/mailbox', 'GET'], ['/dev/mailbox', 'GET'], ['/api/dev/deliver', 'POST']] as const) {
      const res = await app.request(path, { method, headers: { origin: 'http://localhost' } }, prodEnv);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_available' });
    }
    // Only the dev paths: the rest of the app is untouched.
    expect((await app.request('/api/health', {}, prodEnv)).status).toBe(200);
  });

  it('lists every notification newest first as JSON', async () => {
    await queue({ subject: 'lama' }, T0);
    await queue({ channel: 'whatsapp', recipient: '081234567890', subject: 'baru', caseId: 'case-1' }, T0 + 1000);
    const res = await app.request('/api/dev/mailbox', {}, testEnv);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: Record<string, unknown>[] };
    expect(messages.map((m) => m.subject)).toEqual(['baru', 'lama']);
    expect(messages[0]).toMatchObject({
      channel: 'whatsapp',
      recipient: '081234567890',
      body: 'Isi pesan rahasia 123',
      status: 'pending',
      attempts: 0,
      caseId: 'case-1',
      createdAt: T0 + 1000,
      sentAt: null,
    });
  });

  it('runs delivery on POST /api/dev/deliver', async () => {
    const id = await queue({ channel: 'whatsapp', recipient: '081234567890' }, Date.now() - 1000);
    const res = await app.request('/api/dev/deliver', { method: 'POST', headers: { origin: 'http://localhost' } }, testEnv);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ due: 1, sent: 1 });
    expect(await row(id)).toMatchObject({ status: 'sent', delivered_via: 'dev_mailbox' });
  });

  it('renders an escaped, auto-refreshing HTML page with clickable links', async () => {
    await queue({
      subject: '<script>alert(1)</script>',
      body: 'Klik https://loket.example/aktivasi?t=a&b=c. lalu <img src=x onerror=alert(2)> "kutip"',
    });
    const res = await app.request('/dev/mailbox', {}, testEnv);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('<a href="https://loket.example/aktivasi?t=a&#38;b=c" rel="noreferrer">https://loket.example/aktivasi?t=a&#38;b=c</a>. lalu');
    expect(html).toContain('<meta http-equiv="refresh"');
    expect(html).toContain('name="viewport"');
  });

  it('shows the mailbox through the worker itself (SELF path)', async () => {
    const { SELF } = await import('cloudflare:test');
    const res = await SELF.fetch('http://localhost/dev/mailbox');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Kotak surat dev');
  });
});
