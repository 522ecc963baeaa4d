/**
 * WhatsApp Cloud API webhook for complaints: the GET verification handshake, the X-Hub-Signature-256 check of
 * each POST's raw body (HMAC-SHA256 with the app secret, compared in constant time by WebCrypto's verify), and
 * text messages turned into complaints whose reply (ticket + tracking link) goes back by WhatsApp.
 */
import { z } from 'zod';
import { newTrackingCode } from '../../schema/aduan/tracking';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { notificationStatement } from '../notify/outbox';
import { registryFor } from '../db/registry';
import { complaintBySource } from '../db/aduan';
import { baseContext, channelSession, fileComplaint } from './service';

/** Messages older than this are not filed: a replayed old body is answered 200 and does nothing. */
export const MAX_MESSAGE_AGE_MS = 24 * 3_600_000;

const enc = new TextEncoder();

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Checks `sha256=<hex>` against HMAC-SHA256(rawBody, secret). WebCrypto's verify compares in constant time;
 * a missing, malformed or wrong signature throws 401 webhook_signature_invalid.
 */
export async function verifySignature(secret: string, rawBody: ArrayBuffer, header: string | undefined): Promise<void> {
  const sig = header?.startsWith('sha256=') ? hexToBytes(header.slice(7)) : null;
  if (!sig) throw new ApiError('webhook_signature_invalid', 'X-Hub-Signature-256 tidak ada atau rusak. / X-Hub-Signature-256 missing or malformed.');
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  if (!(await crypto.subtle.verify('HMAC', key, sig, rawBody))) {
    throw new ApiError('webhook_signature_invalid', 'Tanda tangan tidak cocok. / Signature does not match.');
  }
}

/** Constant-time equality of two strings (the handshake token). */
export function sameSecret(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const Message = z.object({
  from: z.string(),
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: z.object({ id: z.string(), caption: z.string().optional() }).optional(),
  document: z.object({ id: z.string(), caption: z.string().optional(), filename: z.string().optional() }).optional(),
});
const Payload = z.object({
  object: z.string(),
  entry: z.array(z.object({
    changes: z.array(z.object({
      value: z.object({
        contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() })).optional(),
        messages: z.array(Message).optional(),
      }).passthrough(),
    })),
  })),
});

export interface WebhookReport {
  filed: string[];
  skipped: number;
}

/** Files each new text message of a verified POST as a complaint; repeats (same message id) and stale ones do nothing. */
export async function handleWebhook(env: Env, rawBody: ArrayBuffer, now = Date.now()): Promise<WebhookReport> {
  let payload: z.infer<typeof Payload>;
  try {
    payload = Payload.parse(JSON.parse(new TextDecoder().decode(rawBody)));
  } catch {
    throw new ApiError('validation_failed', 'Bukan payload webhook WhatsApp. / Not a WhatsApp webhook payload.');
  }
  const office = env.ADUAN_OFFICE ?? '';
  const report: WebhookReport = { filed: [], skipped: 0 };
  for (const change of payload.entry.flatMap((e) => e.changes)) {
    const names = new Map((change.value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
    for (const m of change.value.messages ?? []) {
      const sentAt = Number(m.timestamp) * 1000;
      const text = (m.text?.body ?? m.image?.caption ?? m.document?.caption ?? '').trim();
      if (!Number.isFinite(sentAt) || now - sentAt > MAX_MESSAGE_AGE_MS || (await complaintBySource(env.DB, office, 'whatsapp', m.id))) {
        report.skipped++;
        continue;
      }
      const phone = /^628\d{7,12}$/.test(m.from) ? m.from : undefined;
      if (text.length < 10) {
        // Too short to be a complaint ("halo"): say what is needed instead of filing an empty ticket.
        if (phone) {
          await notificationStatement(env.DB, {
            channel: 'whatsapp', recipient: phone, subject: 'Aduan Disdukcapil',
            body: 'Terima kasih. Tuliskan aduan Anda dalam satu pesan (minimal 10 karakter): layanan apa, kapan, dan apa masalahnya.',
          }, now).run();
        }
        report.skipped++;
        continue;
      }
      const attachmentNote = m.type !== 'text' ? `\n\n[Lampiran WhatsApp (${m.type}) id ${m.image?.id ?? m.document?.id ?? '-'}]` : '';
      const session = channelSession(office, 'whatsapp');
      try {
        const filed = await fileComplaint(baseContext(env.DB, registryFor(env), null, now), session, {
          channel: 'whatsapp', kind: 'pengaduan', subjectService: 'lainnya', privacy: 'biasa',
          description: (text + attachmentNote).slice(0, 10_000), trackingCode: newTrackingCode(), sourceRef: m.id,
          ...(phone ? { phone } : {}),
          ...(names.get(m.from) && names.get(m.from)!.trim().length >= 2 ? { name: names.get(m.from)!.trim().slice(0, 120) } : {}),
        });
        report.filed.push(filed.ticketNo);
      } catch (err) {
        // A racing delivery of the same message lost to the first: nothing to do.
        if (err instanceof ApiError && err.code === 'aduan_duplicate_source') report.skipped++;
        else throw err;
      }
    }
  }
  return report;
}
