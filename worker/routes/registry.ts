/** Registry lookups for staff of the resident's office (the office's SIAK copy); every read is audited. */
import { createRoute, z } from '@hono/zod-openapi';
import { maskNik, parseNik } from '../../schema/nik';
import { jsonBody, newApi, ok, problems } from '../api';
import { withAudit } from '../audit';
import { clientIp } from '../auth/throttle';
import { registryFor } from '../db/registry';
import { ApiError } from '../errors';
import { requireRole } from '../middleware/session';

export const registryRoutes = newApi();

const RegionNames = z.object({ code: z.string(), province: z.string(), regency: z.string(), district: z.string() });

export const RegistryResident = z
  .object({
    nik: z.string().openapi({ description: 'Full NIK: staff of the office need it to serve the resident' }),
    kkNumber: z.string(),
    name: z.string(),
    birthPlace: z.string(),
    birthDate: z.string(),
    sex: z.enum(['L', 'P']),
    maritalStatus: z.enum(['BELUM_KAWIN', 'KAWIN', 'CERAI_HIDUP', 'CERAI_MATI']),
    ektpRecorded: z.boolean(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    regionCode: z.string().openapi({ description: 'District of the current address, dotted' }),
    officeCode: z.string(),
    nikRegion: RegionNames.extend({
      legacy: z.boolean(),
      current: RegionNames.nullable().openapi({ description: "Today's district for a retired code" }),
    }).openapi({ description: 'Where the NIK was issued (not the current address)' }),
  })
  .openapi('RegistryResident');

registryRoutes.openapi(
  createRoute({
    method: 'post',
    // A lookup, not a change: POST only so the NIK travels in the body, never in a URL or a request log (issue 8).
    path: '/api/registry/residents/lookup',
    tags: ['registry'],
    summary: "A resident of the signed-in staff member's office, by the NIK in the body",
    // Before body validation: a caller without a session or role learns 401/403, not the contract.
    middleware: [async (c, next) => { requireRole(c, 'front_office', 'operator', 'verifier'); await next(); }],
    // No length limit here: a malformed NIK is answered invalid_nik with the reason, like everywhere else.
    request: { body: jsonBody(z.object({ nik: z.string().max(64) })) },
    responses: { 200: ok(z.object({ resident: RegistryResident })), ...problems(400, 401, 403, 404, 422) },
  }),
  async (c) => {
    const session = requireRole(c, 'front_office', 'operator', 'verifier');
    const { nik } = c.req.valid('json');
    const parsed = parseNik(nik);
    if (!parsed.ok) throw new ApiError('invalid_nik', `${parsed.message.id} / ${parsed.message.en}`, { reason: parsed.reason });
    const resident = await registryFor(c.env).findResident(nik);
    if (!resident) throw new ApiError('resident_not_found');
    const audit = {
      actor: `staff:${session.subjectId}`,
      object: `resident:${maskNik(nik)}`,
      ip: clientIp(c.req),
    };
    if (resident.officeCode !== session.officeCode) {
      // Another office's resident: refused, and recorded, since repeated tries look like browsing the registry.
      await withAudit(c.env.DB, [{ ...audit, action: 'registry.read_refused', detail: { officeCode: session.officeCode } }], () => []);
      throw new ApiError('forbidden_object', 'Penduduk terdaftar di kantor lain / Resident belongs to another office');
    }
    await withAudit(c.env.DB, [{ ...audit, action: 'registry.read', detail: { officeCode: session.officeCode } }], () => []);
    const { region } = parsed;
    return c.json(
      {
        resident: {
          ...resident,
          nikRegion: {
            code: region.code,
            province: region.province,
            regency: region.regency,
            district: region.district,
            legacy: region.legacy,
            current: region.current ?? null,
          },
        },
      },
      200,
    );
  },
);
