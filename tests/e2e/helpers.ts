/** Shared pieces of the browser tests: Chromium launch flags, D1 queries against the test stack, sign-in. */
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { type DemoAccount, DEMO_PASSWORD, demoAccount, generateDemoPopulation } from '../../schema/demo';
import type { StaffRole } from '../../schema/roles';
import { TEST_SQL_HEADER, TEST_SQL_PATH } from '../../schema/test-stack';

export const baseUrl = (): string => inject('baseUrl');

/** Chromium as root in a container (TOOLCHAIN.md gotcha 8); Playwright adds --headless and a fresh profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** One Chromium for a test file: launched before its tests, closed after them. Call inside `describe`. */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('sharedBrowser: the browser starts in beforeAll');
    return browser;
  };
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), locale: 'id-ID', serviceWorkers: 'allow' });
}

/** wrangler dev's own answer when its worker was swapped while a POST was in flight (it retries only GET/HEAD). */
export const isDevServerRestart = async (res: Response): Promise<boolean> =>
  res.status === 503 && (await res.clone().text()).startsWith('Your worker restarted mid-request');

/**
 * fetch against the test stack, with a few retries: wrangler dev may close an idle keep-alive connection just as
 * Node reuses it, or answer a POST with its "worker restarted" 503. Every call made here is safe to repeat.
 */
export async function stackFetch(p: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${baseUrl()}${p}`, init);
      if (attempt < 4 && (await isDevServerRestart(res))) {
        await new Promise((r) => setTimeout(r, 300 * attempt));
        continue;
      }
      return res;
    } catch (err) {
      if (attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/**
 * Runs one SQL statement in the test stack's D1 through the Worker (worker/routes/test-sql.ts) and returns the
 * rows. Going through the server queues it with the app's own queries; a second process on the SQLite file made
 * the app fail with SQLITE_BUSY.
 */
export async function d1<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const res = await stackFetch(TEST_SQL_PATH, {
    method: 'POST',
    headers: { origin: baseUrl(), 'content-type': 'application/json', [TEST_SQL_HEADER]: inject('testSqlKey') },
    body: JSON.stringify({ sql }),
  });
  if (!res.ok) throw new Error(`SQL ${res.status} ${await res.text()}\n${sql}`);
  return ((await res.json()) as { results: T[] }).results;
}

/** The hourly sweep of abandoned uploads (worker/housekeeping.ts), run now by the Worker with its D1 and R2. */
export async function sweepUploadsNow(): Promise<{ uploads: number; parts: number }> {
  const res = await stackFetch(TEST_SQL_PATH, {
    method: 'POST',
    headers: { origin: baseUrl(), 'content-type': 'application/json', [TEST_SQL_HEADER]: inject('testSqlKey') },
    body: JSON.stringify({ sweepUploads: true }),
  });
  if (!res.ok) throw new Error(`sweep ${res.status} ${await res.text()}`);
  return (await res.json()) as { uploads: number; parts: number };
}

/** `SELECT count(*) AS n …` → n */
export async function d1Count(sql: string): Promise<number> {
  return Number((await d1<{ n: number }>(sql))[0]?.n);
}

export function account(role: StaffRole, officeCode = '15.71'): DemoAccount {
  return demoAccount(role, officeCode);
}

/** Adult residents of an office with 16-digit NIKs, from the same generator the seed used. */
export function residentsOf(officeCode: string) {
  return generateDemoPopulation().residents.filter((r) => r.officeCode === officeCode);
}

export async function signIn(page: Page, who: DemoAccount, password = DEMO_PASSWORD): Promise<void> {
  // The form is there once the app has rendered; 'load' would also wait for every image and icon.
  await page.goto('/login', { waitUntil: 'domcontentloaded' });
  await page.fill('input[name=username]', who.username);
  await page.fill('input[name=password]', password);
  // A clerk presses again when the server answered 5xx (wrangler dev does while it swaps its worker).
  for (let attempt = 1; ; attempt++) {
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login', { timeout: 20_000 });
    await page.click('button[type=submit]');
    const res = await answer;
    if (res.status() < 500 || attempt >= 3) break;
  }
  await page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 });
}

/** A fresh context and page whose script errors are collected (a test ends with `expect(errors).toEqual([])`). */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page. */
  errors: string[];
  /** Every 5xx the API answered this context, from its first request (sign-in included). */
  serverErrors: string[];
}

export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  const serverErrors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  context.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) serverErrors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return { context, page, errors, serverErrors };
}

/** A staff member's tablet: a watched page signed in as `who` through the sign-in screen. */
export async function staffTablet(browser: Browser, who: DemoAccount): Promise<WatchedPage> {
  const tablet = await watchedPage(browser);
  await signIn(tablet.page, who);
  return tablet;
}

/** Resolves once a service worker controls the page (first install claims the open page). */
export async function waitForServiceWorker(page: Page): Promise<string> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 30_000 });
  return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
}

/** Polls `check` until it returns true (for state that lands asynchronously: sync, D1). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/**
 * Cuts the network for a context: `navigator.onLine` false and every request aborted at the browser's network
 * layer. setOffline alone leaves a gap while a reloaded document starts, in which a request can still get out.
 */
export async function cutNetwork(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  await context.route('**/*', (route) => route.abort('internetdisconnected'));
}

export async function restoreNetwork(context: BrowserContext): Promise<void> {
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
}
