/** Delivers due outbox rows (from the Cron Trigger): claim each row, send it, then mark it sent or schedule a retry. */
import { claim, markFailed, markSent, selectDue, type NotificationRow } from '../db/notifications';
import type { Env } from '../env';
import { DeliveryError, type Senders } from './adapter';
import { resolveRecipient } from './recipients';
import { emailSender } from './email';
import { whatsappSender } from './whatsapp';

/** Rows per run: the cron fires every minute, so a backlog drains steadily without one long invocation. */
export const BATCH_SIZE = 20;
/** A claimed row is hidden this long; if the run dies mid-send, the row is due again afterwards. */
export const LEASE_MS = 5 * 60_000;
/** After this many failed attempts a row is `dead`. */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 60_000;
const MAX_DELAY_MS = 60 * 60_000;

export interface DeliveryOptions {
  senders?: Senders;
  batchSize?: number;
  /** Source of jitter in [0, 1); tests fix it. */
  random?: () => number;
}

export interface DeliveryReport {
  /** Due rows seen. */
  due: number;
  /** Rows another run claimed first. */
  skipped: number;
  sent: number;
  retrying: number;
  dead: number;
}

/** The adapters this environment uses (email binding, WhatsApp Cloud API or dev mailbox). */
export function sendersFor(env: Env): Senders {
  return { email: emailSender(env), whatsapp: whatsappSender(env) };
}

/**
 * Wait before the next attempt after `attempts` failures: 1, 2, 4, … minutes, capped at one hour, each
 * spread ±25% so rows that failed together (an outage) do not all retry in the same minute.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const nominal = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.min(MAX_DELAY_MS, Math.round(nominal * (0.75 + 0.5 * random())));
}

/**
 * Sends what is due at `now`. Safe to run concurrently: each row is claimed with a compare-and-set on its
 * due time before sending, so overlapping runs never send the same attempt twice.
 * @example ctx.waitUntil(deliverDue(env, Date.now()));
 */
export async function deliverDue(env: Env, now: number, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const senders = options.senders ?? sendersFor(env);
  const random = options.random ?? Math.random;
  const rows = await selectDue(env.DB, now, options.batchSize ?? BATCH_SIZE);
  const report: DeliveryReport = { due: rows.length, skipped: 0, sent: 0, retrying: 0, dead: 0 };
  for (const row of rows) {
    const leaseUntil = now + LEASE_MS;
    if (!(await claim(env.DB, row.id, row.next_attempt_at, leaseUntil))) {
      report.skipped++;
      continue;
    }
    const attempts = row.attempts + 1;
    const outcome = await attempt(row, senders, env, now, random, attempts);
    const finished =
      outcome.ok
        ? await markSent(env.DB, row.id, leaseUntil, now, outcome.via, outcome.ref)
        : await markFailed(env.DB, row.id, leaseUntil, outcome.retryAt, outcome.error);
    if (!finished) {
      // Our lease ran out during the send and another run took the row; it owns the outcome now.
      report.skipped++;
    } else if (outcome.ok) {
      report.sent++;
    } else if (outcome.retryAt === null) {
      report.dead++;
    } else {
      report.retrying++;
    }
    log(row, attempts, outcome.ok ? 'sent' : outcome.retryAt === null ? 'dead' : 'retrying');
  }
  return report;
}

type Outcome =
  | { ok: true; via: NonNullable<NotificationRow['delivered_via']>; ref: string | null }
  | { ok: false; retryAt: number | null; error: string };

async function attempt(
  row: NotificationRow,
  senders: Senders,
  env: Env,
  now: number,
  random: () => number,
  attempts: number,
): Promise<Outcome> {
  let recipient = row.recipient;
  try {
    const target = await resolveRecipient(env.DB, row);
    recipient = target.recipient;
    const receipt = await senders[row.channel](target);
    return { ok: true, via: receipt.via, ref: receipt.ref };
  } catch (err) {
    const permanent = err instanceof DeliveryError && err.permanent;
    const retryAt = permanent || attempts >= MAX_ATTEMPTS ? null : now + retryDelayMs(attempts, random);
    // A referenced (confidential) address must not reach last_error either, should a provider echo it.
    return { ok: false, retryAt, error: safeError(err, [row.body, row.subject, recipient, env.WA_TOKEN, env.PEPPER]) };
  }
}

/**
 * The error text stored in `last_error`. Only a `DeliveryError`'s message is kept (adapters build those from
 * codes and statuses), with any occurrence of the body, the subject or a secret cut out in case a provider
 * echoed it; any other error is reduced to its class name, since its message may hold anything.
 */
export function safeError(err: unknown, never: (string | undefined)[]): string {
  if (!(err instanceof DeliveryError)) return `unexpected ${err instanceof Error ? err.name : typeof err}`;
  let text = err.message;
  for (const s of never) {
    if (s && s.length >= 4) text = text.split(s).join('[redacted]');
  }
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function log(row: NotificationRow, attempts: number, outcome: string) {
  // Ids and outcomes only: recipients and bodies are personal data.
  console.log(JSON.stringify({ level: 'info', event: 'notification', id: row.id, channel: row.channel, attempts, outcome }));
}
