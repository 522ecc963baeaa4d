/** The Hono app: middleware in order, one sub-app per area, the OpenAPI document and the error mapping. */
import { bodyLimit } from 'hono/body-limit';
import { newApi } from './api';
import { ApiError, onError } from './errors';
import { csrfGuard } from './auth/csrf';
import { sessionLoader } from './middleware/session';
import { authRoutes } from './routes/auth';
import { staffRoutes } from './routes/staff';
import { renderDocs } from './docs-page';
import { caseRoutes } from './routes/cases';
import { syncRoutes } from './routes/sync';
import { devRoutes } from './routes/dev';
import { registryRoutes } from './routes/registry';
import { ikdRoutes } from './routes/ikd';
import { ktpRoutes } from './routes/ktp';
import { officeRoutes } from './routes/offices';
import { testSqlRoutes } from './routes/test-sql';
import { auditRoutes } from './routes/audit';
import { afterWrite } from './after-write';
import { securityHeaders } from './security-headers';

export const MAX_BODY_BYTES = 256 * 1024;

export function createApp() {
  const app = newApi();
  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    await next();
    c.header('x-request-id', requestId);
    // A write may have appended audit entries and queued messages: seal and send right after the answer.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 500) {
      try {
        c.executionCtx.waitUntil(afterWrite(c.env));
      } catch {
        // No execution context (app.request in unit tests): the cron does it.
      }
    }
  });
  app.use('/api/*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new ApiError('body_too_large'); } }));
  app.use('/api/*', csrfGuard(), sessionLoader());

  app.get('/api/health', (c) => c.json({ ok: true }));
  app.route('/', authRoutes);
  app.route('/', staffRoutes);
  app.route('/', officeRoutes);
  app.route('/', devRoutes);
  app.route('/', testSqlRoutes);

  app.route('/', caseRoutes);
  app.route('/', syncRoutes);
  app.route('/', registryRoutes);
  app.route('/', ikdRoutes);
  app.route('/', ktpRoutes);
  app.route('/', auditRoutes);

  const info = { title: 'Loket API', version: '0.1.0', description: 'Edge API of a Disdukcapil office' };
  app.doc31('/api/openapi.json', (c) => ({ openapi: '3.1.0', info, servers: [{ url: new URL(c.req.url).origin }] }));
  app.get('/api/docs', (c) => c.html(renderDocs(app.getOpenAPI31Document({ openapi: '3.1.0', info }))));

  app.notFound(() => { throw new ApiError('not_found'); });
  app.onError(onError);
  return app;
}
