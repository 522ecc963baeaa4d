/**
 * Daily flows with the keyboard alone: staff sign-in, the KTP-el counter (new application, a refused submit, accept,
 * a cancelled confirmation), the IKD operator's verification (queue, checklist, camera binding, approve), the
 * resident's digital KTP (PIN, QR with its text alternative and the announced countdown, close) and the checker
 * (scan, verdict). Every focus stop must show a visible focus indicator, and after each step focus must sit on the
 * new content (the screen's heading, the wrong field, the QR, the verdict), not fall to <body>. The app has no modal
 * dialogs: its confirmations are inline questions on the step's own button, and closing one returns focus there.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import qrcode from 'qrcode-generator';
import { type Page, chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { axeViolations } from './a11y';
import { calculateJwkThumbprint } from 'jose';
import { account, baseUrl, d1, newContext, residentsOf, sharedBrowser, signIn } from './helpers';
import { eligibleResident, launchWithCamera, qrScreenshot, registerOnPhone, tabletContext, tempDir } from './ikd';
import { PIN, activateOnServer, installDeviceKey } from './ktp-kit';
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
    // "Batal" closes the question and gives focus back to the step's button; asked again, then confirmed.
    await tabTo(page, 'the cancel button', (f) => f.tag === 'button' && f.form === 'action-accept' && f.testId === '', 3);
    await page.keyboard.press('Enter');
    await page.getByTestId('action-confirm').waitFor({ state: 'detached' });
    expect((await focused(page)).form).toBe('action-accept');
    await page.keyboard.press('Enter');
    await page.getByTestId('action-confirm').waitFor();
    expect((await focused(page)).testId, 'the question keeps focus on the same button, now "yes"').toBe('action-confirm-yes');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=case-state]')?.getAttribute('data-state') === 'accepted');
    await expectFocusOnHeading(page, 'accepting the documents');
    expect(await axeViolations(page, 'accepted KTP-el case')).toEqual([]);
    await context.close();
  });

  it('verifies, binds and approves an IKD activation by keyboard: focus follows every step of the operator', async () => {
    // The resident registers on a phone and shows the device QR (not the keyboard flow under test).
    const r = eligibleResident(6);
    const phoneCtx = await newContext(browser());
    const phone = await phoneCtx.newPage();
    const caseId = await registerOnPhone(phone, { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.motherMaidenName, email: `ikd.keyboard.${r.nik}@example.test`, phone: r.phone ?? '081234567006', route: 'counter' });
    await phone.getByTestId('show-device-qr').click();
    const png = await qrScreenshot(phone, 'device-qr');
    const tablet = await launchWithCamera(tempDir('loket-a11y-ikd-'), 'tablet', png);
    try {
      const context = await tabletContext(tablet);
      const op = await context.newPage();
      await signIn(op, account('operator', '15.71'));
      await op.locator('main h1').waitFor();
      await tabTo(op, 'the IKD queue menu link', (f) => f.href === '/operator/ikd');
      await op.keyboard.press('Enter');
      await op.waitForFunction(() => location.pathname === '/operator/ikd');
      await expectFocusOnHeading(op, 'opening the IKD queue');
      await op.locator(`[data-testid=queue-item][data-case-id="${caseId}"]`).waitFor({ timeout: 30_000 });
      await tabTo(op, 'the pending activation', (f) => f.href === `/operator/ikd/${caseId}`, 80);
      await op.keyboard.press('Enter');
      await op.waitForFunction((id) => location.pathname === `/operator/ikd/${id}`, caseId);
      await expectFocusOnHeading(op, 'opening the activation');
      const state = () => op.getByTestId('op-case-state').getAttribute('data-state');

      // The checklist sent with nothing ticked: refused, and focus goes to the first box to tick.
      await tabTo(op, 'the verify button', (f) => f.testId === 'verify-submit');
      await op.keyboard.press('Enter');
      await op.getByTestId('action-errors').waitFor();
      await op.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'documentsSeen');
      expect(await state()).toBe('registered');
      for (const box of ['documentsSeen', 'dataMatches', 'faceMatches']) {
        if ((await focused(op)).name !== box) await tabTo(op, `the ${box} box`, (f) => f.name === box, 5);
        await op.keyboard.press('Space');
        expect(await op.locator(`input[name=${box}]`).isChecked()).toBe(true);
      }
      await tabTo(op, 'the verify button', (f) => f.testId === 'verify-submit');
      await op.keyboard.press('Enter');
      await op.waitForFunction(() => document.querySelector('[data-testid=op-case-state]')?.getAttribute('data-state') === 'verified');
      await expectFocusOnHeading(op, 'verifying');
      await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });

      // Binding: the camera (pointed at the phone) reads its QR; the panel goes and focus moves to the new state.
      await tabTo(op, 'the scan button', (f) => f.testId === 'scan-phone-qr');
      await op.keyboard.press('Enter');
      await op.waitForFunction(() => document.querySelector('[data-testid=op-case-state]')?.getAttribute('data-state') === 'bound', undefined, { timeout: 30_000 });
      await expectFocusOnHeading(op, 'binding the phone');
      await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });

      await tabTo(op, 'the approve button', (f) => f.testId === 'approve-submit');
      await op.keyboard.press('Enter');
      await op.waitForFunction(() => document.querySelector('[data-testid=op-case-state]')?.getAttribute('data-state') === 'approved');
      await expectFocusOnHeading(op, 'approving');
      expect(await axeViolations(op, 'approved IKD activation')).toEqual([]);
      await context.close();
    } finally {
      await tablet.close();
      await phoneCtx.close();
    }
  });

  it("shows the resident's digital KTP by keyboard: PIN, then focus on the QR named with its validity, the countdown announced", async () => {
    const resident = residentsOf('63.09').filter((x) => x.birthDate < '2000-01-01' && x.ektpRecorded).at(-9)!;
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/ktp');
    await page.getByTestId('ktp-no-device').waitFor();
    const jwk = await installDeviceKey(page, resident.nik);
    await activateOnServer(d1, resident.nik, '63.09', jwk, await calculateJwkThumbprint(jwk), 'e2e-keyboard');
    await page.reload();
    await page.getByTestId('ktp-status').waitFor({ timeout: 20_000 });

    await tabTo(page, 'the PIN field', (f) => f.name === 'pin');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    // The form is replaced by the QR: focus is on it, and its name says what it is and how long it lasts.
    await page.waitForFunction(() => document.activeElement?.matches('[data-testid=ktp-qr]') === true, undefined, { timeout: 30_000 });
    const qr = page.getByTestId('ktp-qr');
    expect(await qr.getAttribute('role')).toBe('img');
    expect(await qr.getAttribute('aria-label')).toMatch(/QR.*90 detik/s);
    expect((await focused(page)).visible, 'focus on the QR is drawn').toBe(true);
    // The per-second count is a timer; a polite status region says the time left, so screen readers hear it change.
    expect(await page.getByTestId('ktp-countdown').getAttribute('role')).toBe('timer');
    const live = page.getByTestId('ktp-countdown-live');
    expect(await live.getAttribute('role')).toBe('status');
    await expect(live.textContent()).resolves.toMatch(/\d+ detik/);
    expect(await axeViolations(page, 'digital KTP with its QR')).toEqual([]);

    // Closing hands focus back to the PIN field.
    await tabTo(page, 'the close button', (f) => f.testId === 'ktp-lock');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'pin');
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
