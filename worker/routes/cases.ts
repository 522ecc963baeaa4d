/** Read side of cases: the SOP tables, an office's case list, one case with its history, the KTP-el receipt. */
import { createRoute, z } from '@hono/zod-openapi';
import { CaseView } from '../../schema/contracts/sync';
import { maskNik } from '../../schema/nik';
import { RECEIPT_STATES, RECEIPT_TTL_SECONDS, ReceiptResponse } from '../../schema/receipt';
import { signCompactReceipt } from '../../schema/receipt-qr';
import { WORKFLOWS } from '../../schema/workflows';
import { newApi, ok, problems } from '../api';
import { caseView, maskedData, visibleTo } from '../case-view';
import { getCase, getSteps, listCases } from '../db/cases';
import { findOffice } from '../db/offices';
import { registryFor } from '../db/registry';
import { checkObject } from '../engine';
import { ApiError } from '../errors';
import { officeKeys } from '../keys';
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

caseRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/cases/{id}/receipt',
    tags: ['cases'],
    summary: 'The KTP-el receipt with its office-signed QR link, once the front office accepted the application',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(ReceiptResponse), ...problems(401, 403, 404, 409) },
  }),
  async (c) => {
    const session = requireSession(c);
    const db = c.env.DB;
    const row = await getCase(db, c.req.valid('param').id);
    if (!row || row.service !== 'ktpel') throw new ApiError('case_not_found');
    checkObject(session, row);
    if (!visibleTo(session, row)) throw new ApiError('forbidden_role');
    if (!RECEIPT_STATES.has(row.state) || !row.resident_nik) throw new ApiError('receipt_not_ready');
    const [steps, office, resident] = await Promise.all([getSteps(db, row.id), findOffice(db, row.office_code), registryFor(c.env).findResident(row.resident_nik)]);
    const accepted = steps.filter((s) => s.action === 'accept').at(-1);
    if (!accepted || !office) throw new ApiError('receipt_not_ready');
    const name = resident?.name ?? '';
    const nikMasked = maskNik(row.resident_nik);
    // The receipt lives from acceptance (the compact QR carries acceptance time only, to the second).
    const acceptedAt = Math.floor(accepted.at / 1000) * 1000;
    const { signing } = await officeKeys(c.env);
    const signed = await signCompactReceipt(signing.key, signing.kid, c.env.PUBLIC_ORIGIN, { number: row.id, officeCode: office.code, nikMasked, name, acceptedAt });
    return c.json(
      {
        receipt: {
          number: row.id,
          officeCode: office.code,
          officeName: office.name,
          name,
          nikMasked,
          acceptedAt: accepted.at,
          expiresAt: acceptedAt + RECEIPT_TTL_SECONDS * 1000,
          checkUrl: signed.url,
          qrVersion: signed.qrVersion,
        },
      },
      200,
    );
  },
);

