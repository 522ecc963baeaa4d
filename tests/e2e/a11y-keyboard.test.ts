/**
 * Daily flows with the keyboard alone: staff sign-in, the KTP-el counter (new application, a refused submit, accept)
 * and the digital-KTP checker (scan, verdict). Every focus stop must show a visible focus indicator, and after each
 * step focus must sit on the new content (the screen's heading, the wrong field, the verdict), not fall to <body>.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import qrcode from 'qrcode-generator';
import { type Page, chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { axeViolations } from './a11y';
import { account, baseUrl, newContext, residentsOf, sharedBrowser, signIn } from './helpers';
import { tempDir } from './ikd';
import { greyToY4m } from './y4m';

/** What has focus, and whether it is drawn visibly (an outline or a focus ring other than none). */
async function focused(page: Page): Promise<{ tag: string; name: string; testId: string; form: string; href: string; visible: boolean; text: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', name: '', testId: '', form: '', href: '', visible: false, text: '' };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const ring = s.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      name: el.getAttribute('name') ?? '',
      testId: el.dataset.testid ?? '',
      form: el.closest('form')?.dataset.testid ?? '',
      href: el.getAttribute('href') ?? '',
      visible: outline || ring,
      text: (el.textContent ?? '').trim().slice(0, 40),
    };
  });
}

/** Presses Tab until `match` has focus (at most `limit` stops), checking every stop is visibly focused. */
async function tabTo(page: Page, what: string, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag === 'body') continue; // past the last control focus leaves the page (browser chrome), then wraps to the top
    expect(f.visible, `focus not visible on <${f.tag}> "${f.text}" while tabbing to ${what}`).toBe(true);
    if (match(f)) return;
  }
  throw new Error(`${what} not reached with ${limit} presses of Tab`);
}

async function expectFocusOnHeading(page: Page, what: string): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.matches('main h1') === true, undefined, { timeout: 5000 }).catch(() => undefined);
  const f = await focused(page);
  expect(f.tag, `after ${what} focus is on <${f.tag}> "${f.text}", not the new screen's heading`).toBe('h1');
}

describe('keyboard-only daily flows', () => {
  const browser = sharedBrowser();

  it('signs in with the keyboard: skip link first, fields, Enter; focus lands on the home heading', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/login');
    await page.locator('input[name=username]').waitFor();
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    expect(skip.tag).toBe('a');
    expect(skip.visible).toBe(true);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).getBoundingClientRect().left >= 0)).toBe(true);

    const who = account('head_of_office', '63.09');
    await tabTo(page, 'the username field', (f) => f.name === 'username');
    await page.keyboard.type(who.username);
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('password');
    // A wrong password first: the refusal is an alert and focus stays where the user can correct it.
    await page.keyboard.type('salah-sekali-123');
    await page.keyboard.press('Enter');
    await page.getByTestId('sign-in-problem').waitFor();
    expect(await page.getByTestId('sign-in-problem').getAttribute('role')).toBe('alert');
    expect((await focused(page)).name).toBe('password');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 });
    await expectFocusOnHeading(page, 'signing in');
    await context.close();
  });

  it('runs the KTP-el counter by keyboard: a refused submit focuses the NIK, the sent one opens the case, accept moves on', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, account('front_office', '63.09'));
    await page.locator('main h1').waitFor();
    // From the home screen to the form through the menu, by keyboard.
    await tabTo(page, 'the KTP-el menu link', (f) => f.href === '/ktpel');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.pathname === '/ktpel');
    await expectFocusOnHeading(page, 'opening the KTP-el list');
    await tabTo(page, 'the new-application link', (f) => f.testId === 'new-application');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.pathname === '/ktpel/new');
    await expectFocusOnHeading(page, 'opening the form');

    // Submit empty: focus goes to the NIK field, which says what is wrong.
    await tabTo(page, 'the submit button', (f) => f.testId === 'submit-application');
    await page.keyboard.press('Enter');
    await page.getByTestId('error-nik').waitFor();
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'nik');
    expect(await page.locator('input[name=nik]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('input[name=nik]').getAttribute('aria-describedby')).toContain('nik-error');
    expect(await axeViolations(page, 'refused KTP-el form')).toEqual([]);

    const applicant = residentsOf('63.09').filter((r) => r.birthDate < '2000-01-01')[16]!;
    await page.keyboard.type(applicant.nik);
    // The reason: a radio group, chosen with the arrow keys.
    await tabTo(page, 'the reason choices', (f) => f.name === 'reason');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'the submit button', (f) => f.testId === 'submit-application');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^\/ktpel\/[0-9a-f-]{36}$/.test(location.pathname), undefined, { timeout: 5000 }).catch(async (e) => {
      throw new Error(`${String(e)}\n${await page.locator('main').innerText()}`);
    });
    await expectFocusOnHeading(page, 'sending the application');
    expect(await page.getByTestId('case-state').getAttribute('data-state')).toBe('submitted');

    // Accept the documents: a one-click step asks first (the same button, focused, now says "yes"), then the
    // button goes away with the step and focus goes to the case's new state.
    await tabTo(page, 'the accept button', (f) => f.tag === 'button' && f.form === 'action-accept');
    await page.keyboard.press('Enter');
    await page.getByTestId('action-confirm').waitFor();
    if ((await focused(page)).testId !== 'action-confirm-yes') await tabTo(page, 'the confirm button', (f) => f.testId === 'action-confirm-yes');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.getAttribute('data-state') === 'accepted');
    await expectFocusOnHeading(page, 'accepting the documents');
    expect(await axeViolations(page, 'accepted KTP-el case')).toEqual([]);
    await context.close();
  });

  it('checks a scanned QR by keyboard: the verdict takes focus and is a status region', async () => {
    // A QR that is not a digital KTP in front of the checker's camera: the verdict says so.
    const qr = qrcode(0, 'M');
    qr.addData('BUKAN-KTP-DIGITAL', 'Byte');
    qr.make();
    const n = qr.getModuleCount() + 8;
    const luma = new Uint8Array(n * n).fill(255);
    for (let r = 0; r < n - 8; r++) for (let c = 0; c < n - 8; c++) if (qr.isDark(r, c)) luma[(r + 4) * n + c + 4] = 0;
    const dir = tempDir('loket-a11y-cam-');
    const file = path.join(dir, 'not-ktp.y4m');
    writeFileSync(file, greyToY4m({ width: n, height: n, luma }));
    const camera = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
    });
    try {
      const context = await camera.newContext({ baseURL: baseUrl(), locale: 'id-ID', serviceWorkers: 'allow' });
      await context.grantPermissions(['camera']);
      const page = await context.newPage();
      await page.goto('/cek');
      await page.waitForFunction(() => !!document.querySelector('[data-testid=jwks-age]')?.getAttribute('data-fetched-at'));
      await tabTo(page, 'the scan button', (f) => f.testId === 'checker-scan');
      await page.keyboard.press('Enter');
      const verdict = page.getByTestId('checker-result');
      await verdict.waitFor({ timeout: 30_000 });
      expect(await verdict.getAttribute('role')).toBe('status');
      expect(await verdict.getAttribute('data-status')).not.toBe('valid');
      await page.waitForFunction(() => document.activeElement?.matches('[data-testid=checker-result] h2') === true, undefined, { timeout: 5000 });
      // From the verdict, the next Tab reaches "scan again".
      await tabTo(page, 'scan again', (f) => f.testId === 'checker-scan', 5);
      expect(await axeViolations(page, 'checker verdict')).toEqual([]);
      await context.close();
    } finally {
      await camera.close();
    }
  });
});
