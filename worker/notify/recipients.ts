/**
 * Recipients the outbox names by reference: a confidential complaint's contact stays in complaint_contacts (read by
 * the assigned handler only), and the outbox row says `aduan-kontak:<case id>`; the address is read here, at
 * sending time, handed to the adapter and never written back.
 */
import { CONTACT_REF_PREFIX, getContact } from '../db/aduan';
import type { NotificationRow } from '../db/notifications';
import { DeliveryError } from './adapter';

/** The row as the adapter must see it: the real address in place of a reference. */
export async function resolveRecipient(db: D1Database, row: NotificationRow): Promise<NotificationRow> {
  if (!row.recipient.startsWith(CONTACT_REF_PREFIX)) return row;
  const contact = await getContact(db, row.recipient.slice(CONTACT_REF_PREFIX.length));
  const address = row.channel === 'email' ? contact?.email : contact?.phone;
  // The contact was removed (or never had this channel): nothing to retry.
  if (!address) throw new DeliveryError(`${row.channel}: the complaint's contact has no address for this channel`, true);
  return { ...row, recipient: address };
}
