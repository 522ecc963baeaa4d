/** Email adapter: sends an outbox row through the `send_email` binding as a MIME message built by mimetext (mime.ts). */
import { EmailMessage } from 'cloudflare:email';
import type { Env } from '../env';
import { DeliveryError, type Sender } from './adapter';
import type { NotificationAttachment, NotificationRow } from '../db/notifications';
import { buildMimeMessage, isMailAddress, type MailAttachment } from './mime';

/** Shown as the sender's name in the resident's mail client. */
export const MAIL_FROM_NAME = 'Loket Disdukcapil';

/**
 * The email sender for this environment. Without the binding it fails every attempt (retries, then dead):
 * a missing binding is a configuration error to see, not a message to pretend was sent.
 */
export function emailSender(env: MailEnv): Sender {
  return async (n) => {
    const binding = env.EMAIL;
    if (!binding) throw new DeliveryError('email: send_email binding EMAIL is not configured');
    const { raw, messageId } = await composeEmail(env, n);
    let result: EmailSendResult | undefined;
    try {
      result = await binding.send(new EmailMessage(env.MAIL_FROM, n.recipient, raw));
    } catch (err) {
      // The binding's messages name addresses and reasons ("email to … not allowed"), not the body.
      throw new DeliveryError(`email: send_email refused: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { via: 'email', ref: result?.messageId ?? messageId };
  };
}

type MailEnv = Pick<Env, 'EMAIL' | 'MAIL_FROM'> & { FILES?: R2Bucket };

/** The raw message of one outbox row, its R2 files attached; what the binding is handed. */
export async function composeEmail(env: Omit<MailEnv, 'EMAIL'>, n: NotificationRow): Promise<{ raw: string; messageId: string }> {
  if (!isMailAddress(env.MAIL_FROM ?? '')) throw new DeliveryError('email: MAIL_FROM is not a plain email address');
  if (!isMailAddress(n.recipient)) throw new DeliveryError('email: recipient is not a valid email address', true);
  // Stable per notification, so a retry after an unclear failure carries the same Message-ID and can be deduplicated.
  const messageId = `<${n.id}@${env.MAIL_FROM.slice(env.MAIL_FROM.lastIndexOf('@') + 1)}>`;
  const raw = buildMimeMessage({
    from: env.MAIL_FROM,
    fromName: MAIL_FROM_NAME,
    to: n.recipient,
    subject: n.subject,
    text: n.body,
    date: new Date(),
    messageId,
    attachments: await attachmentsOf(env.FILES, n),
  });
  return { raw, messageId };
}

/** The row's files, read from R2 now; one that is gone fails the attempt (it may be a replica lag: retried). */
async function attachmentsOf(files: R2Bucket | undefined, n: NotificationRow): Promise<MailAttachment[]> {
  if (!n.attachments_json) return [];
  const wanted = JSON.parse(n.attachments_json) as NotificationAttachment[];
  if (wanted.length && !files) throw new DeliveryError('email: the FILES bucket holding the attachments is not configured');
  const out: MailAttachment[] = [];
  for (const a of wanted) {
    const obj = await files!.get(a.key);
    if (!obj) throw new DeliveryError('email: an attachment is missing from storage');
    out.push({ filename: a.filename, contentType: a.contentType, bytes: new Uint8Array(await obj.arrayBuffer()) });
  }
  return out;
}
