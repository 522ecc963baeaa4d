/** Email adapter: sends an outbox row through the `send_email` binding as a hand-built MIME message. */
import { EmailMessage } from 'cloudflare:email';
import type { Env } from '../env';
import { DeliveryError, type Sender } from './adapter';
import { buildMimeMessage, isMailAddress } from './mime';

/** Shown as the sender's name in the resident's mail client. */
export const MAIL_FROM_NAME = 'Loket Disdukcapil';

/**
 * The email sender for this environment. Without the binding it fails every attempt (retries, then dead):
 * a missing binding is a configuration error to see, not a message to pretend was sent.
 */
export function emailSender(env: Pick<Env, 'EMAIL' | 'MAIL_FROM'>): Sender {
  return async (n) => {
    const binding = env.EMAIL;
    if (!binding) throw new DeliveryError('email: send_email binding EMAIL is not configured');
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
    });
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
