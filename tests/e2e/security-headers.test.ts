/**
 * Issue 8 in real Chromium: every HTML answer carries the security headers, the PWA runs under its CSP without a
 * single violation (resident registration, staff sign-in, the operator's registry lookup), a foreign page cannot
 * frame it, the registry lookups keep the NIK out of every URL, and robots.txt is a real robots file.
 */
import type { ConsoleMessage, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { account, baseUrl, newContext, sharedBrowser, signIn, stackFetch } from './helpers';
import { eligibleResident, registerOnPhone } from './ikd';

const EXPECTED = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Collects CSP violations (DOM events from the first script on) and console errors of a page. */
async function watch(page: Page): Promise<{ violations: () => Promise<string[]>; console: string[] }> {
  const consoleLines: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || /Content Security Policy|Permissions-Policy/i.test(m.text())) consoleLines.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), console: consoleLines };
}

describe('security headers and CSP', () => {
  const browser = sharedBrowser();

  it('sends CSP, frame, sniffing, referrer and permissions headers on the app, its routes and the API docs; robots.txt is real', async () => {
    for (const path of ['/', '/v/resi', '/kantor', '/ikd/daftar']) {
      const res = await stackFetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-inline/);
      for (const [name, value] of Object.entries(EXPECTED)) expect(res.headers.get(name), `${path} ${name}`).toBe(value);
    }
    // The built shell has no inline script for the CSP to allow.
    const html = await (await stackFetch('/')).text();
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? []).toEqual([]);

    const docs = await stackFetch('/api/docs');
    expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(docs.headers.get('x-frame-options')).toBe('DENY');

    const robots = await stackFetch('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('content-type')).toContain('text/plain');
    const text = await robots.text();
    expect(text).toMatch(/^User-agent: \*$/m);
    expect(text).toMatch(/^Disallow: \/$/m);
    expect(text).not.toContain('<html');
  });

  it('runs the PWA with no CSP violation: a resident registers, the operator looks the NIK up by POST, no URL carries it', async () => {
    const r = eligibleResident(5);
    const phoneCtx = await newContext(browser());
    const phone = await phoneCtx.newPage();
    const phoneWatch = await watch(phone);
    const caseId = await registerOnPhone(phone, { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.motherMaidenName, email: `sec.${r.nik}@example.test`, phone: r.phone ?? '081234567055', route: 'counter' });
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);

    const opCtx = await newContext(browser());
    const op = await opCtx.newPage();
    const opWatch = await watch(op);
    const urls: string[] = [];
    op.on('request', (req) => urls.push(req.url()));
    phone.on('request', (req) => urls.push(req.url()));
    await signIn(op, account('operator', '15.71'));
    await op.goto(`/operator/ikd/${caseId}`);
    await op.getByTestId('identity-check').locator('summary').click();
    const lookup = op.waitForRequest((req) => new URL(req.url()).pathname === '/api/registry/residents/lookup');
    await op.fill('input[name=cardNik]', r.nik);
    await op.getByTestId('identity-check').locator('button[type=submit]').click();
    const req = await lookup;
    expect(req.method()).toBe('POST');
    expect(JSON.parse(req.postData() ?? '{}')).toEqual({ nik: r.nik });
    await op.getByTestId('registry-record').waitFor();
    expect(await op.getByTestId('registry-record').textContent()).toContain(r.kkNumber);
    await op.getByTestId('match-attempts').locator('li[data-matched=true]').first().waitFor();

    expect(urls.filter((u) => u.includes(r.nik))).toEqual([]);
    for (const w of [phoneWatch, opWatch]) {
      expect(await w.violations()).toEqual([]);
      expect(w.console.filter((l) => /Content Security Policy|Permissions-Policy|Refused to/i.test(l))).toEqual([]);
    }
    await phoneCtx.close();
    await opCtx.close();
  });

  it('refuses to be framed by another origin (clickjacking)', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    // A page of another origin (about:blank) puts the app in an iframe and waits for the frame to finish loading.
    await page.goto('about:blank');
    await page.setContent(`<iframe id="f" src="${baseUrl()}/login" width="600" height="400" onload="window.framed = true"></iframe>`);
    await page.waitForFunction(() => (window as unknown as { framed?: boolean }).framed === true, undefined, { timeout: 20_000 });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    // Chromium replaces a refused frame with its error page: the app's sign-in form never renders there.
    expect(frame!.url()).not.toBe(`${baseUrl()}/login`);
    const rendered = await frame!.evaluate(() => document.querySelector('input[name=password]') !== null).catch(() => false);
    expect(rendered).toBe(false);
    // Positive control: the same page opened at the top level renders its form.
    const top = await context.newPage();
    await top.goto('/login');
    await top.locator('input[name=password]').waitFor();
    await context.close();
  });
});
