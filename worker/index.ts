/** Worker entry: HTTP through the Hono app, the cron trigger for deliveries and hourly housekeeping. */
import { createApp } from './app';
import type { Env } from './env';
import { housekeep, isHousekeepingMinute } from './housekeeping';
import { deliverDue } from './notify/deliver';
import { sealAndCheckpoint } from './after-write';
import { escalateOverdue } from './aduan/escalate';
import { rememberOrigin } from './aduan/config';
import { receiveComplaintEmail } from './aduan/email';
import { ApiError } from './errors';
import { moveUndeliveredToPickup } from './birth/delivery';

const app = createApp();

export default {
  fetch: app.fetch,
  /** Inbound mail (Email Routing) becomes a complaint; a message that cannot be filed is refused back to the sender. */
  async email(message, env) {
    rememberOrigin(env);
    try {
      const outcome = await receiveComplaintEmail(env, message.raw, { from: message.from });
      console.log(JSON.stringify({ level: 'info', event: 'aduan_email', status: outcome.status }));
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', event: 'aduan_email_failed', error: err instanceof ApiError ? err.code : err instanceof Error ? err.name : 'error' }));
      message.setReject(err instanceof ApiError ? 'Pesan tidak dapat diproses sebagai aduan. / The message could not be filed as a complaint.' : 'Temporary failure, please retry.');
    }
  },
  async scheduled(_controller, env, ctx) {
    // Real time, not controller.scheduledTime: leases and retry times must match the clock the next run reads.
    const now = Date.now();
    const failed = (event: string) => (err: unknown) => {
      console.error(JSON.stringify({ level: 'error', event, error: err instanceof Error ? err.name : 'error' }));
    };
    ctx.waitUntil(deliverDue(env, now).catch(failed('deliver_due_failed')));
    // Birth certificates whose messages all failed go to the drive-thru pickup queue (seed 002 step 8).
    ctx.waitUntil(moveUndeliveredToPickup(env, now).catch(failed('birth_pickup_failed')));
    // Every minute: the audit chain is sealed and its head signed into R2, so a truncated tail shows within a minute.
    ctx.waitUntil(sealAndCheckpoint(env, now).catch(failed('audit_checkpoint_failed')));
    rememberOrigin(env);
    if (isHousekeepingMinute(now)) {
      ctx.waitUntil(escalateOverdue(env.DB, now).catch(failed('aduan_escalate_failed')));
      ctx.waitUntil(
        housekeep(env.DB, now, env.FILES).then((deleted) => console.log(JSON.stringify({ level: 'info', event: 'housekeeping', deleted })), failed('housekeeping_failed')),
      );
    }
  },
} satisfies ExportedHandler<Env>;
