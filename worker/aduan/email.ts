/**
 * Inbound email to complaints: the Worker's `email()` handler hands the raw message here; postal-mime parses it,
 * attachments go to R2 (FILES) under the complaint's key prefix, and the sender gets the ticket and tracking link
 * back by email (the intake message of worker/aduan/hooks.ts).
 */
import PostalMime from 'postal-mime';
import { newTrackingCode } from '../../schema/aduan/tracking';
import { uuid7 } from '../../schema/ids';
import { DESCRIPTION_MAX } from '../../schema/workflows/aduan';
import { complaintBySource } from '../db/aduan';
import { registryFor } from '../db/registry';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { baseContext, channelSession, fileComplaint } from './service';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

export type EmailOutcome =
  | { status: 'filed'; ticketNo: string; caseId: string; attachments: number }
  | { status: 'ignored'; reason: 'duplicate' | 'auto_reply' | 'no_sender' };

/** A file name safe inside an R2 key and a Content-Disposition header. */
export function safeFileName(name: string | null | undefined, index: number): string {
  const cleaned = (name ?? '').normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 100);
  return cleaned || `lampiran-${index + 1}`;
}

function textOf(html: string): string {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/**
 * Files one inbound message as a complaint of the office in ADUAN_OFFICE.
 * @example await receiveComplaintEmail(env, message.raw, { from: message.from })
 */
export async function receiveComplaintEmail(env: Env, raw: ReadableStream | ArrayBuffer | string, envelope: { from: string }, now = Date.now()): Promise<EmailOutcome> {
  const mail = await PostalMime.parse(raw);
  // Never answer an automatic answer: two auto-responders would write to each other forever.
  const auto = mail.headers.find((h) => h.key === 'auto-submitted')?.value;
  if (auto && auto.toLowerCase() !== 'no') return { status: 'ignored', reason: 'auto_reply' };
  const from = (mail.from?.address ?? envelope.from ?? '').trim();
  if (!from) return { status: 'ignored', reason: 'no_sender' };
  const office = env.ADUAN_OFFICE ?? '';
  const sourceRef = (mail.messageId ?? `${from}:${mail.date ?? ''}:${mail.subject ?? ''}`).slice(0, 200);
  if (await complaintBySource(env.DB, office, 'email', sourceRef)) return { status: 'ignored', reason: 'duplicate' };

  const caseId = uuid7(now);
  const stored: { key: string; name: string; type: string; size: number }[] = [];
  const notStored: string[] = [];
  for (const [i, a] of mail.attachments.entries()) {
    const bytes = typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content);
    const name = safeFileName(a.filename, i);
    if (!env.FILES || i >= MAX_ATTACHMENTS || bytes.byteLength > MAX_ATTACHMENT_BYTES) {
      notStored.push(name);
      continue;
    }
    const key = `aduan/${office}/${caseId}/${i + 1}-${name}`;
    const type = (a.mimeType || 'application/octet-stream').slice(0, 100);
    await env.FILES.put(key, bytes, { httpMetadata: { contentType: type } });
    stored.push({ key, name, type, size: bytes.byteLength });
  }

  const body = (mail.text?.trim() || (mail.html ? textOf(mail.html) : '')).trim();
  const subject = (mail.subject ?? '').trim();
  let description = body.length >= 10 ? body : `${subject}\n${body}`.trim();
  if (notStored.length) description += `\n\n[Lampiran tidak disimpan (terlalu besar atau terlalu banyak): ${notStored.join(', ')}]`;
  if (description.length < 10) description = `${description} (email tanpa isi)`.trim();
  const name = mail.from?.name?.trim();
  try {
    const filed = await fileComplaint(baseContext(env.DB, registryFor(env), null, now), channelSession(office, 'email'), {
      channel: 'email', kind: 'pengaduan', subjectService: 'lainnya', privacy: 'biasa',
      description: description.slice(0, DESCRIPTION_MAX), trackingCode: newTrackingCode(), sourceRef,
      email: from,
      ...(subject.length >= 3 ? { title: subject.slice(0, 200) } : {}),
      ...(name && name.length >= 2 ? { name: name.slice(0, 120) } : {}),
      ...(stored.length ? { attachments: stored } : {}),
    }, { caseId });
    return { status: 'filed', ticketNo: filed.ticketNo, caseId: filed.caseId, attachments: stored.length };
  } catch (err) {
    // The complaint was not filed: its files must not stay behind.
    if (env.FILES && stored.length) await env.FILES.delete(stored.map((s) => s.key));
    if (err instanceof ApiError && err.code === 'aduan_duplicate_source') return { status: 'ignored', reason: 'duplicate' };
    throw err;
  }
}
