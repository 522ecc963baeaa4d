/**
 * A confidential complaint's contact lives in complaint_contacts only: every other table of D1 (the outbox
 * included), the export, the sync feed and the worker's logs are read back and searched for it; the message still
 * reaches the real address through the outbox's reference.
 */
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportCsv } from '../../worker/aduan/service';
import type { NotificationRow } from '../../worker/db/notifications';
import { deliverDue } from '../../worker/notify/deliver';
import type { Senders } from '../../worker/notify/adapter';
import type { Env } from '../../worker/env';
import { act, complaintIn, staff, type Staff } from './aduan-kit';
import { signIn } from './helpers/auth';
import { seedMinimalOffice } from './helpers/fixtures';

const NAME = 'Sitti Rahasiawati';
const EMAIL = 'sitti.rahasia@example.test';
const PHONE = '081377776666';
const workerEnv = env as unknown as Env;
const SECRETS = [NAME, EMAIL, PHONE, '6281377776666'];

let handler: Staff;
let kabid: Staff;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  handler = await staff(['complaint_handler']);
  kabid = await staff(['head_of_division']);
});
afterEach(() => vi.restoreAllMocks());

/** Every user table of the database as JSON, except the one that may hold the contact. */
async function everyTableBut(keep: string): Promise<Record<string, string>> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'").all<{ name: string }>();
  const out: Record<string, string> = {};
  for (const { name } of results) {
    if (name === keep) continue;
    out[name] = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
  }
  return out;
}

const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

describe('confidential complaint contact', () => {
  it('is in no table but complaint_contacts, not in the outbox, export, feed or logs; the message still reaches it', async () => {
    const logged: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
    const c = await complaintIn('verified', handler, { privacy: 'rahasia', name: NAME, email: EMAIL, phone: PHONE });
    await act(handler.session, c.caseId, 'assign', { assigneeId: handler.id });
    await act(handler.session, c.caseId, 'finish_onsite_check', { note: 'Dicek di loket' });

    const contact = await env.DB.prepare('SELECT name, email, phone FROM complaint_contacts WHERE case_id = ?').bind(c.caseId).first();
    expect(contact).toEqual({ name: NAME, email: EMAIL, phone: PHONE });

    // The outbox has the messages (intake, verify, assign, stage), each addressed by reference only.
    const queued = (await env.DB.prepare('SELECT channel, recipient, body FROM notifications WHERE case_id = ? ORDER BY created_at').bind(c.caseId).all<Pick<NotificationRow, 'channel' | 'recipient' | 'body'>>()).results;
    expect(queued.length).toBeGreaterThanOrEqual(8);
    expect(new Set(queued.map((q) => q.recipient))).toEqual(new Set([`aduan-kontak:${c.caseId}`]));
    expect(new Set(queued.map((q) => q.channel))).toEqual(new Set(['email', 'whatsapp']));

    const tables = await everyTableBut('complaint_contacts');
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(['notifications', 'cases', 'case_steps', 'commands', 'changes', 'audit_log', 'complaints']));
    for (const [table, dump] of Object.entries(tables)) expect(leaks(dump), `table ${table}`).toEqual([]);

    // Sending reads the address at that moment: the adapters get the real one, the rows keep the reference.
    const sent: { channel: string; recipient: string }[] = [];
    const record = (channel: string) => async (n: NotificationRow) => (sent.push({ channel, recipient: n.recipient }), { via: 'dev_mailbox' as const, ref: null });
    const senders: Senders = { email: record('email'), whatsapp: record('whatsapp') };
    const report = await deliverDue(workerEnv, Date.now() + 1000, { senders, batchSize: 500 });
    expect(report.sent).toBeGreaterThanOrEqual(queued.length);
    const ours = sent.filter((s) => SECRETS.includes(s.recipient));
    expect(ours.filter((s) => s.channel === 'email').map((s) => s.recipient)).toEqual(Array(queued.length / 2).fill(EMAIL));
    expect(ours.filter((s) => s.channel === 'whatsapp').map((s) => s.recipient)).toEqual(Array(queued.length / 2).fill(PHONE));
    for (const [table, dump] of Object.entries(await everyTableBut('complaint_contacts'))) expect(leaks(dump), `after sending, table ${table}`).toEqual([]);

    // A contact removed after the message was queued: the reference goes dead at once, the error names no address.
    await act(handler.session, c.caseId, 'finish_internal_coordination', { note: 'Dibahas dengan seksi' });
    await env.DB.prepare('UPDATE complaint_contacts SET email = NULL WHERE case_id = ?').bind(c.caseId).run();
    const after = await deliverDue(workerEnv, Date.now() + 2000, { senders, batchSize: 500 });
    expect(after).toMatchObject({ dead: 1, sent: 1 });
    const dead = await env.DB.prepare("SELECT recipient, last_error FROM notifications WHERE case_id = ? AND status = 'dead'").bind(c.caseId).first<{ recipient: string; last_error: string }>();
    expect(dead!.recipient).toBe(`aduan-kontak:${c.caseId}`);
    expect(leaks(dead!.last_error)).toEqual([]);

    // The export and what the head of division reads over HTTP.
    expect(leaks(await exportCsv(env.DB, kabid.session))).toEqual([]);
    const as = await signIn(kabid.username, kabid.password);
    for (const path of [`/api/aduan/cases/${c.caseId}`, '/api/aduan/inbox?filter=all', '/api/aduan/export.csv', '/api/sync/pull?limit=500', '/api/dev/mailbox']) {
      const res = await as.fetch(path);
      expect(res.status, path).toBeLessThan(500);
      expect(leaks(await res.text()), path).toEqual([]);
    }
    expect(logged.length).toBeGreaterThan(0);
    expect(leaks(logged.join('\n'))).toEqual([]);
  });
});
