/** Dev-only routes: the mailbox of every notification (JSON and an HTML page) and a button to run delivery now. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Next } from 'hono';
import { newApi, ok, problems } from '../api';
import { listNotifications, type NotificationRow } from '../db/notifications';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { deliverDue } from '../notify/deliver';

export const devRoutes = newApi();

// Scoped to the dev paths only: a '*' middleware here would apply to every route of the app this is mounted in.
async function devOnly(c: Context<AppEnv>, next: Next) {
  if (c.env.ENVIRONMENT !== 'development' && c.env.ENVIRONMENT !== 'test') throw new ApiError('not_available');
  await next();
}
devRoutes.use('/api/dev/*', devOnly);
devRoutes.use('/dev/*', devOnly);

const MailboxEntry = z
  .object({
    id: z.string(),
    channel: z.enum(['email', 'whatsapp']),
    recipient: z.string(),
    subject: z.string(),
    body: z.string(),
    status: z.enum(['pending', 'sent', 'dead']),
    attempts: z.number().int(),
    deliveredVia: z.enum(['email', 'whatsapp_cloud', 'dev_mailbox']).nullable(),
    lastError: z.string().nullable(),
    caseId: z.string().nullable(),
    createdAt: z.number().int().openapi({ description: 'epoch ms' }),
    nextAttemptAt: z.number().int(),
    sentAt: z.number().int().nullable(),
  })
  .openapi('MailboxEntry');

function entry(r: NotificationRow): z.infer<typeof MailboxEntry> {
  return {
    id: r.id,
    channel: r.channel,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    deliveredVia: r.delivered_via,
    lastError: r.last_error,
    caseId: r.case_id,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
  };
}

devRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/dev/mailbox',
    tags: ['dev'],
    summary: 'Every notification, newest first (development and test only)',
    responses: { 200: ok(z.object({ messages: z.array(MailboxEntry) })), ...problems(404) },
  }),
  async (c) => c.json({ messages: (await listNotifications(c.env.DB)).map(entry) }, 200),
);

const DeliveryReport = z
  .object({ due: z.number(), skipped: z.number(), sent: z.number(), retrying: z.number(), dead: z.number() })
  .openapi('DeliveryReport');

devRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/dev/deliver',
    tags: ['dev'],
    summary: 'Run notification delivery now, as the cron would (development and test only)',
    responses: { 200: ok(DeliveryReport), ...problems(404) },
  }),
  async (c) => c.json(await deliverDue(c.env, Date.now()), 200),
);

devRoutes.get('/dev/mailbox', async (c) => {
  const rows = await listNotifications(c.env.DB);
  c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
  c.header('cache-control', 'no-store');
  return c.html(mailboxPage(rows));
});

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// http(s) URLs up to whitespace or a character that never ends a URL in prose; trailing punctuation is trimmed below.
const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** Escaped text with its http(s) links made clickable (each piece escaped on its own, so no markup can sneak in). */
export function linkify(text: string): string {
  let html = '';
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    let url = m[0];
    const trailing = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? '';
    url = url.slice(0, url.length - trailing.length);
    const start = m.index;
    html += escapeHtml(text.slice(last, start));
    html += `<a href="${escapeHtml(url)}" rel="noreferrer">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

const STATUS_LABEL: Record<NotificationRow['status'], string> = {
  pending: 'menunggu / pending',
  sent: 'terkirim / sent',
  dead: 'gagal / dead',
};

function time(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

function mailboxPage(rows: NotificationRow[]): string {
  const items = rows
    .map((r) => {
      const channel = r.channel === 'email' ? 'Email' : 'WhatsApp';
      const via = r.delivered_via === 'dev_mailbox' ? ' · hanya di kotak surat dev / dev mailbox only' : '';
      return `<article class="${r.status}">
<header><strong>${escapeHtml(channel)}</strong> → ${escapeHtml(r.recipient)}<br>
<small>${escapeHtml(STATUS_LABEL[r.status])}${escapeHtml(via)} · percobaan / attempts ${r.attempts} · dibuat / created ${escapeHtml(time(r.created_at))} · terkirim / sent ${escapeHtml(time(r.sent_at))}${r.case_id ? ` · kasus / case ${escapeHtml(r.case_id)}` : ''}</small></header>
<h2>${escapeHtml(r.subject)}</h2>
<pre>${linkify(r.body)}</pre>${r.last_error ? `\n<p class="error">${escapeHtml(r.last_error)}</p>` : ''}
</article>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>Kotak surat dev — Dev mailbox</title>
<style>
body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1a1a1a;background:#f6f6f4}
article{background:#fff;border-left:4px solid #888;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}
article.sent{border-color:#2e7d32}article.pending{border-color:#f9a825}article.dead{border-color:#c62828}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin:.5rem 0}small{color:#555}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;margin:0}.error{color:#c62828;font-size:.9rem}
a{overflow-wrap:anywhere}
</style>
</head>
<body>
<h1>Kotak surat dev <small>/ Dev mailbox</small></h1>
<p><small>${rows.length} pesan / messages · diperbarui tiap 5 detik / refreshes every 5 s</small></p>
${items || '<p>Belum ada pesan. / No messages yet.</p>'}
</body>
</html>
`;
}
