/** WhatsApp adapter: the Cloud API in production; outside production without a token, the dev mailbox keeps the message. */
import type { Env } from '../env';
import { DeliveryError, type Sender } from './adapter';

export const GRAPH_API = 'https://graph.facebook.com/v21.0';
const TIMEOUT_MS = 10_000;

/** The HTTP client the adapter uses; tests pass a stub so nothing leaves the machine. */
export type HttpFetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A phone number as the Cloud API wants it: E.164 digits without "+". Indonesian habits are accepted:
 * `0812-3456-7890`, `+62 812…`, `0062812…`, `812…` all become `62812…`. Null when it cannot be a number.
 * @example toWhatsAppNumber('0812 3456 7890') // '6281234567890'
 */
export function toWhatsAppNumber(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) {
    // already international
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else if (digits.startsWith('0')) {
    digits = `62${digits.slice(1)}`;
  } else if (digits.startsWith('8')) {
    digits = `62${digits}`;
  }
  if (!/^[1-9]\d{7,14}$/.test(digits)) return null;
  // Indonesian mobile numbers are 08 + 8–11 digits; anything else under +62 is a typo or a landline.
  if (digits.startsWith('62') && !/^628\d{8,11}$/.test(digits)) return null;
  return digits;
}

/**
 * The WhatsApp sender for this environment:
 * - WA_TOKEN set: the Cloud API (needs WA_PHONE_NUMBER_ID);
 * - no token, not production: recorded for the dev mailbox (DESIGN.md "What runs where, locally");
 * - no token in production: fails every attempt, so the row ends dead with a visible reason.
 */
export function whatsappSender(
  env: Pick<Env, 'ENVIRONMENT' | 'WA_TOKEN' | 'WA_PHONE_NUMBER_ID'>,
  http: HttpFetch = (input, init) => fetch(input, init),
): Sender {
  return async (n) => {
    const to = toWhatsAppNumber(n.recipient);
    if (!to) throw new DeliveryError('whatsapp: recipient is not a valid phone number', true);
    if (!env.WA_TOKEN) {
      if (env.ENVIRONMENT === 'production') throw new DeliveryError('whatsapp: WA_TOKEN is not configured in production');
      return { via: 'dev_mailbox', ref: null };
    }
    if (!env.WA_PHONE_NUMBER_ID) throw new DeliveryError('whatsapp: WA_PHONE_NUMBER_ID is not configured');
    const url = `${GRAPH_API}/${encodeURIComponent(env.WA_PHONE_NUMBER_ID)}/messages`;
    let res: Response;
    try {
      res = await http(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.WA_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to,
          type: 'text',
          text: { preview_url: true, body: whatsappText(n.subject, n.body) },
        }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new DeliveryError(`whatsapp: request failed (${err instanceof Error ? err.name : 'error'})`);
    }
    const payload = (await res.json().catch(() => null)) as GraphAnswer | null;
    if (!res.ok) {
      // Graph errors carry a numeric code and a short reason; keep those, nothing from our request.
      const e = payload?.error;
      const detail = e ? ` code ${e.code ?? '?'}${e.error_subcode ? `/${e.error_subcode}` : ''}: ${String(e.message ?? '').slice(0, 160)}` : '';
      throw new DeliveryError(`whatsapp: HTTP ${res.status}${detail}`);
    }
    const id = payload?.messages?.[0]?.id;
    if (!id) throw new DeliveryError('whatsapp: answer without a message id');
    return { via: 'whatsapp_cloud', ref: id };
  };
}

/** WhatsApp has no subject line: the subject leads in bold, then the body (the Cloud API limit is 4096 characters). */
export function whatsappText(subject: string, body: string): string {
  const text = subject.trim() ? `*${subject.trim()}*\n\n${body}` : body;
  const chars = Array.from(text); // whole code points, so an emoji is never cut in half
  return chars.length > 4096 ? `${chars.slice(0, 4095).join('')}…` : text;
}

interface GraphAnswer {
  messages?: { id?: string }[];
  error?: { message?: string; code?: number; error_subcode?: number };
}
