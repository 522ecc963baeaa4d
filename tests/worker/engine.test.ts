/** The SOP engine against real D1: every row of the KTP-el table allowed and refused, idempotency, conflicts, audit. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ROLES, type Role } from '../../schema/roles';
import { ktpel } from '../../schema/workflows/ktpel';
import { allAuditRows } from '../../worker/db/audit';
import { seal, verify } from './helpers/audit';
import { applyCommand, applyCommands, type EngineContext } from '../../worker/engine';
import type { Session } from '../../worker/middleware/session';
import { registryFor } from '../../worker/db/registry';
import { seedMinimalOffice, uuid7, RESIDENT_NIK, OTHER_OFFICE_NIK } from './helpers/fixtures';

function session(roles: Role[], officeCode = '63.09', id = `u-${roles.join('-')}`): Session {
  return { tokenHash: 'x', subjectType: 'staff', subjectId: id, displayName: id, officeCode, roles };
}
function ctx(s: Session): EngineContext {
  return { db: env.DB, session: s, ip: '127.0.0.1', now: Date.now(), registry: registryFor(env) };
}
const fo = session(['front_office']);
const op = session(['operator']);
/** Blank serials are controlled stock (one use per office), so every printed card takes a fresh one. */
const serial = () => `BLK-${crypto.randomUUID().slice(0, 8)}`;
const submitInput = { nik: RESIDENT_NIK, reason: 'baru', channel: 'counter', phone: '081234567890' };

async function newCase(): Promise<{ caseId: string; version: number }> {
  const caseId = uuid7();
  const r = await applyCommand(ctx(fo), { id: uuid7(), type: 'create', caseId, service: 'ktpel', input: submitInput });
  expect(r.status).toBe('applied');
  return { caseId, version: r.case!.version };
}

/** Drives a fresh case to `state` along the happy path (or the return branch). */
async function caseIn(state: string): Promise<{ caseId: string; version: number }> {
  const path: Record<string, [string, Session, Record<string, unknown>][]> = {
    submitted: [],
    returned: [['return_incomplete', fo, { returnReason: 'KK belum dilampirkan' }]],
    accepted: [['accept', fo, {}]],
    printing: [['accept', fo, {}], ['record_input', op, {}]],
    ready: [['accept', fo, {}], ['record_input', op, {}], ['hand_to_fo', op, { blankoSerial: serial() }]],
    collected: [['accept', fo, {}], ['record_input', op, {}], ['hand_to_fo', op, { blankoSerial: serial() }], ['collect', fo, {}]],
  };
  let { caseId, version } = await newCase();
  for (const [action, who, input] of path[state]!) {
    const r = await applyCommand(ctx(who), { id: uuid7(), type: 'action', caseId, action, baseVersion: version, input });
    expect(r.status, `${action}: ${JSON.stringify(r.problem)}`).toBe('applied');
    version = r.case!.version;
  }
  return { caseId, version };
}

const validInputs: Record<string, () => Record<string, unknown>> = {
  return_incomplete: () => ({ returnReason: 'KK belum dilampirkan' }),
  resubmit: () => ({}),
  accept: () => ({}),
  record_input: () => ({}),
  spoil_blank: () => ({ spoiledSerial: serial(), spoilReason: 'misprint' }),
  hand_to_fo: () => ({ blankoSerial: serial() }),
  collect: () => ({}),
};

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
});

describe('KTP-el table: every (state, action, role) row', () => {
  const states = Object.keys(ktpel.states);
  const actions = Object.entries(ktpel.actions).filter(([, d]) => d.from !== null);
  for (const state of states) {
    for (const [action, def] of actions) {
      const allowedFrom = def.from!.includes(state as never);
      for (const role of STAFF_ROLES) {
        const expected = !allowedFrom ? 'illegal_action' : def.roles.includes(role) ? 'applied' : 'forbidden_role';
        it(`${state} --${action}--> as ${role}: ${expected}`, async () => {
          const { caseId, version } = await caseIn(state);
          const r = await applyCommand(ctx(session([role])), { id: uuid7(), type: 'action', caseId, action, baseVersion: version, input: validInputs[action]!() });
          if (expected === 'applied') {
            expect(r.status).toBe('applied');
            expect(r.case).toMatchObject({ state: def.to, version: version + 1 });
          } else {
            expect(r.status).toBe('rejected');
            expect(r.problem?.code).toBe(expected);
          }
        });
      }
    }
  }

  it('creates only through submit, by front office (resident creation is tested with resident sessions)', async () => {
    for (const role of STAFF_ROLES) {
      const r = await applyCommand(ctx(session([role])), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'ktpel', input: submitInput });
      expect(r.status, role).toBe(role === 'front_office' ? 'applied' : 'rejected');
      if (role !== 'front_office') expect(r.problem?.code).toBe('forbidden_role');
    }
  });
});

