/**
 * SQL for the browser tests, run by the Worker itself. The tests used to open the local D1 file from a second
 * process (`wrangler d1 execute`), whose lock made the running server fail requests with SQLITE_BUSY; going
 * through the Worker queues their statements with the app's own.
 *
 * It exists only when the stack is started with ENVIRONMENT=test and a TEST_SQL_KEY (the e2e global setup does,
 * with a random key per run); `npm start` and production never set that key, and without it the route is a 404.
 * Deliberately not in the OpenAPI document.
 */
import { Hono } from 'hono';
import { constantTimeEqual } from '../auth/password';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { TEST_SQL_HEADER, TEST_SQL_PATH } from '../../schema/test-stack';
import { sweepAbandonedUploads } from '../housekeeping';

export const testSqlRoutes = new Hono<AppEnv>();

testSqlRoutes.post(TEST_SQL_PATH, async (c) => {
  const key = c.env.TEST_SQL_KEY;
  const given = c.req.header(TEST_SQL_HEADER) ?? '';
  const enc = new TextEncoder();
  if (c.env.ENVIRONMENT !== 'test' || !key || key.length < 32 || !constantTimeEqual(enc.encode(given), enc.encode(key))) {
    throw new ApiError('not_available');
  }
  const body = (await c.req.json().catch(() => null)) as { sql?: unknown; batch?: unknown; sweepUploads?: unknown } | null;
  // `sweepUploads`: the hourly sweep of abandoned uploads now (the cron runs it only at minute 0), with D1 and R2.
  if (body?.sweepUploads === true) return c.json(await sweepAbandonedUploads(c.env, Date.now()));
  // `batch`: statements with bound params as one D1 batch (the benchmark's bare-batch baseline).
  if (Array.isArray(body?.batch)) {
    const statements = (body.batch as { sql?: unknown; params?: unknown }[]).map((s) => {
      if (typeof s?.sql !== 'string' || !Array.isArray(s.params)) throw new ApiError('validation_failed', 'batch: [{ sql, params }]');
      return c.env.DB.prepare(s.sql).bind(...(s.params as unknown[]));
    });
    const out = await c.env.DB.batch(statements);
    return c.json({ changes: out.map((r) => r.meta.changes) });
  }
  if (typeof body?.sql !== 'string' || body.sql.trim() === '') throw new ApiError('validation_failed', 'sql: one SQL statement');
  const { results } = await c.env.DB.prepare(body.sql).all();
  return c.json({ results });
});
