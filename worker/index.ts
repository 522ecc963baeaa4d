/** Worker entry: HTTP through the Hono app, the cron trigger for timers and deliveries. */
import { createApp } from './app';
import type { Env } from './env';

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, _env, _ctx) {},
} satisfies ExportedHandler<Env>;
