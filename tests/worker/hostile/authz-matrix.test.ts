/**
 * Authorization matrix generated from the OpenAPI route list (issue 8): every route × every subject (anonymous, a
 * resident with a registration session, one with a full session, each staff role, a birth partner's clerk) × own
 * object / another office's, another resident's or (the clerk's birth objects) another partner's, against the
 * expected answer written as data in authz-expectations.ts. A route without an expectation fails, so a route added later is covered the day it appears. `npm test` runs four staff roles;
 * `npm run test:hostile` runs all nine.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../../schema/roles';
import { BODIES, EXPECTATIONS, type Outcome, type Spec } from './authz-expectations';
import { buildWorld, fillPath, type Operation, operations, type Subject, type World } from './world';

const FULL = (env as unknown as { HOSTILE?: string }).HOSTILE === '1';
const FAST_ROLES: StaffRole[] = ['admin', 'front_office', 'operator', 'head_of_office'];

/** Authorization refusals by their stable code; any other answer means the request got past who-may-ask. */
const REFUSALS: Record<string, Outcome> = {
  unauthenticated: 'unauth',
  session_expired: 'unauth',
  forbidden_role: 'forbidden',
  forbidden_object: 'forbidden',
  assurance_insufficient: 'forbidden',
  // A field officer not named on a RETAS assignment letter (worker/routes/retas-events.ts).
  retas_not_assigned: 'forbidden',
  // The pickup routes' object check: a receipt signed by another office.
  receipt_other_office: 'forbidden',
};

function classify(status: number, code: string | undefined): Outcome {
  if (code && REFUSALS[code]) return REFUSALS[code]!;
  if (status === 404) return 'hidden';
  return 'reached';
}

function expected(spec: Spec, s: Subject): Outcome | undefined {
  const named = (spec as Record<string, Outcome | undefined>)[s.name];
  if (named) return named;
  if (s.name === 'partnerClerk' && spec.partner_operator) return spec.partner_operator;
  if (s.kind === 'staff') return spec.staff;
  if (s.name === 'residentFull') return spec.resident;
  return undefined;
}

/** The observed row in the data file's own notation, printed when a route has no expectation or disagrees. */
function notation(observed: Map<string, Outcome>, subjects: Subject[]): string {
  const staff = subjects.filter((s) => s.kind === 'staff').map((s) => observed.get(s.name)!);
  const counts = new Map<Outcome, number>();
  for (const o of staff) counts.set(o, (counts.get(o) ?? 0) + 1);
  const common = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
  const parts = [`anonymous: '${observed.get('anonymous')}'`, `resident: '${observed.get('resident')}'`];
  if (observed.get('residentFull') !== observed.get('resident')) parts.push(`residentFull: '${observed.get('residentFull')}'`);
  if (common) parts.push(`staff: '${common}'`);
  for (const s of subjects) if (s.kind === 'staff' && observed.get(s.name) !== common) parts.push(`${s.name}: '${observed.get(s.name)}'`);
  return `{ ${parts.join(', ')} }`;
}

