/** RETAS routes beside the SOP engine: the schools an office works with, kept by its head of division or admin. */
import { createRoute, z } from '@hono/zod-openapi';
import { isKnownDistrict } from '../../schema/regions';
import { jsonBody, newApi, ok, problems } from '../api';
import { withAudit } from '../audit';
import { clientIp } from '../auth/throttle';
import { listSchools, type SchoolRow, upsertSchool } from '../db/retas';
import { ApiError } from '../errors';
import { requireRole } from '../middleware/session';

export const retasRoutes = newApi();

const School = z.object({
  npsn: z.string(),
  name: z.string(),
  address: z.string(),
  districtCode: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  active: z.boolean(),
  updatedAt: z.number().int(),
});

const SchoolInput = z.strictObject({
  name: z.string().trim().min(3).max(120),
  address: z.string().trim().min(3).max(300),
  districtCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'Kode kecamatan seperti 63.09.01 / district code like 63.09.01'),
  contactName: z.string().trim().min(2).max(120).optional(),
  contactPhone: z.string().regex(/^(\+62|62|0)8\d{7,12}$/, 'Nomor HP tidak valid / invalid phone number').optional(),
  active: z.boolean().default(true),
});

const view = (s: SchoolRow): z.infer<typeof School> => ({
  npsn: s.npsn, name: s.name, address: s.address, districtCode: s.district_code, contactName: s.contact_name,
  contactPhone: s.contact_phone, active: s.active === 1, updatedAt: s.updated_at,
});

retasRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/retas/schools',
    tags: ['retas'],
    summary: "The office's RETAS schools",
    responses: { 200: ok(z.object({ schools: z.array(School) })), ...problems(401, 403) },
  }),
  async (c) => {
    const session = requireRole(c, 'head_of_division', 'head_of_office', 'field_officer', 'admin');
    return c.json({ schools: (await listSchools(c.env.DB, session.officeCode)).map(view) }, 200);
  },
);

retasRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/api/retas/schools/{npsn}',
    tags: ['retas'],
    summary: 'Add or update a school of the office (by NPSN)',
    request: { params: z.object({ npsn: z.string().regex(/^\d{8}$/, 'NPSN harus 8 digit / NPSN must be 8 digits') }), body: jsonBody(SchoolInput) },
    responses: { 200: ok(z.object({ school: School })), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const session = requireRole(c, 'head_of_division', 'admin');
    const { npsn } = c.req.valid('param');
    const body = c.req.valid('json');
    // A school of this regency/city: its district lies in the office's region.
    if (!body.districtCode.startsWith(`${session.officeCode}.`) || !isKnownDistrict(body.districtCode)) {
      throw new ApiError('validation_failed', `Kecamatan ${body.districtCode} bukan wilayah kantor ini / not a district of this office`);
    }
    const row: SchoolRow = {
      office_code: session.officeCode, npsn, name: body.name, address: body.address, district_code: body.districtCode,
      contact_name: body.contactName ?? null, contact_phone: body.contactPhone ?? null, active: body.active ? 1 : 0, updated_at: Date.now(),
    };
    await withAudit(
      c.env.DB,
      [{ actor: `staff:${session.subjectId}`, action: 'retas.school_upsert', object: `school:${session.officeCode}:${npsn}`, ip: clientIp(c.req), detail: { name: body.name, districtCode: body.districtCode, active: body.active } }],
      () => [upsertSchool(c.env.DB, row)],
    );
    return c.json({ school: view(row) }, 200);
  },
);
