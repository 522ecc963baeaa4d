/** The shape every delivery adapter shares: a sender per channel and the one error type they throw. */
import type { DeliveredVia, NotificationRow } from '../db/notifications';

/** How a message left, recorded on the row when it is marked sent. */
export interface DeliveryReceipt {
  via: DeliveredVia;
  /** The provider's message id (email Message-ID, WhatsApp `wamid…`), for tracing with the provider. */
  ref: string | null;
}

/** Sends one outbox row or throws; resolving means the provider accepted it. */
export type Sender = (n: NotificationRow) => Promise<DeliveryReceipt>;

export interface Senders {
  email: Sender;
  whatsapp: Sender;
}

/**
 * A delivery failure whose message is safe to store in `last_error`: adapters build it from codes and statuses,
 * never from the message body or a secret. `permanent` failures (a malformed recipient) go dead without retries.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
