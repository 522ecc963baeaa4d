/** An office's admin keeps its service hours and holidays; every standard time and slot is counted against them. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OfficeSettings } from '../../schema/contracts/offices';
import { msToLocal } from '../../schema/service-time';
import { futureWeekday, KOTA_JAMBI, staff, TABALONG } from './ikd-kit';
import { api, ensureOffices } from './helpers/auth';

type Problem = { code: string; errors?: { path: string; message: string }[] };
const office = async (res: Response) => ((await res.json()) as { office: OfficeSettings }).office;
const patch = (as: { fetch: typeof api }, json: unknown, code = TABALONG) => as.fetch(`/api/offices/${code}`, { method: 'PATCH', json });

const SEED_HOURS = { mon: [['08:30', '16:00']], tue: [['08:30', '16:00']], wed: [['08:30', '16:00']], thu: [['08:30', '16:00']], fri: [['08:00', '10:30']] };

beforeAll(async () => {
  await ensureOffices();
});

describe('office settings', () => {
  it('the admin replaces the holiday list; it comes back sorted and the audit log names the dates that changed', async () => {
    const admin = await staff(['admin']);
    const holidays = [
      { date: '2027-12-25', name: 'Hari Raya Natal' },
      { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi' },
    ];
    const res = await patch(admin, { holidays });
    expect(res.status, await res.clone().text()).toBe(200);
    const saved = await office(res);
    expect(saved.holidays.map((h) => h.date)).toEqual(['2027-01-01', '2027-12-25']);
    expect(saved.hours).toEqual(SEED_HOURS); // left out, left alone
    expect(saved.updatedAt).not.toBeNull();
    expect(await office(await admin.fetch(`/api/offices/${TABALONG}`))).toEqual(saved);

    const entry = await env.DB.prepare("SELECT actor, detail_json FROM audit_log WHERE action = 'office.update' AND object = ? ORDER BY seq DESC LIMIT 1")
      .bind(`office:${TABALONG}`)
      .first<{ actor: string; detail_json: string }>();
    expect(entry?.actor).toBe(`staff:${admin.id}`);
    expect(JSON.parse(entry!.detail_json).holidays).toEqual({ added: ['2027-01-01', '2027-12-25'], removed: expect.any(Array) });
  });

  it('the admin changes the weekly hours', async () => {
    const admin = await staff(['admin'], KOTA_JAMBI);
    const hours = { mon: [['08:00', '12:00'], ['13:00', '15:30']], fri: [['08:00', '11:00']] };
    const saved = await office(await patch(admin, { hours }, KOTA_JAMBI));
    expect(saved.hours).toEqual(hours);
    await patch(admin, { hours: SEED_HOURS }, KOTA_JAMBI);
  });

  it('refuses bad hours and holidays with 422 and the field at fault, changing nothing', async () => {
    const admin = await staff(['admin']);
    const before = await office(await admin.fetch(`/api/offices/${TABALONG}`));
    const bad: [unknown, string][] = [
      [{}, ''],
      [{ hours: { mon: [['16:00', '08:30']] } }, 'hours.mon.0'],
      [{ hours: { mon: [['08:00', '12:00'], ['11:00', '15:00']] } }, 'hours.mon'],
      [{ hours: { mon: [['8:30', '16:00']] } }, 'hours.mon.0.0'],
      [{ hours: { mon: [['07:00', '08:00'], ['09:00', '10:00'], ['11:00', '12:00'], ['13:00', '14:00'], ['15:00', '16:00']] } }, 'hours'],
      [{ hours: { someday: [['08:00', '12:00']] } }, 'hours.someday'],
      [{ holidays: [{ date: '2027-02-30', name: 'Tidak ada' }] }, 'holidays.0.date'],
      [{ holidays: [{ date: '2027-01-01', name: 'A' }, { date: '2027-01-01', name: 'B' }] }, 'holidays'],
      [{ holidays: [{ date: '2027-01-01', name: '   ' }] }, 'holidays.0.name'],
      [{ holidays: [{ date: '2027-01-01', name: 'Tahun Baru', extra: 1 }] }, 'holidays.0'],
    ];
    for (const [body, path] of bad) {
      const res = await patch(admin, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const p = (await res.json()) as Problem;
      expect(p.code).toBe('validation_failed');
      if (path) expect(p.errors?.map((e) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect(await office(await admin.fetch(`/api/offices/${TABALONG}`))).toEqual(before);
  });

  it('lets staff of the office read, only its admin change, and nobody from another office do either', async () => {
    const fo = await staff(['front_office']);
    expect((await fo.fetch(`/api/offices/${TABALONG}`)).status).toBe(200);
    const foPatch = await patch(fo, { holidays: [] });
    expect(foPatch.status).toBe(403);
    expect(((await foPatch.json()) as Problem).code).toBe('forbidden_role');

    const otherAdmin = await staff(['admin'], KOTA_JAMBI);
    for (const res of [await otherAdmin.fetch(`/api/offices/${TABALONG}`), await patch(otherAdmin, { holidays: [] })]) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as Problem).code).toBe('forbidden_object');
    }
    expect((await api(`/api/offices/${TABALONG}`)).status).toBe(401);
    expect((await api(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { holidays: [] } })).status).toBe(401);
  });

  it('a new holiday closes the office for video-call slots that day; removing it opens it again', async () => {
    const admin = await staff(['admin']);
    const op = await staff(['operator']);
    const at = futureWeekday(TABALONG, '09:00', 5);
    const date = msToLocal('Asia/Makassar', at).slice(0, 10);
    const { holidays } = await office(await admin.fetch(`/api/offices/${TABALONG}`));
    const slot = () => op.fetch('/api/ikd/slots', { method: 'POST', json: { startsAt: at, endsAt: at + 30 * 60_000, capacity: 1 } });

    expect((await patch(admin, { holidays: [...holidays.filter((h) => h.date !== date).map((h) => ({ date: h.date, name: h.name ?? 'Libur' })), { date, name: 'Libur daerah' }] })).status).toBe(200);
    const refused = await slot();
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Problem).code).toBe('slot_outside_hours');

    expect((await patch(admin, { holidays: holidays.filter((h) => h.date !== date).map((h) => ({ date: h.date, name: h.name ?? 'Libur' })) })).status).toBe(200);
    expect((await slot()).status).toBe(201);
  });
});

describe('an office without service hours (issue 8)', () => {
  it('refuses hours that leave every day closed with office_without_hours, and changes nothing', async () => {
    const admin = await staff(['admin']);
    const before = await office(await admin.fetch(`/api/offices/${TABALONG}`));
    for (const hours of [{}, { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, { sat: [] }]) {
      const res = await patch(admin, { hours });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as Problem & { detail: string };
      expect(body.code).toBe('office_without_hours');
      expect(body.detail).toMatch(/jam layanan/);
      expect(body.detail).toMatch(/service hours/);
    }
    // Also together with a valid holiday list: the whole change is refused.
    expect((await patch(admin, { hours: {}, holidays: [{ date: '2027-08-17', name: 'Hari Kemerdekaan' }] })).status).toBe(422);
    expect(await office(await admin.fetch(`/api/offices/${TABALONG}`))).toEqual(before);
    // One open day is enough.
    const one = await patch(admin, { hours: { sat: [['08:00', '12:00']] } });
    expect(one.status).toBe(200);
    expect((await patch(admin, { hours: before.hours })).status).toBe(200);
  });

  it('the admin sets the RETAS early-recording period (0–12 whole months); anything else is retas_early_months_invalid and changes nothing', async () => {
    const admin = await staff(['admin']);
    const before = await office(await admin.fetch(`/api/offices/${TABALONG}`));
    expect(before.retasEarlyMonths).toBe(0);
    const saved = await office(await patch(admin, { retasEarlyMonths: 12 }));
    expect(saved).toMatchObject({ retasEarlyMonths: 12, hours: before.hours, holidays: before.holidays });
    const entry = await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'office.update' AND object = ? ORDER BY seq DESC LIMIT 1").bind(`office:${TABALONG}`).first<{ detail_json: string }>();
    expect(JSON.parse(entry!.detail_json)).toEqual({ retasEarlyMonths: 12, previousRetasEarlyMonths: 0 });
    for (const bad of [13, -1, 2.5]) {
      const res = await patch(admin, { retasEarlyMonths: bad, holidays: [] });
      expect(res.status).toBe(422);
      expect(((await res.json()) as Problem).code).toBe('retas_early_months_invalid');
    }
    const wrongType = await patch(admin, { retasEarlyMonths: '6' });
    expect(wrongType.status).toBe(422);
    expect(((await wrongType.json()) as Problem).code).toBe('validation_failed');
    const after = await office(await admin.fetch(`/api/offices/${TABALONG}`));
    expect(after).toMatchObject({ retasEarlyMonths: 12, holidays: before.holidays });
    // Only the admin of the office: other staff read it, may not change it.
    const operator = await staff(['operator']);
    expect((await operator.fetch(`/api/offices/${TABALONG}`)).status).toBe(200);
    expect((await patch(operator, { retasEarlyMonths: 3 })).status).toBe(403);
    await patch(admin, { retasEarlyMonths: 0 });
  });
});
