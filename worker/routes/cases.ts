/** Read side of cases: the SOP tables, an office's case list, one case with its history. */
import { createRoute, z } from '@hono/zod-openapi';
import { CaseView } from '../../schema/contracts/sync';
import { WORKFLOWS } from '../../schema/workflows';
import { newApi, ok, problems } from '../api';
import { caseView, maskedData, visibleTo } from '../case-view';
import { getCase, getSteps, listCases } from '../db/cases';
import { checkObject } from '../engine';
import { ApiError } from '../errors';
import { requireSession } from '../middleware/session';

export const caseRoutes = newApi();

/** The SOP tables as plain data (zod inputs left out; the PWA imports them from schema/ directly). */
const ServiceSummary = z.object({
  service: z.string(),
  title: z.object({ id: z.string(), en: z.string() }),
  source: z.string(),
  states: z.record(z.string(), z.object({ label: z.object({ id: z.string(), en: z.string() }), standardMinutes: z.number().optional(), actor: z.array(z.string()).optional(), final: z.boolean().optional() })),
  actions: z.record(z.string(), z.object({ label: z.object({ id: z.string(), en: z.string() }), from: z.array(z.string()).nullable(), to: z.string(), roles: z.array(z.string()), sopStep: z.string().optional() })),
});

caseRoutes.openapi(
  createRoute({ method: 'get', path: '/api/services', tags: ['cases'], summary: 'Every service SOP as data', responses: { 200: ok(z.array(ServiceSummary)) } }),
  (c) =>
    c.json(
      Object.values(WORKFLOWS).map((wf) => ({
        service: wf.service,
        title: wf.title,
        source: wf.source,
        states: wf.states,
        actions: Object.fromEntries(
          Object.entries(wf.actions).map(([name, a]) => [name, { label: a.label, from: a.from ? [...a.from] : null, to: a.to, roles: [...a.roles], ...(a.sopStep ? { sopStep: a.sopStep } : {}) }]),
        ),
      })),
      200,
    ),
);

caseRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/cases',
    tags: ['cases'],
    summary: "Cases of the signed-in staff member's office",
    request: { query: z.object({ service: z.string().max(32).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
    responses: { 200: ok(z.object({ cases: z.array(CaseView) })), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const session = requireSession(c);
    if (session.subjectType !== 'staff') throw new ApiError('forbidden_role');
    const { service, limit } = c.req.valid('query');
    const rows = (await listCases(c.env.DB, session.officeCode, service, limit)).filter((r) => visibleTo(session, r));
    return c.json({ cases: await Promise.all(rows.map((r) => caseView(c.env.DB, r))) }, 200);
  },
);

caseRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/cases/{id}',
    tags: ['cases'],
    summary: 'One case with its steps',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(CaseView), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const session = requireSession(c);
    const row = await getCase(c.env.DB, c.req.valid('param').id);
    if (!row) throw new ApiError('case_not_found');
    checkObject(session, row);
    if (!visibleTo(session, row)) throw new ApiError('forbidden_role');
    const steps = (await getSteps(c.env.DB, row.id)).map((s) => ({
      version: s.version, action: s.action, fromState: s.from_state, toState: s.to_state,
      actor: s.actor_id, actorName: s.actor_name, input: maskedData(JSON.parse(s.input_json) as Record<string, unknown>), at: s.at,
    }));
    return c.json({ ...(await caseView(c.env.DB, row)), steps }, 200);
  },
);
