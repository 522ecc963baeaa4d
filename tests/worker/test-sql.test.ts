/** The browser tests' SQL route exists only on a stack started with ENVIRONMENT=test and a TEST_SQL_KEY. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app';
import { TEST_SQL_HEADER, TEST_SQL_PATH } from '../../schema/test-stack';

const KEY = 'k'.repeat(43);
const call = (bindings: Record<string, unknown>, key?: string, sql = 'SELECT count(*) AS n FROM offices') =>
  createApp().request(
    TEST_SQL_PATH,
    {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/json', ...(key === undefined ? {} : { [TEST_SQL_HEADER]: key }) },
      body: JSON.stringify({ sql }),
    },
    { ...env, ...bindings },
  );

describe('test SQL route', () => {
  it('is a 404 without a configured key (npm start, the worker tests, production)', async () => {
    const res = await call({}, KEY);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_available' });
  });
  it('is a 404 outside ENVIRONMENT=test even with the key', async () => {
    for (const ENVIRONMENT of ['development', 'production']) expect((await call({ ENVIRONMENT, TEST_SQL_KEY: KEY }, KEY)).status).toBe(404);
  });
  it('is a 404 with a missing or wrong key, and with a short configured key', async () => {
    expect((await call({ TEST_SQL_KEY: KEY })).status).toBe(404);
    expect((await call({ TEST_SQL_KEY: KEY }, `${KEY.slice(1)}x`)).status).toBe(404);
    expect((await call({ TEST_SQL_KEY: 'short' }, 'short')).status).toBe(404);
  });
  it('runs one statement with the right key', async () => {
    const res = await call({ TEST_SQL_KEY: KEY }, KEY);
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { n: number }[] };
    expect(results[0]!.n).toBeGreaterThanOrEqual(0);
  });
  it('stays out of the OpenAPI document', async () => {
    const doc = (await (await createApp().request('/api/openapi.json', {}, env)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain(TEST_SQL_PATH);
  });
});
