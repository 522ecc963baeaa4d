/** The Hono app: middleware in order, one sub-app per area, the OpenAPI document and the error mapping. */
import { bodyLimit } from 'hono/body-limit';
import { newApi } from './api';
import { ApiError, onError } from './errors';
import { csrfGuard } from './auth/csrf';
import { sessionLoader } from './middleware/session';
import { authRoutes } from './routes/auth';
import { staffRoutes } from './routes/staff';
import { renderDocs } from './docs-page';
import { describeOperations } from './openapi';
import { caseRoutes } from './routes/cases';
import { syncRoutes } from './routes/sync';
import { devRoutes } from './routes/dev';
import { registryRoutes } from './routes/registry';
import { ikdRoutes } from './routes/ikd';
import { ktpRoutes } from './routes/ktp';
import { birthRoutes } from './routes/birth';
import { birthFileRoutes, FILE_UPLOAD_PATHS } from './routes/birth-files';
import { birthSignRoutes } from './routes/birth-sign';
import { officeRoutes } from './routes/offices';
import { testSqlRoutes } from './routes/test-sql';
import { auditRoutes } from './routes/audit';
import { ktpelRoutes } from './routes/ktpel';
import { retasRoutes } from './routes/retas';
import { retasEventRoutes } from './routes/retas-events';
import { afterWrite } from './after-write';
import { aduanRoutes } from './routes/aduan';
import { ikmRoutes } from './routes/ikm';
import { dashboardRoutes } from './routes/dashboard';
import { aduanOrigin } from './aduan/config';
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
    // The server's clock in ms: phones and checkers correct their own (cheap phones drift) by it (web/src/clock.ts).
    c.header('x-server-time', String(Date.now()));
    // A write may have appended audit entries and queued messages: seal and send right after the answer.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 500) {
      try {
        c.executionCtx.waitUntil(afterWrite(c.env));
      } catch {
        // No execution context (app.request in unit tests): the cron does it.
      }
    }
  });
  const jsonLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new ApiError('body_too_large'); } });
  // File uploads carry their own, larger limit and a clearer problem (routes/birth-files.ts).
  app.use('/api/*', (c, next) => (FILE_UPLOAD_PATHS.test(c.req.path) ? next() : jsonLimit(c, next)));
  app.use('/api/*', csrfGuard(), sessionLoader(), aduanOrigin());

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
  app.route('/', aduanRoutes);
  app.route('/', ikmRoutes);
  app.route('/', dashboardRoutes);
  app.route('/', birthRoutes);
  app.route('/', birthFileRoutes);
  app.route('/', birthSignRoutes);
  app.route('/', ktpelRoutes);
  app.route('/', retasRoutes);
  app.route('/', retasEventRoutes);

  const info = { title: 'Loket API', version: '0.1.0', description: 'Edge API of a Disdukcapil office' };
  // Served on the API's own origin: the server is the document's own (relative), whichever host serves it.
  const document = () => describeOperations(app.getOpenAPI31Document({ openapi: '3.1.0', info, servers: [{ url: '/', description: 'This Loket deployment' }] }));
  app.get('/api/openapi.json', (c) => c.json(document()));
  app.get('/api/docs', (c) => c.html(renderDocs(document())));

  app.notFound(() => { throw new ApiError('not_found'); });
  app.onError(onError);
  return app;
}
