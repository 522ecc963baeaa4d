/**
 * The served OpenAPI document as an integrator uses it: every operation named, secured as it really is, its 4xx
 * answers listing real problem codes; and a client typed by openapi-typescript from the document
 * (tests/worker/generated/openapi.ts, checked fresh by `npm run openapi`) compiles against the routes' real answers.
 */
import { describe, expect, it } from 'vitest';
import { PROBLEMS, type ProblemCode } from '../../schema/problems';
import type { operations } from './generated/openapi';
import { api, createStaff, signIn, testIp } from './helpers/auth';

type Json<Op extends keyof operations, S extends number, Media extends string = 'application/json'> = operations[Op]['responses'] extends Record<S, { content: Record<Media, infer B> }> ? B : never;

interface OpenApiDoc {
  info: { license?: { name: string } };
  components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
  paths: Record<string, Record<string, { operationId?: string; security?: Record<string, string[]>[]; responses: Record<string, { description: string; content?: Record<string, { schema: { allOf?: { properties?: { code?: { enum: string[] } } }[] } }> }> }>>;
}

async function servedDocument(): Promise<OpenApiDoc> {
  const res = await api('/api/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDoc;
}

describe('OpenAPI document', () => {
  it('names every operation once, declares its security and the problem codes of each 4xx answer', async () => {
    const doc = await servedDocument();
    expect(doc.info.license?.name).toBeTruthy();
    expect(doc.components.securitySchemes.session).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'loket_session' }));
    const ids = new Set<string>();
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })));
    expect(ops.length).toBeGreaterThan(40);
    for (const { at, op } of ops) {
      expect(op.operationId, `${at} has no operationId (add it to worker/openapi.ts)`).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(ids.has(op.operationId!), `${at}: operationId ${op.operationId} used twice`).toBe(false);
      ids.add(op.operationId!);
      expect(op.security, `${at} declares no security`).toBeDefined();
      const fourXx = Object.entries(op.responses).filter(([s]) => /^4\d\d$/.test(s));
      expect(fourXx.length, `${at} lists no 4xx answer`).toBeGreaterThan(0);
      for (const [status, answer] of fourXx) {
        const codes = answer.content?.['application/problem+json']?.schema.allOf?.[1]?.properties?.code?.enum ?? [];
        expect(codes.length, `${at} ${status} names no problem code`).toBeGreaterThan(0);
        for (const code of codes) expect(PROBLEMS[code as ProblemCode]?.status, `${at} ${status}: ${code}`).toBe(Number(status));
      }
    }
    // Public routes say so with an empty requirement; staff routes need the session cookie.
    expect(doc.paths['/api/ikd/register']!.post!.security).toEqual([]);
    expect(doc.paths['/api/cases']!.get!.security).toEqual([{ session: [] }]);
  });

  it('a client typed from the document reads the real answers: services, keys, sign-in refusal, own session', async () => {
    // Public: the SOP tables and the office keys.
    const services: Json<'servicesList', 200> = await (await api('/api/services')).json();
    const ktpel = services.find((s) => s.service === 'ktpel');
    expect(ktpel?.actions.submit?.roles).toContain('front_office');
    const jwks: Json<'officeJwks', 200> = await (await api('/.well-known/jwks.json')).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]!.kid).toBeTruthy();

    // A refusal: the problem's code is one the document lists for that answer.
    const refused = await api('/api/auth/login', { method: 'POST', json: { username: 'tidak-ada', password: 'salah-sekali-123' }, ip: testIp() });
    expect(refused.status).toBe(401);
    const problem: Json<'authLogin', 401, 'application/problem+json'> = await refused.json();
    const listed: ProblemCode[] = ['invalid_credentials', 'unauthenticated', 'session_expired'];
    expect(listed).toContain(problem.code);

    // With a session: sign in, then GET /api/auth/me typed by the document.
    const staff = await createStaff({ roles: ['front_office'] });
    const session = await signIn(staff.username, staff.password, { ip: testIp() });
    const me: Json<'authMe', 200> = await (await session.fetch('/api/auth/me')).json();
    expect(me.user.username).toBe(staff.username);
    expect(me.user.roles).toEqual(['front_office']);
    const cases: Json<'casesList', 200> = await (await session.fetch('/api/cases')).json();
    expect(Array.isArray(cases.cases)).toBe(true);
  });

  it('the docs page says how to authenticate, how problem codes read, and links the document', async () => {
    const html = await (await api('/api/docs')).text();
    expect(html).toContain('<h2>Authentication</h2>');
    expect(html).toContain('loket_session');
    expect(html).toContain('csrf_rejected');
    expect(html).toContain('<h2>Problems</h2>');
    expect(html).toMatch(/<a href="\/api\/openapi.json" download/);
    expect(html).toContain('operationId <code>ikdRegister</code> · public');
  });
});
