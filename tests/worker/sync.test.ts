/** The sync protocol over HTTP with real sessions: push idempotency, conflicts, pull cursors, role and office scoping, bad input. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
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

describe('nothing sticks: commands that arrive before what they build on', () => {
  const action = (caseId: string, action: string, baseVersion: number, input: Record<string, unknown> = {}) => ({ id: uuid7(), type: 'action', caseId, action, baseVersion, input });

  it('an action before its create is deferred, not stored: resent after the create, it applies', async () => {
    const create = createCmd();
    const accept = action(create.caseId, 'accept', 1);
    const early = await push(fo, [accept]);
    expect(early.body.results[0]).toMatchObject({ status: 'deferred', problem: { code: 'case_not_arrived' } });
    expect(await env.DB.prepare('SELECT 1 FROM commands WHERE id = ?').bind(accept.id).first()).toBeNull();
    const later = await push(fo, [create, accept]);
    expect(later.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(later.body.results[1]!.case).toMatchObject({ state: 'accepted', version: 2 });
  });

  it('reordered actions: one built on a version the server lacks waits; after the earlier one, both apply in order', async () => {
    const create = createCmd();
    await push(fo, [create]);
    const accept = action(create.caseId, 'accept', 1);
    const collectPrint = action(create.caseId, 'record_input', 2);
    const swapped = await push(op, [collectPrint]);
    expect(swapped.body.results[0]).toMatchObject({ status: 'deferred', problem: { code: 'version_not_arrived' } });
    expect((await push(fo, [accept])).body.results[0]!.status).toBe('applied');
    expect((await push(op, [collectPrint])).body.results[0]).toMatchObject({ status: 'applied', case: { version: 3 } });
  });

  it('a push with the action first and its create second: the action is deferred, the create applies, a resend applies', async () => {
    const create = createCmd();
    const accept = action(create.caseId, 'accept', 1);
    const { body } = await push(fo, [accept, create]);
    expect(body.results.map((r) => r.status)).toEqual(['deferred', 'applied']);
    expect((await push(fo, [accept])).body.results[0]).toMatchObject({ status: 'applied', case: { state: 'accepted' } });
  });
});

describe('concurrent writers', () => {
  it('20 clients pushing at once on different cases: all applied; on one case: one applied, the rest conflict; never a 5xx', async () => {
    const creates = Array.from({ length: 20 }, () => createCmd());
    const answers = await Promise.all(creates.map((c) => push(fo, [c])));
    expect(answers.map((a) => a.res.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.body.results[0]!.status)).toEqual(Array(20).fill('applied'));
    const target = creates[0]!.caseId;
    const racing = await Promise.all(
      Array.from({ length: 10 }, () => push(fo, [{ id: uuid7(), type: 'action', caseId: target, action: 'accept', baseVersion: 1, input: {} }])),
    );
    expect(racing.map((a) => a.res.status)).toEqual(Array(10).fill(200));
    const statuses = racing.map((a) => a.body.results[0]!.status).sort();
    expect(statuses.filter((s) => s === 'applied')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'conflict')).toHaveLength(9);
  });

  it('the same push sent 10 times at once has exactly one effect', async () => {
    const create = createCmd();
    const accept = { id: uuid7(), type: 'action', caseId: create.caseId, action: 'accept', baseVersion: 1, input: {} };
    const answers = await Promise.all(Array.from({ length: 10 }, () => push(fo, [create, accept])));
    expect(answers.map((a) => a.res.status)).toEqual(Array(10).fill(200));
    for (const a of answers) for (const r of a.body.results) expect(['applied', 'duplicate']).toContain(r.status);
    const steps = await env.DB.prepare('SELECT count(*) AS n FROM case_steps WHERE case_id = ?').bind(create.caseId).first<{ n: number }>();
    const changes = await env.DB.prepare('SELECT count(*) AS n FROM changes WHERE case_id = ?').bind(create.caseId).first<{ n: number }>();
    const audit = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE object = ?').bind(`case:${create.caseId}`).first<{ n: number }>();
    expect([steps?.n, changes?.n, audit?.n]).toEqual([2, 2, 2]);
  });
});

describe('pull past 100 changed cases', () => {
  it('pages through 1,000 changed cases with the PWA page size (200) and the maximum (500)', async () => {
    const start = (await (await fo.fetch('/api/sync/pull?cursor=0&limit=500')).json()) as { cursor: number; more: boolean };
    let cursor = start.cursor;
    for (let more = start.more; more; ) {
      const page = (await (await fo.fetch(`/api/sync/pull?cursor=${cursor}&limit=500`)).json()) as { cursor: number; more: boolean };
      cursor = page.cursor;
      more = page.more;
    }
    const ids = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const batch = Array.from({ length: 100 }, () => createCmd());
      const { body } = await push(fo, batch);
      expect(body.results.every((r) => r.status === 'applied')).toBe(true);
      for (const c of batch) ids.add(c.caseId);
    }
    for (const limit of [200, 500]) {
      const seen = new Set<string>();
      let at = cursor;
      for (let pages = 0; pages < 20; pages++) {
        const res = await fo.fetch(`/api/sync/pull?cursor=${at}&limit=${limit}`);
        expect(res.status).toBe(200);
        const page = (await res.json()) as { cursor: number; more: boolean; cases: { id: string }[] };
        expect(page.cases.length).toBeLessThanOrEqual(limit);
        for (const c of page.cases) seen.add(c.id);
        at = page.cursor;
        if (!page.more) break;
      }
      expect([...ids].every((id) => seen.has(id))).toBe(true);
    }
  });
});
