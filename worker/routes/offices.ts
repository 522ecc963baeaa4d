/**
 * An office's settings (`/api/offices/{code}`): every staff member of the office reads them; its admin changes the
 * weekly service hours and the holiday list (e.g. next year's national holidays and joint leave days once the
 * ministers' decree is out). Standard times, due times, overruns and video-call slots are all counted against
 * them from the moment they change. The admin also sets here where overdue complaints are escalated to (the head of
 * division's email and/or WhatsApp number, kept with the complaint settings).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { OfficeSettingsResponse, UpdateOfficeRequest, type OfficeSettings } from '../../schema/contracts/offices';
import { OfficeCode } from '../../schema/contracts/auth';
import { type Holiday, HolidaysSchema, WeeklyHoursSchema } from '../../schema/service-time';
import { RETAS_MAX_EARLY_MONTHS } from '../../schema/retas/roster';
import { withAudit } from '../audit';
import { clientIp } from '../auth/throttle';
import { jsonBody, newApi, ok, problems } from '../api';
import { getAduanSettings, setEscalationContact, type AduanSettingsRow } from '../db/aduan';
import { findOffice, type OfficeRow, updateOfficeSettings } from '../db/offices';
import { ApiError } from '../errors';
import { requireRole, requireSession, type Session } from '../middleware/session';

export const officeRoutes = newApi();

const Params = z.object({ code: OfficeCode });

function view(row: OfficeRow, aduan: AduanSettingsRow | null): OfficeSettings {
  return {
    code: row.code,
    name: row.name,
    timeZone: row.time_zone,
    hours: WeeklyHoursSchema.parse(JSON.parse(row.service_hours_json)),
    holidays: HolidaysSchema.parse(JSON.parse(row.holidays_json)),
    updatedAt: row.updated_at,
    escalation: { email: aduan?.escalation_email ?? null, phone: aduan?.escalation_phone ?? null },
    retasEarlyMonths: row.retas_early_months,
  };
}

/** Staff of `code` only: an office's settings are its own business. */
function staffOf(code: string, session: Session): void {
  if (session.subjectType !== 'staff') throw new ApiError('forbidden_role');
  if (session.officeCode !== code) throw new ApiError('forbidden_object', 'Kantor lain. / Another office.');
}

async function load(db: D1Database, code: string): Promise<OfficeSettings> {
  const [row, aduan] = await Promise.all([findOffice(db, code), getAduanSettings(db, code)]);
  if (!row) throw new ApiError('not_found', 'Kantor tidak ditemukan. / No such office.');
  return view(row, aduan);
}

/** What an audit entry says of a holiday-list change: the dates that came and went, not the whole list. */
function holidayDiff(before: readonly Holiday[], after: readonly Holiday[]) {
  const had = new Set(before.map((h) => h.date));
  const has = new Set(after.map((h) => h.date));
  return { added: after.filter((h) => !had.has(h.date)).map((h) => h.date), removed: before.filter((h) => !has.has(h.date)).map((h) => h.date) };
}

officeRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/offices/{code}',
    tags: ['offices'],
    summary: 'Service hours, holidays and RETAS early-recording period of the caller’s office',
    request: { params: Params },
    responses: { 200: ok(OfficeSettingsResponse), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const { code } = c.req.valid('param');
    staffOf(code, requireSession(c));
    return c.json({ office: await load(c.env.DB, code) }, 200);
  },
);

officeRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/api/offices/{code}',
    tags: ['offices'],
    // Before body validation: a caller without the role learns 403, not the contract.
    middleware: [async (c, next) => { requireRole(c, 'admin'); await next(); }],
    summary: 'Replace the office’s weekly service hours, holiday list, complaint escalation contact and/or RETAS early-recording period (the office’s admin)',
    request: { params: Params, body: jsonBody(UpdateOfficeRequest) },
    responses: { 200: ok(OfficeSettingsResponse), ...problems(400, 401, 403, 404, 422) },
  }),
  async (c) => {
    const session = requireRole(c, 'admin');
    const { code } = c.req.valid('param');
    staffOf(code, session);
    const body = c.req.valid('json');
    // Without a single open hour, due times vanish, overruns are never flagged and every slot is refused.
    if (body.hours && !Object.values(body.hours).some((day) => (day?.length ?? 0) > 0)) {
      throw new ApiError(
        'office_without_hours',
        'Kantor harus punya jam layanan pada sedikitnya satu hari; perubahan tidak disimpan. / An office needs service hours on at least one day; nothing was changed.',
      );
    }
    const early = body.retasEarlyMonths;
    if (early !== undefined && !(Number.isInteger(early) && early >= 0 && early <= RETAS_MAX_EARLY_MONTHS)) {
      throw new ApiError('retas_early_months_invalid', `Periode RETAS 0–${RETAS_MAX_EARLY_MONTHS} bulan penuh, bukan ${early} / the RETAS period is 0–${RETAS_MAX_EARLY_MONTHS} whole months`);
    }
    const db = c.env.DB;
    const before = await load(db, code);
    const holidays = body.holidays ? [...body.holidays].sort((a, b) => a.date.localeCompare(b.date)) : undefined;
    // An empty field means "none": stored as null, so the escalation check skips that channel.
    const escalation = body.escalation ? { email: body.escalation.email || null, phone: body.escalation.phone || null } : undefined;
    const now = new Date();
    await withAudit(
      db,
      [
        {
          actor: `staff:${session.subjectId}`,
          action: 'office.update',
          object: `office:${code}`,
          ip: clientIp(c.req),
          detail: {
            ...(body.hours ? { hours: body.hours, previousHours: before.hours } : {}),
            ...(holidays ? { holidays: holidayDiff(before.holidays, holidays) } : {}),
            // A head of division's work contact, not a resident's: who may be reached, and who could before.
            ...(escalation ? { escalation, previousEscalation: before.escalation } : {}),
            ...(early !== undefined ? { retasEarlyMonths: early, previousRetasEarlyMonths: before.retasEarlyMonths } : {}),
          },
        },
      ],
      () => [
        updateOfficeSettings(db, code, { hours: body.hours, holidays, retasEarlyMonths: early }, now.toISOString()),
        ...(escalation ? [setEscalationContact(db, code, escalation, now.getTime())] : []),
      ],
    );
    return c.json({ office: await load(db, code) }, 200);
  },
);
