/**
 * A fuzzer driven by the OpenAPI document (issue 8): for every route, bodies, path and query parameters generated
 * from its schemas with fast-check (mostly valid, some bent, some not JSON), sent as anonymous, a resident with a
 * full session and staff of three roles. No answer may be 5xx; every 4xx is problem+json with a stable code whose
 * status is the one schema/problems.ts gives it. `npm test`: 8 requests a route; `npm run test:hostile`: at least
 * 10,000 requests in all (the issue's figure, recorded in docs/reliability.md): 40 on each costly route (a full
 * PBKDF2 run for a valid body, or a walk over the whole audit chain), the rest evenly on the others.
 */
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../../schema/problems';
import { hostileBody, type JsonSchema, valid } from './openapi-arbitrary';
import { api } from '../helpers/auth';
import { buildWorld, type World } from './world';

const FULL = (env as unknown as { HOSTILE?: string }).HOSTILE === '1';
/** `k/n` (LOKET_FUZZ_SHARD): fuzz routes k, k+n, k+2n … only, so n processes share the full form; the sum is the figure. */
const SHARD = /^(\d+)\/(\d+)$/.exec((env as unknown as { FUZZ_SHARD?: string }).FUZZ_SHARD ?? '');
/** The full form's floor: the figure the issue asks for, whatever the number of routes. */
const FULL_REQUESTS = 10_000;
const FAST_RUNS_PER_ROUTE = 8;
/**
 * Costly routes: PBKDF2 (100,000 iterations) on a valid body, or the audit chain walked and signed whole. The full
 * form gives each HASHING_RUNS requests.
 */
const HASHING_ROUTES = new Set([
  'POST /api/auth/login', 'POST /api/auth/change-password', 'POST /api/staff', 'PATCH /api/staff/{id}', 'POST /api/ikd/login',
  'POST /api/ikd/activation/verify', 'POST /api/ikd/activation/complete', 'POST /api/ikd/device/release', 'POST /api/ikd/pin', 'POST /api/birth/sign',
  'GET /api/audit/verify', 'POST /api/audit/checkpoint',
]);
const HASHING_RUNS = 40;
/**
 * Routes fuzzed at once. One: the isolate runs one request's CPU at a time, and a costly route beside a cheap one only
 * makes the cheap one wait.
 */
const LANES = 1;

interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema }
interface Op { method: string; path: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }
interface Doc { paths: Record<string, Record<string, Op>>; components?: { schemas?: Record<string, JsonSchema> } }

describe('OpenAPI-driven fuzzing', () => {
  let world: World;
  let doc: Doc;
  beforeAll(async () => {
    world = await buildWorld(['admin', 'operator', 'front_office']);
    doc = (await (await api('/api/openapi.json')).json()) as Doc;
  }, 120_000);

  it(`sends ${FULL ? `≥ ${FULL_REQUESTS}` : `${FAST_RUNS_PER_ROUTE} a route`} generated requests over every route: no 5xx, every 4xx problem+json with its stable code`, async () => {
    const suiteStarted = Date.now();
    const components = doc.components?.schemas ?? {};
    const known = [...Object.values(world.ids.staff.own), ...Object.values(world.ids.staff.other)];
    // Subjects that keep their session: signing out is fuzzed anonymously only.
    const subjects = world.subjects.filter((s) => s.name !== 'resident');
    const tally = new Map<string, number>();
    let requests = 0;
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, path, method: method.toUpperCase() })));
    const hashing = ops.filter((op) => HASHING_ROUTES.has(`${op.method} ${op.path}`)).length;
    const lightRuns = FULL ? Math.ceil((FULL_REQUESTS - hashing * HASHING_RUNS) / (ops.length - hashing)) : FAST_RUNS_PER_ROUTE;
    const runsOf = (op: (typeof ops)[number]) => (FULL && HASHING_ROUTES.has(`${op.method} ${op.path}`) ? HASHING_RUNS : lightRuns);
    const mine = SHARD ? ops.filter((_, i) => i % Number(SHARD[2]) === Number(SHARD[1]) - 1) : ops;
    const planned = mine.reduce((n, op) => n + runsOf(op), 0);
    const fuzzRoute = async (op: (typeof ops)[number]) => {
      const started = Date.now();
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const param = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) });
      const request = fc.record({
        subject: fc.constantFrom(...(op.path === '/api/auth/logout' ? subjects.filter((s) => s.kind === 'anonymous') : subjects)),
        params: fc.tuple(...pathParams.map(() => param)),
        query: fc.tuple(...queryParams.map((q) => fc.option(fc.oneof(valid(q.schema, components).map(String), fc.string({ maxLength: 30 }))))),
        body: op.method === 'GET' ? fc.constant<{ json?: unknown; raw?: string }>({}) : hostileBody(bodySchema, components),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ subject, params, query, body }) => {
          let url = op.path;
          pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, encodeURIComponent(params[i]!))));
          const qs = queryParams.flatMap((q, i) => (query[i] == null ? [] : [`${q.name}=${encodeURIComponent(query[i]!)}`])).join('&');
          // Straight to the Worker's fetch (helpers/auth.ts `direct`): through SELF the full form slowed to 1 s a request.
          const init = op.method === 'GET' ? { method: op.method, direct: true } : body.raw !== undefined ? { method: op.method, body: body.raw, headers: { 'content-type': 'application/json' }, direct: true } : { method: op.method, json: body.json, direct: true };
          const res = await subject.fetch(qs ? `${url}?${qs}` : url, init);
          requests++;
          const key = `${res.status}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);
          const text = await res.text();
          expect(res.status, `${op.method} ${url} as ${subject.name}: ${text.slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type'), `${op.method} ${url}`).toContain('application/problem+json');
            const problem = JSON.parse(text) as { code: keyof typeof PROBLEMS; status: number };
            expect(Object.keys(PROBLEMS), `${op.method} ${url}: code ${problem.code}`).toContain(problem.code);
            expect(problem.status).toBe(res.status);
            expect(PROBLEMS[problem.code].status, `${op.method} ${url}: ${problem.code}`).toBe(res.status);
          }
        }),
        { numRuns: runsOf(op), endOnFailure: true },
      );
      console.info(JSON.stringify({ event: 'fuzz_route', route: `${op.method} ${op.path}`, runs: runsOf(op), ms: Date.now() - started }));
    };
    const queue = [...mine];
    await Promise.all(Array.from({ length: LANES }, async () => {
      for (let op = queue.shift(); op; op = queue.shift()) await fuzzRoute(op);
    }));
    expect(requests).toBe(planned);
    if (FULL && !SHARD) expect(requests).toBeGreaterThanOrEqual(FULL_REQUESTS);
    if (FULL && SHARD) expect(ops.reduce((n, op) => n + runsOf(op), 0), 'all shards together').toBeGreaterThanOrEqual(FULL_REQUESTS);
    console.info(JSON.stringify({ event: 'fuzz', full: FULL, shard: SHARD?.[0] ?? null, routes: mine.length, hashingRoutes: hashing, requests, seconds: Math.round((Date.now() - suiteStarted) / 1000), statuses: Object.fromEntries([...tally].sort()) }));
  }, 7_200_000);
});
