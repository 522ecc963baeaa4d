/** Service-time dashboard: per SOP step, count, median and p90 service time against the standard, overrun share, cases overdue now. */
import { createRoute, z } from '@hono/zod-openapi';
import { stepStats } from '../../schema/service-stats';
import { calendarDate, isOverrun, localToMs, serviceHoursFromRow, serviceMinutesBetween, type ServiceHours } from '../../schema/service-time';
import { WORKFLOWS } from '../../schema/workflows';
import { newApi, ok, problems } from '../api';
import { findOffice } from '../db/offices';
import { stepSpans, waitingCases } from '../db/service-time';
import { ApiError } from '../errors';
import { requireRole } from '../middleware/session';
import type { Session } from '../middleware/session';

export const dashboardRoutes = newApi();

/** Heads of division and office see it (seed 004 "Pengawasan Internal"), and the admin. */
const ROLES = ['head_of_division', 'head_of_office', 'admin'] as const;
const DAY = 86_400_000;
const Query = z.object({ service: z.string().max(32), from: calendarDate, to: calendarDate }).refine((q) => q.from <= q.to, { message: 'from ≤ to', path: ['to'] });

const StepRow = z.object({
  state: z.string(), label: z.object({ id: z.string(), en: z.string() }), count: z.number(), medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(), standardMinutes: z.number().nullable(), overrunShare: z.number().nullable(), waitingNow: z.number(), overdueNow: z.number(),
});
const Report = z.object({ service: z.string(), title: z.object({ id: z.string(), en: z.string() }), from: z.string(), to: z.string(), steps: z.array(StepRow) });

/** Builds the report from the data; nothing in it is kept by hand. */
export async function serviceTimeReport(db: D1Database, session: Session, service: string, from: string, to: string, now = Date.now()): Promise<z.infer<typeof Report>> {
  const wf = Object.hasOwn(WORKFLOWS, service) ? WORKFLOWS[service]! : null;
  if (!wf) throw new ApiError('unknown_service');
  const office = await findOffice(db, session.officeCode);
  if (!office) throw new ApiError('not_found');
  const hours: ServiceHours = serviceHoursFromRow(office);
  const start = localToMs(hours.timeZone, `${from}T00:00`);
  const end = localToMs(hours.timeZone, `${to}T00:00`) + DAY;
  const [spans, waiting] = await Promise.all([stepSpans(db, session.officeCode, service, start, end), waitingCases(db, session.officeCode, service)]);
  const byState = new Map<string, number[]>();
  for (const s of spans) {
    const list = byState.get(s.from_state) ?? [];
    list.push(serviceMinutesBetween(hours, s.started, s.at));
    byState.set(s.from_state, list);
  }
  const steps = Object.entries(wf.states)
    .filter(([, def]) => !def.final)
    .map(([state, def]) => {
      const standard = def.standardMinutes ?? null;
      const here = waiting.filter((w) => w.state === state);
      return {
        state, label: def.label, ...stepStats(byState.get(state) ?? [], standard),
        waitingNow: here.length,
        overdueNow: standard === null ? 0 : here.filter((w) => isOverrun(hours, w.step_started_at, standard, now)).length,
      };
    });
  return { service, title: wf.title, from, to, steps };
}

dashboardRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/dashboard/service-time', tags: ['dashboard'], summary: 'Per SOP step of a service: count, median, p90 vs standard time, overrun share, overdue now',
    request: { query: Query },
    responses: { 200: ok(Report), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...ROLES);
    const q = c.req.valid('query');
    return c.json(await serviceTimeReport(c.env.DB, s, q.service, q.from, q.to), 200);
  },
);

dashboardRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/dashboard/service-time.csv', tags: ['dashboard'], summary: 'The same as CSV',
    request: { query: Query },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...ROLES);
    const q = c.req.valid('query');
    const r = await serviceTimeReport(c.env.DB, s, q.service, q.from, q.to);
    const header = ['state', 'label', 'count', 'median_minutes', 'p90_minutes', 'standard_minutes', 'overrun_share', 'waiting_now', 'overdue_now'];
    const num = (v: number | null, d = 1) => (v === null ? '' : String(Math.round(v * 10 ** d) / 10 ** d));
    const lines = r.steps.map((x) => [x.state, `"${x.label.id.replace(/"/g, '""')}"`, String(x.count), num(x.medianMinutes), num(x.p90Minutes), num(x.standardMinutes, 0), num(x.overrunShare, 3), String(x.waitingNow), String(x.overdueNow)]);
    return c.body([header, ...lines].map((l) => l.join(',')).join('\r\n') + '\r\n', 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="waktu-layanan-${q.service}-${q.from}-${q.to}.csv"` });
  },
);
