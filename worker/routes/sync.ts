/** Sync protocol: push of client commands (applied in order, idempotently) and pull of the per-user change feed. */
import { createRoute, z } from '@hono/zod-openapi';
import { PullResponse, PushRequest, PushResponse } from '../../schema/contracts/sync';
import { jsonBody, newApi, ok, problems } from '../api';
import { caseView, visibleTo } from '../case-view';
import { pullChanges } from '../db/cases';
import { applyCommands } from '../engine';
import { requireSession } from '../middleware/session';
import { registryFor } from '../db/registry';

export const syncRoutes = newApi();

const push = createRoute({
  method: 'post',
  path: '/api/sync/push',
  tags: ['sync'],
  summary: 'Apply client commands in order; each gets applied, duplicate, conflict or rejected',
  request: { body: jsonBody(PushRequest) },
  responses: { 200: ok(PushResponse), ...problems(400, 401, 403, 413, 422) },
});

syncRoutes.openapi(push, async (c) => {
  const session = requireSession(c);
  const { commands } = c.req.valid('json');
  const ctx = {
    db: c.env.DB,
    session,
    ip: c.req.header('cf-connecting-ip') ?? null,
    now: Date.now(),
    registry: registryFor(c.env),
  };
  // In order: a later command may build on an earlier one (create, then act on the new case).
  const results = await applyCommands(ctx, commands);
  return c.json({ results }, 200);
});

const pull = createRoute({
  method: 'get',
  path: '/api/sync/pull',
  tags: ['sync'],
  summary: 'Cases changed after the cursor, in server order',
  request: { query: z.object({ cursor: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(200) }) },
  responses: { 200: ok(PullResponse), ...problems(401, 422) },
});

syncRoutes.openapi(pull, async (c) => {
  const session = requireSession(c);
  const { cursor, limit } = c.req.valid('query');
  const scope = session.subjectType === 'resident' ? { residentNik: session.subjectId } : { officeCode: session.officeCode };
  const page = await pullChanges(c.env.DB, scope, cursor, limit);
  const rows = page.cases.filter((row) => visibleTo(session, row));
  const cases = await Promise.all(rows.map((row) => caseView(c.env.DB, row)));
  return c.json({ cursor: page.cursor, more: page.more, cases }, 200);
});
