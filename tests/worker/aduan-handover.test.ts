/**
 * A handler is told when a complaint becomes theirs (assigned or handed over): at the work email the admin set on
 * their staff record, through the notification outbox, naming the ticket and stage but never the complainant.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../../worker/db/notifications';
import { act, complaintIn, filePublic, inputFor, staff, type Staff } from './aduan-kit';
import { KOTA_JAMBI, signIn } from './helpers/auth';
import { seedMinimalOffice } from './helpers/fixtures';

let first: Staff;
let second: Staff;
let silent: Staff;
let admin: Staff;

const notices = async (caseId: string) =>
  (await env.DB.prepare("SELECT * FROM notifications WHERE case_id = ? AND subject LIKE '%ditugaskan kepada Anda%' ORDER BY created_at, rowid").bind(caseId).all<NotificationRow>()).results;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  [first, second, silent, admin] = [await staff(['complaint_handler']), await staff(['complaint_handler']), await staff(['complaint_handler']), await staff(['admin'])];
  const as = await signIn(admin.username, admin.password);
  for (const [who, email] of [[first, 'penangan.satu@tabalong.example'], [second, 'penangan.dua@tabalong.example']] as const) {
    const res = await as.fetch(`/api/staff/${who.id}`, { method: 'PATCH', json: { workEmail: email } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { staff: { workEmail: string } }).staff.workEmail).toBe(email);
  }
});

describe('hand-over notice to the handler', () => {
  it('is queued on assignment and on reassignment to the new handler, without the confidential identity', async () => {
    const c = await filePublic({ privacy: 'rahasia', name: 'Bapak Rahasia', email: 'rahasia.sekali@example.com', phone: '081399998888' });
    await act(first.session, c.caseId, 'verify', inputFor('verify', first.id));
    await act(first.session, c.caseId, 'assign', { assigneeId: first.id });
    await act(first.session, c.caseId, 'reassign_onsite_check', { assigneeId: second.id, reassignReason: 'Cuti mulai besok' });

    const rows = await notices(c.caseId);
    expect(rows.map((r) => [r.channel, r.recipient])).toEqual([['email', 'penangan.satu@tabalong.example'], ['email', 'penangan.dua@tabalong.example']]);
    expect(rows[1]!.body).toContain(c.ticketNo);
    expect(rows[1]!.body).toContain('Cek di tempat');
    expect(rows[1]!.body).toContain(`/aduan/kotak/${c.caseId}`);
    for (const r of rows) {
      for (const secret of ['Bapak Rahasia', 'rahasia.sekali', '081399998888', 'tiga minggu']) expect(JSON.stringify(r)).not.toContain(secret);
    }
  });

  it('queues nothing for a handler without a work email; the inbox is still theirs', async () => {
    const c = await complaintIn('onsite_check', first);
    const before = (await notices(c.caseId)).length;
    await act(first.session, c.caseId, 'reassign_onsite_check', { assigneeId: silent.id, reassignReason: 'Beban kerja dibagi' });
    expect((await notices(c.caseId)).length).toBe(before);
    expect((await env.DB.prepare('SELECT assignee_id FROM complaints WHERE case_id = ?').bind(c.caseId).first<{ assignee_id: string }>())!.assignee_id).toBe(silent.id);
  });

  it('goes to every channel the handler has: WhatsApp alone, or WhatsApp and email; never the complainant', async () => {
    const as = await signIn(admin.username, admin.password);
    const waOnly = await staff(['complaint_handler']);
    const set = await as.fetch(`/api/staff/${waOnly.id}`, { method: 'PATCH', json: { workWhatsapp: ' 081211112222 ' } });
    expect(set.status, await set.clone().text()).toBe(200);
    expect(((await set.json()) as { staff: { workWhatsapp: string | null; workEmail: string | null } }).staff).toMatchObject({ workWhatsapp: '081211112222', workEmail: null });
    // Setting WhatsApp keeps the email; the second handler now has both.
    expect((await as.fetch(`/api/staff/${second.id}`, { method: 'PATCH', json: { workWhatsapp: '+6281233334444' } })).status).toBe(200);

    const c = await filePublic({ privacy: 'rahasia', name: 'Ibu Tersembunyi', email: 'tersembunyi@example.com', phone: '081377776666' });
    await act(first.session, c.caseId, 'verify', inputFor('verify', first.id));
    await act(first.session, c.caseId, 'assign', { assigneeId: waOnly.id });
    await act(waOnly.session, c.caseId, 'reassign_onsite_check', { assigneeId: second.id, reassignReason: 'Dialihkan ke rekan' });
    const rows = await notices(c.caseId);
    expect(rows.map((r) => [r.channel, r.recipient]).sort()).toEqual([
      ['email', 'penangan.dua@tabalong.example'], ['whatsapp', '+6281233334444'], ['whatsapp', '081211112222'],
    ]);
    for (const r of rows) {
      expect(r.body).toContain(c.ticketNo);
      for (const secret of ['Ibu Tersembunyi', 'tersembunyi@', '081377776666']) expect(JSON.stringify(r)).not.toContain(secret);
    }
    // The complainant's own messages are not these notices: none of the handler channels got a complainant message.
    const toHandlers = await env.DB.prepare("SELECT COUNT(*) AS n FROM notifications WHERE case_id = ? AND recipient IN ('081211112222', '+6281233334444') AND subject NOT LIKE '%ditugaskan kepada Anda%'").bind(c.caseId).first<{ n: number }>();
    expect(toHandlers!.n).toBe(0);
    // Removing the number leaves the email alone.
    const removed = (await (await as.fetch(`/api/staff/${second.id}`, { method: 'PATCH', json: { workWhatsapp: null } })).json()) as { staff: { workWhatsapp: string | null; workEmail: string | null } };
    expect(removed.staff).toMatchObject({ workWhatsapp: null, workEmail: 'penangan.dua@tabalong.example' });
  });

  it('refuses a number that is not an Indonesian mobile with the field, and audits set/removed without the number', async () => {
    const as = await signIn(admin.username, admin.password);
    for (const bad of ['12345', '0211234567', '+1 555 0100', '08123']) {
      const res = await as.fetch(`/api/staff/${silent.id}`, { method: 'PATCH', json: { workWhatsapp: bad } });
      expect(res.status, bad).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('workWhatsapp');
    }
    expect((await as.fetch(`/api/staff/${silent.id}`, { method: 'PATCH', json: { workWhatsapp: '6285755556666' } })).status).toBe(200);
    const audit = await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'staff.update' AND object = ? ORDER BY seq DESC LIMIT 1").bind(`user:${silent.id}`).first<{ detail_json: string }>();
    expect(JSON.parse(audit!.detail_json).workWhatsapp).toBe('set');
    expect(audit!.detail_json).not.toContain('6285755556666');
    const other = await staff(['admin'], KOTA_JAMBI);
    const res = await (await signIn(other.username, other.password)).fetch(`/api/staff/${silent.id}`, { method: 'PATCH', json: { workWhatsapp: '081200001111' } });
    expect(res.status).toBe(403);
    expect((await env.DB.prepare('SELECT phone FROM staff_contacts WHERE user_id = ?').bind(silent.id).first<{ phone: string }>())!.phone).toBe('6285755556666');
    expect((await as.fetch(`/api/staff/${silent.id}`, { method: 'PATCH', json: { workWhatsapp: null } })).status).toBe(200);
  });

  it('the admin sets and removes the work email; a bad one is refused with the field; another office’s admin cannot', async () => {
    const as = await signIn(admin.username, admin.password);
    const bad = await as.fetch(`/api/staff/${silent.id}`, { method: 'PATCH', json: { workEmail: 'bukan email' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('workEmail');
    expect(((await (await as.fetch(`/api/staff/${silent.id}`, { method: 'PATCH', json: { workEmail: 'sunyi@tabalong.example' } })).json()) as { staff: { workEmail: string | null } }).staff.workEmail).toBe('sunyi@tabalong.example');
    expect(((await (await as.fetch(`/api/staff/${silent.id}`, { method: 'PATCH', json: { workEmail: null } })).json()) as { staff: { workEmail: string | null } }).staff.workEmail).toBeNull();
    const audit = await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'staff.update' AND object = ? ORDER BY seq DESC LIMIT 1").bind(`user:${silent.id}`).first<{ detail_json: string }>();
    expect(JSON.parse(audit!.detail_json).workEmail).toBe('removed');

    const other = await staff(['admin'], KOTA_JAMBI);
    const res = await (await signIn(other.username, other.password)).fetch(`/api/staff/${second.id}`, { method: 'PATCH', json: { workEmail: 'penyusup@example.com' } });
    expect(res.status).toBe(403);
    const list = (await (await as.fetch('/api/staff')).json()) as { staff: { id: string; workEmail: string | null }[] };
    expect(list.staff.find((s) => s.id === second.id)?.workEmail).toBe('penangan.dua@tabalong.example');
  });
});
