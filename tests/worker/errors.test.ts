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
