/**
 * The office's complaint escalation contact set on the office screen's route (`PATCH /api/offices/{code}`): validated
 * with the field at fault, audited, kept beside the complaint settings, and where the hourly check sends to.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OfficeSettings } from '../../schema/contracts/offices';
import { escalateOverdue } from '../../worker/aduan/escalate';
import { backdate, filePublic } from './aduan-kit';
import { api, ensureOffices } from './helpers/auth';
import { KOTA_JAMBI, staff, TABALONG } from './ikd-kit';

type Problem = { code: string; errors?: { path: string; message: string }[] };
const office = async (res: Response) => ((await res.json()) as { office: OfficeSettings }).office;
const DAY = 86_400_000;

beforeAll(async () => {
  await ensureOffices();
});

describe('escalation contact on the office settings', () => {
  it('the admin sets email and WhatsApp; both read back, the audit names the change, overdue complaints go there', async () => {
    const admin = await staff(['admin']);
    // Complaint settings saved earlier stay as they were: the office screen changes only the contact.
    const put = await admin.fetch('/api/aduan/settings', { method: 'PUT', json: { reopenWorkingDays: 7, resolutionDays: { ringan: 3, normatif: 6, investigasi: 30 } } });
    expect(put.status).toBe(200);

    const res = await admin.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { escalation: { email: 'kabid.pelayanan@tabalong.example', phone: '+6281377778888' } } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await office(res)).escalation).toEqual({ email: 'kabid.pelayanan@tabalong.example', phone: '+6281377778888' });
    expect((await office(await admin.fetch(`/api/offices/${TABALONG}`))).escalation).toEqual({ email: 'kabid.pelayanan@tabalong.example', phone: '+6281377778888' });
    expect(await (await admin.fetch('/api/aduan/settings')).json()).toEqual({
      reopenWorkingDays: 7, resolutionDays: { ringan: 3, normatif: 6, investigasi: 30 },
      escalationEmail: 'kabid.pelayanan@tabalong.example', escalationPhone: '+6281377778888',
    });

    const entry = await env.DB.prepare("SELECT actor, detail_json FROM audit_log WHERE action = 'office.update' AND object = ? ORDER BY seq DESC LIMIT 1")
      .bind(`office:${TABALONG}`)
      .first<{ actor: string; detail_json: string }>();
    expect(entry?.actor).toBe(`staff:${admin.id}`);
    const detail = JSON.parse(entry!.detail_json) as Record<string, unknown>;
    expect(detail.escalation).toEqual({ email: 'kabid.pelayanan@tabalong.example', phone: '+6281377778888' });
    expect(detail.previousEscalation).toEqual({ email: null, phone: null });
    expect(detail).not.toHaveProperty('hours');

    const c = await filePublic();
    await backdate(c.caseId, { stepStartedAt: Date.now() - 30 * DAY });
    expect(await escalateOverdue(env.DB, Date.now())).toContain(c.ticketNo);
    const sent = (await env.DB.prepare("SELECT channel, recipient FROM notifications WHERE case_id = ? AND subject LIKE 'Eskalasi%' ORDER BY channel").bind(c.caseId).all()).results;
    expect(sent).toEqual([{ channel: 'email', recipient: 'kabid.pelayanan@tabalong.example' }, { channel: 'whatsapp', recipient: '+6281377778888' }]);

    // One of the two is enough; an empty one is "none".
    const emailOnly = await office(await admin.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { escalation: { email: 'kabid.pelayanan@tabalong.example', phone: null } } }));
    expect(emailOnly.escalation).toEqual({ email: 'kabid.pelayanan@tabalong.example', phone: null });
    const none = await office(await admin.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { escalation: { email: null, phone: null } } }));
    expect(none.escalation).toEqual({ email: null, phone: null });
  });

  it('refuses a bad address or number with 422, the field at fault and a message in both languages, changing nothing', async () => {
    const admin = await staff(['admin']);
    await admin.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { escalation: { email: 'kabid@tabalong.example', phone: null } } });
    const before = await office(await admin.fetch(`/api/offices/${TABALONG}`));
    const bad: [unknown, string][] = [
      [{ email: 'bukan-email', phone: null }, 'escalation.email'],
      [{ email: null, phone: '12345' }, 'escalation.phone'],
      [{ email: null, phone: '0213456789' }, 'escalation.phone'], // a landline cannot get WhatsApp
      [{ email: `${'a'.repeat(250)}@x.example`, phone: null }, 'escalation.email'],
      [{ email: null }, 'escalation.phone'],
      [{ email: null, phone: null, name: 'Kabid' }, 'escalation'],
    ];
    for (const [escalation, path] of bad) {
      const res = await admin.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { escalation } });
      expect(res.status, JSON.stringify(escalation)).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const p = (await res.json()) as Problem;
      expect(p.code).toBe('validation_failed');
      expect(p.errors?.map((e) => e.path), JSON.stringify(escalation)).toContain(path);
    }
    const phoneProblem = (await (await admin.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { escalation: { email: null, phone: '12345' } } })).json()) as Problem;
    expect(phoneProblem.errors![0]!.message).toMatch(/nomor WhatsApp tidak valid.*invalid WhatsApp number/);
    // A bad contact sinks the whole change, hours included.
    expect((await admin.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: { holidays: [], escalation: { email: 'x', phone: null } } })).status).toBe(422);
    expect(await office(await admin.fetch(`/api/offices/${TABALONG}`))).toEqual(before);
  });

  it('only the office admin changes it; another office’s admin and other roles are refused', async () => {
    const body = { escalation: { email: 'penyusup@example.com', phone: null } };
    const fo = await staff(['front_office']);
    const r1 = await fo.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: body });
    expect(r1.status).toBe(403);
    expect(((await r1.json()) as Problem).code).toBe('forbidden_role');
    const other = await staff(['admin'], KOTA_JAMBI);
    const r2 = await other.fetch(`/api/offices/${TABALONG}`, { method: 'PATCH', json: body });
    expect(r2.status).toBe(403);
    expect(((await r2.json()) as Problem).code).toBe('forbidden_object');
    expect((await api(`/api/offices/${TABALONG}`, { method: 'PATCH', json: body })).status).toBe(401);
    const stored = await env.DB.prepare('SELECT escalation_email FROM aduan_settings WHERE office_code = ?').bind(TABALONG).first<{ escalation_email: string | null }>();
    expect(stored?.escalation_email ?? null).not.toBe('penyusup@example.com');
  });
});
