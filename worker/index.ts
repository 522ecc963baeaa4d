/** Worker entry: HTTP through the Hono app, the cron trigger for deliveries and hourly housekeeping. */
import { createApp } from './app';
import type { Env } from './env';
import { housekeep, isHousekeepingMinute } from './housekeeping';
import { deliverDue } from './notify/deliver';
import { sealAndCheckpoint } from './after-write';
import { moveUndeliveredToPickup } from './birth/delivery';

const app = createApp();

export default {
  fetch: app.fetch,
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
    if (isHousekeepingMinute(now)) {
      ctx.waitUntil(
        housekeep(env.DB, now).then((deleted) => console.log(JSON.stringify({ level: 'info', event: 'housekeeping', deleted })), failed('housekeeping_failed')),
      );
    }
  },
} satisfies ExportedHandler<Env>;
