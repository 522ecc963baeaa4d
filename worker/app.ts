/** The Hono app: middleware in order, one sub-app per area, the OpenAPI document and the error mapping. */
import { bodyLimit } from 'hono/body-limit';
import { newApi } from './api';
import { ApiError, onError } from './errors';

export const MAX_BODY_BYTES = 256 * 1024;

export function createApp() {
  const app = newApi();
  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    await next();
    c.header('x-request-id', requestId);
  });
  app.use('/api/*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new ApiError('body_too_large'); } }));

  app.get('/api/health', (c) => c.json({ ok: true }));

  app.doc31('/api/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: { title: 'Loket API', version: '0.1.0', description: 'Edge API of a Disdukcapil office' },
    servers: [{ url: new URL(c.req.url).origin }],
  }));

  app.notFound(() => { throw new ApiError('not_found'); });
  app.onError(onError);
  return app;
}