describe('authorization matrix (routes from /api/openapi.json)', () => {
  let world: World;
  let ops: Operation[];
  beforeAll(async () => {
    world = await buildWorld(FULL ? undefined : FAST_ROLES);
    // Signing out last: it ends the session every later request of that subject would need.
    ops = (await operations()).sort((a, b) => Number(a.key === 'POST /api/auth/logout') - Number(b.key === 'POST /api/auth/logout'));
  }, 120_000);

  it('every route has an expectation, and no expectation names a route that is gone', () => {
    const keys = new Set(ops.map((o) => o.key));
    expect(ops.filter((o) => !EXPECTATIONS[o.key]).map((o) => o.key), 'routes without an expectation in authz-expectations.ts').toEqual([]);
    expect(Object.keys(EXPECTATIONS).filter((k) => !keys.has(k)), 'expectations of routes that no longer exist').toEqual([]);
  });

  it('answers every route × subject × object as written, never 5xx, every refusal problem+json', async () => {
    const mismatches: string[] = [];
    let requests = 0;
    for (const op of ops) {
      // A route without an expectation still runs: the failure prints what it answered, to review and write down.
      const exp = EXPECTATIONS[op.key];
      for (const variant of op.hasParams || exp?.objectInBody ? (['own', 'other'] as const) : (['own'] as const)) {
        const spec = variant === 'own' ? exp?.own : exp?.other;
        if (exp && !spec) mismatches.push(`${op.key}: a route with an object needs an "other" expectation`);
        const observed = new Map<string, Outcome>();
        for (const s of world.subjects) {
          const ids = s.name === 'partnerClerk' ? world.ids.partnerClerk : s.kind === 'staff' || s.kind === 'anonymous' ? world.ids.staff : s.name === 'resident' ? world.ids.resident : world.ids.residentFull;
          const path = fillPath(op.path, ids[variant]) + (exp?.query ?? '');
          const makeBody = exp?.body ?? BODIES[op.key];
          const body = makeBody ? makeBody({ ids: ids[variant], device: world.device, subject: s.name }) : {};
          const upload = exp?.upload?.();
          // Straight to the Worker's fetch (helpers/auth.ts `direct`): through SELF each of ~900 requests costs more than the last.
          const init = op.method === 'GET' ? { method: op.method, direct: true } : upload ? { method: op.method, body: upload.bytes, headers: { 'content-type': upload.type }, direct: true } : { method: op.method, json: body, direct: true };
          const res = await s.fetch(path, init);
          requests++;
          let code: string | undefined;
          if (res.status >= 500) mismatches.push(`${op.key} [${variant}] as ${s.name}: ${res.status}`);
          if (res.status >= 400) {
            const type = res.headers.get('content-type') ?? '';
            if (!type.includes('application/problem+json')) mismatches.push(`${op.key} [${variant}] as ${s.name}: ${res.status} not problem+json (${type})`);
            else code = ((await res.json()) as { code?: string }).code;
            if (type.includes('application/problem+json') && typeof code !== 'string') mismatches.push(`${op.key} [${variant}] as ${s.name}: problem without a code`);
          } else await res.body?.cancel();
          if (code === 'validation_failed' || code === 'bad_json') mismatches.push(`${op.key} [${variant}] as ${s.name}: ${code} (the matrix's body must pass the contract)`);
          const outcome = classify(res.status, code);
          observed.set(s.name, outcome);
          const want = spec && expected(spec, s);
          if (want !== outcome) mismatches.push(`${op.key} [${variant}] as ${s.name}: expected ${want ?? '(none written)'}, got ${outcome} (${res.status})`);
        }
        if (mismatches.some((m) => m.startsWith(`${op.key} [${variant}]`))) mismatches.push(`  observed ${op.key} ${variant}: ${notation(observed, world.subjects)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Where the answer alone cannot show the object check: Kota Jambi's school and card at the counter are untouched
    // by Tabalong's staff, while Tabalong's front office did hand its own card over.
    const jambiSchool = await env.DB.prepare('SELECT name FROM retas_schools WHERE office_code = ? AND npsn = ?').bind(world.ids.staff.other.code, world.ids.staff.other.npsn).first<{ name: string }>();
    expect(jambiSchool?.name).toBe('SMA NEGERI MATRIKS JAMBI');
    const stateOf = async (id: string) => (await env.DB.prepare('SELECT state FROM cases WHERE id = ?').bind(id).first<{ state: string }>())?.state;
    expect(await stateOf(world.ids.staff.other.receiptCase!)).toBe('ready');
    expect(await stateOf(world.ids.staff.own.receiptCase!)).toBe(world.subjects.some((s) => s.name === 'front_office') ? 'collected' : 'ready');
    expect(requests).toBeGreaterThan(ops.length * world.subjects.length);
    console.info(JSON.stringify({ event: 'authz_matrix', routes: ops.length, subjects: world.subjects.length, requests }));
  }, 600_000);
});
