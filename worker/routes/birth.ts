/**
 * Birth certificates through partners (issue 10): the office admin keeps partner organisations, their clerks and
 * the list of required documents; partner clerks read that list for their offline form.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ClerkRequest, CreatePartnerRequest, Partner, RequirementsBody, UpdatePartnerRequest } from '../../schema/contracts/birth';
import { jsonBody, newApi, ok, problems } from '../api';
import { withAudit } from '../audit';
import { clientIp } from '../auth/throttle';
import * as bdb from '../db/birth';
import { getCase } from '../db/cases';
import { findUserById } from '../db/users';
import { ApiError } from '../errors';
import { requireRole, requireSession, type Session } from '../middleware/session';

export const birthRoutes = newApi();

const adminOnly = [async (c: Parameters<typeof requireRole>[0], next: () => Promise<void>) => { requireRole(c, 'admin'); await next(); }];

async function partnerView(db: D1Database, p: bdb.PartnerRow): Promise<Partner> {
  const clerks = await bdb.listClerks(db, p.id);
  return { id: p.id, kind: p.kind, name: p.name, active: p.active === 1, clerks: clerks.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name })) };
}

async function ownPartner(db: D1Database, session: Session, id: string): Promise<bdb.PartnerRow> {
  const p = await bdb.getPartner(db, id);
  if (!p || p.office_code !== session.officeCode) throw new ApiError('partner_not_found');
  return p;
}

const audit = (session: Session, ip: string, action: string, object: string, detail: Record<string, unknown>) => ({ actor: `staff:${session.subjectId}`, action, object, ip, detail });

birthRoutes.openapi(
  createRoute({ method: 'get', path: '/api/birth/partners', tags: ['birth'], summary: "The office's partner hospitals, clinics and midwives (admin)", middleware: adminOnly, responses: { 200: ok(z.object({ partners: z.array(Partner) })), ...problems(401, 403) } }),
  async (c) => {
    const session = requireRole(c, 'admin');
    const rows = await bdb.listPartners(c.env.DB, session.officeCode);
    return c.json({ partners: await Promise.all(rows.map((p) => partnerView(c.env.DB, p))) }, 200);
  },
);

birthRoutes.openapi(
  createRoute({ method: 'post', path: '/api/birth/partners', tags: ['birth'], summary: 'Add a partner organisation (admin)', middleware: adminOnly, request: { body: jsonBody(CreatePartnerRequest) }, responses: { 201: ok(z.object({ partner: Partner })), ...problems(401, 403, 409, 422) } }),
  async (c) => {
    const session = requireRole(c, 'admin');
    const body = c.req.valid('json');
    const now = Date.now();
    const row: bdb.PartnerRow = { id: crypto.randomUUID(), office_code: session.officeCode, kind: body.kind, name: body.name, active: 1, created_at: now, updated_at: now };
    try {
      await withAudit(c.env.DB, [audit(session, clientIp(c.req), 'birth.partner.create', `partner:${row.id}`, { kind: row.kind, name: row.name })], () => [bdb.insertPartner(c.env.DB, row)]);
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed: birth_partners\./.test(err.message)) throw new ApiError('partner_name_taken');
      throw err;
    }
    return c.json({ partner: await partnerView(c.env.DB, row) }, 201);
  },
);

birthRoutes.openapi(
  createRoute({ method: 'patch', path: '/api/birth/partners/{id}', tags: ['birth'], summary: 'Rename, re-kind or (de)activate a partner (admin)', middleware: adminOnly, request: { params: z.object({ id: z.string().max(64) }), body: jsonBody(UpdatePartnerRequest) }, responses: { 200: ok(z.object({ partner: Partner })), ...problems(401, 403, 404, 409, 422) } }),
  async (c) => {
    const session = requireRole(c, 'admin');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    await ownPartner(c.env.DB, session, id);
    try {
      await withAudit(c.env.DB, [audit(session, clientIp(c.req), 'birth.partner.update', `partner:${id}`, body)], () => [bdb.updatePartner(c.env.DB, id, session.officeCode, body, Date.now())]);
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed: birth_partners\./.test(err.message)) throw new ApiError('partner_name_taken');
      throw err;
    }
    return c.json({ partner: await partnerView(c.env.DB, await ownPartner(c.env.DB, session, id)) }, 200);
  },
);

birthRoutes.openapi(
  createRoute({ method: 'put', path: '/api/birth/clerks', tags: ['birth'], summary: 'Attach a partner_operator account to a partner, or detach it (admin)', middleware: adminOnly, request: { body: jsonBody(ClerkRequest) }, responses: { 200: ok(z.object({ ok: z.literal(true) })), ...problems(401, 403, 404, 422) } }),
  async (c) => {
    const session = requireRole(c, 'admin');
    const { userId, partnerId } = c.req.valid('json');
    const user = await findUserById(c.env.DB, userId);
    if (!user || user.officeCode !== session.officeCode) throw new ApiError('not_found', 'No such account in this office');
    if (!user.roles.includes('partner_operator')) throw new ApiError('validation_failed', 'The account needs the partner_operator role');
    if (partnerId) await ownPartner(c.env.DB, session, partnerId);
    await withAudit(c.env.DB, [audit(session, clientIp(c.req), 'birth.clerk.set', `user:${userId}`, { partnerId })], () => [
      bdb.setClerkPartner(c.env.DB, userId, session.officeCode, partnerId, new Date().toISOString()),
    ]);
    return c.json({ ok: true as const }, 200);
  },
);

const RequirementsResponse = z.object({ requirements: RequirementsBody.shape.requirements });

birthRoutes.openapi(
  createRoute({ method: 'get', path: '/api/birth/requirements', tags: ['birth'], summary: "The documents the caller's office requires for a birth case (partner form, office check)", responses: { 200: ok(RequirementsResponse), ...problems(401, 403) } }),
  async (c) => {
    const session = requireSession(c);
    if (session.subjectType !== 'staff') throw new ApiError('forbidden_role');
    const rows = await bdb.listRequirements(c.env.DB, session.officeCode);
    return c.json({ requirements: rows.map((r) => ({ code: r.code, label: { id: r.label_id, en: r.label_en }, required: r.required === 1 })) }, 200);
  },
);

birthRoutes.openapi(
  createRoute({ method: 'put', path: '/api/birth/requirements', tags: ['birth'], summary: "Replace the office's list of required documents (admin)", middleware: adminOnly, request: { body: jsonBody(RequirementsBody) }, responses: { 200: ok(RequirementsResponse), ...problems(401, 403, 422) } }),
  async (c) => {
    const session = requireRole(c, 'admin');
    const { requirements } = c.req.valid('json');
    if (new Set(requirements.map((r) => r.code)).size !== requirements.length) throw new ApiError('validation_failed', 'requirements: the same code twice');
    const rows = requirements.map((r, i) => ({ code: r.code, label_id: r.label.id, label_en: r.label.en, required: r.required ? 1 : 0, sort: i }));
    await withAudit(c.env.DB, [audit(session, clientIp(c.req), 'birth.requirements.replace', `office:${session.officeCode}`, { codes: rows.map((r) => `${r.code}${r.required ? '' : '?'}`) })], () =>
      bdb.replaceRequirements(c.env.DB, session.officeCode, rows),
    );
    return c.json({ requirements }, 200);
  },
);

const DuplicateCase = z.object({ id: z.string(), state: z.string(), childName: z.string().nullable(), partnerName: z.string().nullable(), createdAt: z.number() });

birthRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/birth/cases/{id}/duplicates',
    tags: ['birth'],
    summary: 'The cases a birth case may duplicate, with state, child and partner (office staff; a partner clerk sees only the flag on its case)',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(z.object({ duplicates: z.array(DuplicateCase) })), ...problems(401, 403, 404) },
  }),
  async (c) => {
    // Another partner's case id or child is none of a clerk's business, even a clerk holding an office role too.
    const session = requireRole(c, 'admin', 'front_office', 'operator', 'verifier', 'head_of_division', 'head_of_office');
    if (session.roles.includes('partner_operator')) throw new ApiError('forbidden_role');
    const row = await getCase(c.env.DB, c.req.valid('param').id);
    if (!row || row.service !== 'birth') throw new ApiError('case_not_found');
    if (row.office_code !== session.officeCode) throw new ApiError('forbidden_object');
    const rows = await bdb.duplicateCases(c.env.DB, row.id, row.office_code);
    return c.json({ duplicates: rows.map((r) => ({ id: r.id, state: r.state, childName: r.child_name, partnerName: r.partner_name, createdAt: r.created_at })) }, 200);
  },
);
