/**
 * The worker tests hand requests to the Worker's fetch directly (helpers/auth.ts `direct`, the default) instead of
 * through SELF: this shows both ways answer alike (status, problem code, security headers, sessions, audit sealing),
 * so what the suites find speaks for the deployed handler.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, createStaff, type ApiInit, sessionCookieOf, testIp } from './helpers/auth';

async function both(path: string, init: ApiInit = {}) {
  const viaSelf = await api(path, { ...init, direct: false });
  const direct = await api(path, { ...init, direct: true });
  return { viaSelf, direct, selfBody: await viaSelf.text(), directBody: await direct.text() };
}

const HEADERS = ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options'];

describe('direct dispatch to the Worker', () => {
  it('answers as SELF does: health, an anonymous refusal, a foreign Origin, a bad body', async () => {
    const cases: [string, ApiInit][] = [
      ['/api/health', {}],
      ['/api/auth/me', {}],
      ['/api/auth/logout', { method: 'POST', headers: { origin: 'http://evil.example' } }],
      ['/api/auth/login', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' }, ip: testIp() }],
      ['/api/no-such-route', {}],
    ];
    for (const [path, init] of cases) {
      const { viaSelf, direct, selfBody, directBody } = await both(path, init);
      expect(direct.status, path).toBe(viaSelf.status);
      for (const h of HEADERS) expect(direct.headers.get(h), `${path} ${h}`).toBe(viaSelf.headers.get(h));
      if (viaSelf.status >= 400) expect((JSON.parse(directBody) as { code: string }).code, path).toBe((JSON.parse(selfBody) as { code: string }).code);
    }
  });

  it('signs in, keeps the session for SELF requests, and its audit entries get sealed', async () => {
    const staff = await createStaff({ roles: ['admin'] });
    const ip = testIp();
    const res = await api('/api/auth/login', { method: 'POST', json: { username: staff.username, password: staff.password }, ip, direct: true });
    expect(res.status).toBe(200);
    const cookie = sessionCookieOf(res);
    expect(cookie).not.toBeNull();
    const me = await api('/api/auth/me', { cookie: cookie!, ip, direct: false });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe(staff.username);
    // The sign-in's audit entry is sealed by the waitUntil work the direct call started (worker/after-write.ts).
    const entry = () => env.DB.prepare("SELECT hash FROM audit_log WHERE action = 'auth.login' AND object = ?").bind(`user:${staff.id}`).first<{ hash: string | null }>();
    expect(await entry()).not.toBeNull();
    for (let i = 0; i < 50 && (await entry())?.hash == null; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await entry())?.hash).toMatch(/.+/);
  });
});
