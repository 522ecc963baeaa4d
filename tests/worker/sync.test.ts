/** The sync protocol over HTTP with real sessions: push idempotency, conflicts, pull cursors, role and office scoping, bad input. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { verifyChain } from '../../worker/audit-chain';
import { allAuditRows } from '../../worker/db/audit';
import { api, createStaff, signIn, type SignedIn } from './helpers/auth';
import { RESIDENT_NIK, seedMinimalOffice } from './helpers/fixtures';

let fo: SignedIn;
let op: SignedIn;
let jambiFo: SignedIn;
let partner: SignedIn;

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  const [a, b, c, d] = await Promise.all([
    createStaff({ roles: ['front_office'] }),
    createStaff({ roles: ['operator'] }),
    createStaff({ roles: ['front_office'], officeCode: '15.71' }),
    createStaff({ roles: ['partner_operator'] }),
  ]);
  [fo, op, jambiFo, partner] = await Promise.all([signIn(a.username, a.password), signIn(b.username, b.password), signIn(c.username, c.password), signIn(d.username, d.password)]);
});

const createCmd = (caseId = uuid7()) => ({
  id: uuid7(),
  type: 'create' as const,
  caseId,
  service: 'ktpel',
  input: { nik: RESIDENT_NIK, reason: 'hilang', channel: 'counter' },
});

async function push(who: SignedIn, commands: unknown[]) {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands } });
  return { res, body: (await res.json()) as { results: { commandId: string; status: string; case?: { id: string; version: number; state: string }; problem?: { code: string } }[] } };
}

describe('POST /api/sync/push', () => {
  it('applies commands in order: create, then act on the new case, in one push', async () => {
    const create = createCmd();
    const accept = { id: uuid7(), type: 'action', caseId: create.caseId, action: 'accept', baseVersion: 1, input: {} };
    const { res, body } = await push(fo, [create, accept]);
    expect(res.status).toBe(200);
    expect(body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(body.results[1]!.case).toMatchObject({ state: 'accepted', version: 2 });
  });

  it('the same push twice has one effect; the repeat reports duplicate with the current case', async () => {
    const cmd = createCmd();
    const first = await push(fo, [cmd]);
    const second = await push(fo, [cmd]);
    expect(first.body.results[0]!.status).toBe('applied');
    expect(second.body.results[0]).toMatchObject({ status: 'duplicate', case: { id: cmd.caseId, version: 1 } });
    const n = await env.DB.prepare('SELECT count(*) AS n FROM cases WHERE id = ?').bind(cmd.caseId).first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it('an action on an old version comes back as conflict with the current state', async () => {
    const create = createCmd();
    await push(fo, [create, { id: uuid7(), type: 'action', caseId: create.caseId, action: 'accept', baseVersion: 1, input: {} }]);
    const { body } = await push(fo, [{ id: uuid7(), type: 'action', caseId: create.caseId, action: 'return_incomplete', baseVersion: 1, input: { returnReason: 'foto buram' } }]);
    expect(body.results[0]).toMatchObject({ status: 'conflict', problem: { code: 'stale_version' }, case: { state: 'accepted', version: 2 } });
  });

  it('a conflicting command pushed again is still a conflict (a client that missed the first answer must see it)', async () => {
    const create = createCmd();
    await push(fo, [create, { id: uuid7(), type: 'action', caseId: create.caseId, action: 'accept', baseVersion: 1, input: {} }]);
    const late = { id: uuid7(), type: 'action', caseId: create.caseId, action: 'return_incomplete', baseVersion: 1, input: { returnReason: 'foto buram' } };
    const first = await push(fo, [late]);
    const again = await push(fo, [late]);
    expect(first.body.results[0]).toMatchObject({ status: 'conflict', problem: { code: 'stale_version' } });
    expect(again.body.results[0]).toMatchObject({ status: 'conflict', problem: { code: 'stale_version' }, case: { state: 'accepted', version: 2 } });
  });

  it('another office cannot act on the case, nor read it', async () => {
    const create = createCmd();
    await push(fo, [create]);
    const { body } = await push(jambiFo, [{ id: uuid7(), type: 'action', caseId: create.caseId, action: 'accept', baseVersion: 1, input: {} }]);
    expect(body.results[0]).toMatchObject({ status: 'rejected', problem: { code: 'forbidden_object' } });
    expect(body.results[0]!.case).toBeUndefined();
    expect((await jambiFo.fetch(`/api/cases/${create.caseId}`)).status).toBe(403);
    const row = await env.DB.prepare('SELECT state FROM cases WHERE id = ?').bind(create.caseId).first();
    expect(row).toEqual({ state: 'submitted' });
  });

  it('a role outside the SOP row is refused', async () => {
    const { body } = await push(op, [createCmd()]);
    expect(body.results[0]).toMatchObject({ status: 'rejected', problem: { code: 'forbidden_role' } });
  });

  it('needs a session and a same-origin request', async () => {
    const anon = await api('/api/sync/push', { method: 'POST', json: { commands: [createCmd()] } });
    expect(anon.status).toBe(401);
    const cross = await fo.fetch('/api/sync/push', { method: 'POST', json: { commands: [createCmd()] }, headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ code: 'csrf_rejected' });
  });

  it('answers bad input with 4xx problem+json, never 500', async () => {
    const cases: [string, unknown, number, string][] = [
      ['malformed JSON', '{"commands": [', 400, 'bad_json'],
      ['unknown top-level field', { commands: [createCmd()], extra: true }, 422, 'validation_failed'],
      ['unknown command field', { commands: [{ ...createCmd(), sneaky: 1 }] }, 422, 'validation_failed'],
      ['wrong types', { commands: [{ ...createCmd(), caseId: 42 }] }, 422, 'validation_failed'],
      ['not a UUIDv7', { commands: [{ ...createCmd(), id: 'abc' }] }, 422, 'validation_failed'],
      ['empty list', { commands: [] }, 422, 'validation_failed'],
    ];
    for (const [what, body, status, code] of cases) {
      const res = await fo.fetch('/api/sync/push', typeof body === 'string' ? { method: 'POST', body, headers: { 'content-type': 'application/json' } } : { method: 'POST', json: body });
      expect(res.status, what).toBe(status);
      expect(res.headers.get('content-type'), what).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code, what).toBe(code);
    }
    const big = await fo.fetch('/api/sync/push', { method: 'POST', body: JSON.stringify({ commands: [{ ...createCmd(), input: { notes: 'x'.repeat(300_000) } }] }), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    const text = await fo.fetch('/api/sync/push', { method: 'POST', body: 'commands', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });
});

describe('GET /api/sync/pull', () => {
  it('returns each changed case once, in server order, and the cursor moves on', async () => {
    const start = (await (await fo.fetch('/api/sync/pull?cursor=0&limit=500')).json()) as { cursor: number };
    const create = createCmd();
    await push(fo, [create, { id: uuid7(), type: 'action', caseId: create.caseId, action: 'accept', baseVersion: 1, input: {} }]);
    const page = (await (await op.fetch(`/api/sync/pull?cursor=${start.cursor}`)).json()) as { cursor: number; cases: { id: string; version: number; residentNikMasked: string; data: { nik: string } }[] };
    const mine = page.cases.filter((c) => c.id === create.caseId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.version).toBe(2);
    expect(mine[0]!.data.nik).not.toBe(RESIDENT_NIK);
    expect(page.cursor).toBeGreaterThan(start.cursor);
    const after = (await (await op.fetch(`/api/sync/pull?cursor=${page.cursor}`)).json()) as { cases: unknown[] };
    expect(after.cases).toEqual([]);
  });

  it('is scoped to the office and to roles that take part in the service', async () => {
    const create = createCmd();
    await push(fo, [create]);
    const jambi = (await (await jambiFo.fetch('/api/sync/pull?cursor=0&limit=500')).json()) as { cases: { id: string }[] };
    expect(jambi.cases.some((c) => c.id === create.caseId)).toBe(false);
    const mid = (await (await partner.fetch('/api/sync/pull?cursor=0&limit=500')).json()) as { cases: { id: string }[] };
    expect(mid.cases).toEqual([]);
    expect((await api('/api/sync/pull')).status).toBe(401);
  });
});

describe('audit chain', () => {
  it('verifies, and detects an edited row at its sequence number', async () => {
    await push(fo, [createCmd()]);
    const rows = await allAuditRows(env.DB);
    expect(await verifyChain(rows)).toMatchObject({ ok: true });
    const victim = rows[Math.floor(rows.length / 2)]!;
    // The append-only triggers stop the app; a tamperer with database access drops them first.
    await env.DB.exec('DROP TRIGGER audit_log_no_update');
    await env.DB.prepare("UPDATE audit_log SET detail_json = '{\"edited\":true}' WHERE seq = ?").bind(victim.seq).run();
    expect(await verifyChain(await allAuditRows(env.DB))).toMatchObject({ ok: false, brokenAt: victim.seq, reason: 'hash_mismatch' });
  });

  it('refuses updates and deletes through the append-only triggers', async () => {
    await push(fo, [createCmd()]);
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
  });
});
