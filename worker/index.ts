/** Worker entry: HTTP through the Hono app, the cron trigger for timers and deliveries. */
import { createApp } from './app';
import type { Env } from './env';
import { deliverDue } from './notify/deliver';

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    // Real time, not controller.scheduledTime: leases and retry times must match the clock the next run reads.
    ctx.waitUntil(
      deliverDue(env, Date.now()).catch((err: unknown) => {
        console.error(JSON.stringify({ level: 'error', event: 'deliver_due_failed', error: err instanceof Error ? err.name : 'error' }));
      }),
    );
  },
} satisfies ExportedHandler<Env>;
