import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('error contract', () => {
  it('answers unknown API paths with problem+json not_found', async () => {
    const res = await SELF.fetch('http://localhost/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'not_found', status: 404 });
  });
  it('serves the OpenAPI 3.1 document', async () => {
    const res = await SELF.fetch('http://localhost/api/openapi.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ openapi: '3.1.0' });
  });
});

describe('unknown errors', () => {
  it('answer problem+json internal with the request id, never the cause', async () => {
    const { env } = await import('cloudflare:test');
    const { createStaff, signIn } = await import('./helpers/auth');
    const staff = await createStaff({ roles: ['front_office'] });
    const as = await signIn(staff.username, staff.password);
    // A broken database is the unknown error a route cannot foresee.
    await env.DB.exec('ALTER TABLE changes RENAME TO changes_away');
    const res = await as.fetch('/api/sync/pull');
    await env.DB.exec('ALTER TABLE changes_away RENAME TO changes');
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ code: 'internal', status: 500, requestId: res.headers.get('x-request-id') });
    expect(body).toContain(res.headers.get('x-request-id')!);
    expect(body).not.toMatch(/changes|SQLITE|no such table/i);
  });
});
