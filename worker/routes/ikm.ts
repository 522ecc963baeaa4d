/** IKM survey routes: answers without an account (invitation or kiosk), invitations and kiosks for staff, the dashboard and CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IKM_SERVICES, IkmSubmission } from '../../schema/ikm';
import { jsonBody, newApi, ok, problems } from '../api';
import { clientIp, Throttle, type Limit, type ThrottlePolicy } from '../auth/throttle';
import { withAudit } from '../audit';
import { trackingHash } from '../../schema/aduan/tracking';
import { closeKiosk } from '../db/ikm';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { requireRole } from '../middleware/session';
import { ikmCsv, ikmDashboard, issueInvitations, openKiosk, submitResponse } from '../ikm/service';
import { calendarDate } from '../../schema/service-time';

export const ikmRoutes = newApi();

const MINUTE = 60_000;
/** Unknown invitation codes: 20 per IP in 15 minutes, like tracking codes. */
const INVITE_POLICY: ThrottlePolicy = { limit: 20, windowMs: 15 * MINUTE, lockedUntil: (_f, start) => start + 15 * MINUTE };
const inviteLimit = (c: Context<AppEnv>): Limit[] => [{ key: `ikm:invite:ip:${clientIp(c.req)}`, policy: INVITE_POLICY }];

/** Who sees the survey results and may hand out invitations or open a kiosk. */
const DASHBOARD_ROLES = ['head_of_division', 'head_of_office', 'admin', 'complaint_handler'] as const;
const ISSUE_ROLES = ['front_office', 'complaint_handler', 'head_of_division', 'admin'] as const;

ikmRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/ikm/responses', tags: ['ikm'],
    summary: 'One survey answer, by invitation (one answer each) or from a counter kiosk (limited per kiosk and time)',
    request: { body: jsonBody(IkmSubmission) },
    responses: { 200: ok(z.object({ status: z.enum(['recorded', 'duplicate']) })), ...problems(403, 404, 409, 422, 429) },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const throttle = new Throttle(c.env.DB);
    if (body.invitation) await throttle.assertAllowed(inviteLimit(c));
    try {
      const out = await submitResponse(c.env.DB, body);
      return c.json({ status: out.status }, 200);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ikm_invitation_invalid') await throttle.fail(inviteLimit(c));
      throw err;
    }
  },
);

ikmRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/ikm/invitations', tags: ['ikm'], summary: 'Invitation codes to print or show as QR (returned once)',
    request: { body: jsonBody(z.strictObject({ service: z.enum(IKM_SERVICES), count: z.number().int().min(1).max(50) })) },
    responses: { 200: ok(z.object({ codes: z.array(z.string()) })), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...ISSUE_ROLES);
    const { service, count } = c.req.valid('json');
    const codes = await issueInvitations(c.env.DB, s, service, count);
    return c.json({ codes }, 200);
  },
);

ikmRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/ikm/kiosks', tags: ['ikm'], summary: 'Open a kiosk for a tablet at the counter (token returned once)',
    request: { body: jsonBody(z.strictObject({ service: z.enum(IKM_SERVICES), label: z.string().trim().min(2).max(80) })) },
    responses: { 200: ok(z.object({ token: z.string() })), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...ISSUE_ROLES);
    const { service, label } = c.req.valid('json');
    const kiosk = await openKiosk(c.env.DB, s, service, label);
    await withAudit(c.env.DB, [{ actor: `staff:${s.subjectId}`, action: 'ikm.kiosk_open', object: `office:${s.officeCode}`, ip: clientIp(c.req), detail: { service, label } }], () => [kiosk.statement]);
    return c.json({ token: kiosk.token }, 200);
  },
);

ikmRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/ikm/kiosks/close', tags: ['ikm'], summary: 'Close a kiosk (its token stops working)',
    request: { body: jsonBody(z.strictObject({ token: z.string().max(100) })) },
    responses: { 200: ok(z.object({ closed: z.boolean() })), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...ISSUE_ROLES);
    const r = await closeKiosk(c.env.DB, await trackingHash(c.req.valid('json').token), s.officeCode, Date.now()).run();
    return c.json({ closed: r.meta.changes === 1 }, 200);
  },
);

const PeriodQuery = z.object({ service: z.enum(IKM_SERVICES), from: calendarDate, to: calendarDate }).refine((q) => q.from <= q.to, { message: 'from ≤ to', path: ['to'] });

ikmRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/ikm/dashboard', tags: ['ikm'], summary: 'IKM of a service and period: score (exact), grade, spreadsheet figure, element averages, trend, sample size',
    request: { query: PeriodQuery },
    responses: { 200: ok(z.record(z.string(), z.unknown())), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...DASHBOARD_ROLES);
    const q = c.req.valid('query');
    return c.json(await ikmDashboard(c.env.DB, s, q.service, q.from, q.to), 200);
  },
);

ikmRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/ikm/export.csv', tags: ['ikm'], summary: 'The period\'s answers as CSV',
    request: { query: PeriodQuery },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems(401, 403, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...DASHBOARD_ROLES);
    const q = c.req.valid('query');
    return c.body(await ikmCsv(c.env.DB, s, q.service, q.from, q.to), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="ikm-${q.service}-${q.from}-${q.to}.csv"` });
  },
);