describe('engine guards', () => {
  it('refuses invalid input with validation_failed and unknown actions with illegal_action', async () => {
    const { caseId, version } = await newCase();
    const bad = await applyCommand(ctx(fo), { id: uuid7(), type: 'action', caseId, action: 'return_incomplete', baseVersion: version, input: { returnReason: '' } });
    expect(bad.problem?.code).toBe('validation_failed');
    const extra = await applyCommand(ctx(fo), { id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: version, input: { sneaky: 1 } });
    expect(extra.problem?.code).toBe('validation_failed');
    const unknown = await applyCommand(ctx(fo), { id: uuid7(), type: 'action', caseId, action: 'teleport', baseVersion: version, input: {} });
    expect(unknown.problem?.code).toBe('illegal_action');
  });

  it('refuses a NIK that is not in the registry and one from another office', async () => {
    const missing = await applyCommand(ctx(fo), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'ktpel', input: { ...submitInput, nik: '6309015501900099' } });
    expect(missing.problem?.code).toBe('resident_not_found');
    const other = await applyCommand(ctx(fo), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'ktpel', input: { ...submitInput, nik: OTHER_OFFICE_NIK } });
    expect(other.problem?.code).toBe('forbidden_object');
  });

  it('a stale version is a conflict carrying the current case, and changes nothing', async () => {
    const { caseId, version } = await caseIn('accepted');
    const r = await applyCommand(ctx(fo), { id: uuid7(), type: 'action', caseId, action: 'return_incomplete', baseVersion: version - 1, input: { returnReason: 'terlambat' } });
    expect(r.status).toBe('conflict');
    expect(r.problem?.code).toBe('stale_version');
    expect(r.case).toMatchObject({ state: 'accepted', version });
    const row = await env.DB.prepare('SELECT state, version FROM cases WHERE id = ?').bind(caseId).first();
    expect(row).toEqual({ state: 'accepted', version });
  });

  it('staff of another office cannot act on the case', async () => {
    const { caseId, version } = await newCase();
    const r = await applyCommand(ctx(session(['front_office'], '15.71')), { id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: version, input: {} });
    expect(r.problem?.code).toBe('forbidden_object');
  });

  it('the same command twice has one effect and the repeat says duplicate', async () => {
    const { caseId, version } = await newCase();
    const cmd = { id: uuid7(), type: 'action' as const, caseId, action: 'accept', baseVersion: version, input: {} };
    const first = await applyCommand(ctx(fo), cmd);
    const again = await applyCommand(ctx(fo), cmd);
    expect(first.status).toBe('applied');
    expect(again.status).toBe('duplicate');
    expect(again.case?.version).toBe(first.case?.version);
    const steps = await env.DB.prepare("SELECT count(*) AS n FROM case_steps WHERE case_id = ? AND action = 'accept'").bind(caseId).first<{ n: number }>();
    expect(steps?.n).toBe(1);
    const mails = await env.DB.prepare('SELECT count(*) AS n FROM notifications WHERE case_id = ?').bind(caseId).first<{ n: number }>();
    expect(mails?.n).toBe(2); // one email, one WhatsApp for the receipt
  });

  it('a rejected command repeated gets the same rejection', async () => {
    const { caseId, version } = await newCase();
    const cmd = { id: uuid7(), type: 'action' as const, caseId, action: 'collect', baseVersion: version, input: {} };
    const first = await applyCommand(ctx(fo), cmd);
    const again = await applyCommand(ctx(fo), cmd);
    expect(first.problem?.code).toBe('illegal_action');
    expect(again).toMatchObject({ status: 'rejected', problem: { code: 'illegal_action' } });
  });

  it('two racing commands on one version: one applies, the other conflicts', async () => {
    const { caseId, version } = await newCase();
    const [a, b] = await Promise.all([
      applyCommand(ctx(fo), { id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: version, input: {} }),
      applyCommand(ctx(fo), { id: uuid7(), type: 'action', caseId, action: 'return_incomplete', baseVersion: version, input: { returnReason: 'foto buram' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['applied', 'conflict']);
    const steps = await env.DB.prepare('SELECT count(*) AS n FROM case_steps WHERE case_id = ?').bind(caseId).first<{ n: number }>();
    expect(steps?.n).toBe(2);
  });

  it('every applied step is in the audit chain, which verifies, with NIKs masked', async () => {
    const { caseId } = await caseIn('collected');
    const rows = await allAuditRows(env.DB);
    const mine = rows.filter((r) => r.object === `case:${caseId}`);
    expect(mine.map((r) => r.action)).toEqual(['ktpel.submit', 'ktpel.accept', 'ktpel.record_input', 'ktpel.hand_to_fo', 'ktpel.collect']);
    expect(JSON.stringify(rows)).not.toContain(RESIDENT_NIK);
    await seal();
    expect(await verify()).toMatchObject({ ok: true });
  });
});

/** D1 with its round trips counted: each batch, and each statement run on its own. */
function countingDb(db: D1Database) {
  const calls = { batches: 0, statements: 0 };
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (st: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(st, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'bind') return (...args: unknown[]) => wrap((value as (...a: unknown[]) => D1PreparedStatement).apply(target, args));
        if (key === 'first' || key === 'all' || key === 'run' || key === 'raw') {
          return (...args: unknown[]) => {
            calls.statements++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    real.set(proxy, st);
    return proxy;
  };
  const counted = new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (sql: string) => wrap(target.prepare(sql));
      if (key === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          calls.batches++;
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: counted, calls };
}

describe('round trips of a push', () => {
  it('50 creates and their 50 acceptances (one tablet\'s push of 100) cost a fixed number of D1 round trips, not one per command', async () => {
    const { db, calls } = countingDb(env.DB);
    const cmds = Array.from({ length: 50 }, () => uuid7()).flatMap((caseId) => [
      { id: uuid7(), type: 'create' as const, caseId, service: 'ktpel', input: submitInput },
      { id: uuid7(), type: 'action' as const, caseId, action: 'accept', baseVersion: 1, input: {} },
    ]);
    const results = await applyCommands({ ...ctx(fo), db }, cmds);
    expect(results.map((r) => r.status)).toEqual(cmds.map(() => 'applied'));
    // One read batch (commands, cases) and one write batch; besides them only the residents the creates name and
    // the office's hours (cached per isolate), whatever the size of the push.
    expect(calls.batches).toBe(2);
    expect(calls.statements).toBeLessThanOrEqual(2);
  });
});
