/** Sign-in refusals read as sentences in the chosen language; a lockout shows its wait; roles shape the home page. */
import { describe, expect, it } from 'vitest';
import { account, newContext, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

describe('sign-in and home', () => {
  const browser = sharedBrowser();

  it('explains a wrong password in Indonesian, then English (kept after reload), and a lockout with its wait', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const who = account('verifier', '15.71'); // an account no other test signs in with
    await page.goto('/login');
    const problem = page.getByTestId('sign-in-problem');
    const attempt = async () => {
      await page.fill('input[name=username]', who.username);
      await page.fill('input[name=password]', 'salah-sekali-123');
      await page.click('button[type=submit]');
    };

    await attempt();
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('invalid_credentials');
    expect(await problem.textContent()).toContain('Nama pengguna atau kata sandi salah');

    await page.getByTestId('lang-switch').click();
    // English loads when chosen (it is not in the first screen's bundle): wait for the switch to land.
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await expect.poll(() => problem.textContent()).toContain('Wrong username or password');
    await page.reload();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Sign in');

    // The account locks after repeated failures: the answer is 429 and the wait is shown.
    for (let i = 0; i < 6; i++) {
      await attempt();
      await page.waitForFunction(() => !document.querySelector('button[type=submit]')?.textContent?.includes('…'));
      if ((await problem.getAttribute('data-code')) === 'too_many_attempts') break;
    }
    expect(await problem.getAttribute('data-code')).toBe('too_many_attempts');
    expect(await problem.textContent()).toMatch(/Try again in \d+/);
    expect(await page.locator('button[type=submit]').isDisabled()).toBe(true);
    await context.close();
  });

  it('shows an admin the staff screen, which needs a connection', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, account('admin', '15.71'));
    await page.getByTestId('tile-staff').waitFor();
    // An admin follows KTP-el cases but takes no step in them.
    expect(await page.getByTestId('tile-ktpel').textContent()).toContain('Melihat permohonan');
    await waitForServiceWorker(page);

    await page.getByTestId('tile-staff').click();
    await page.getByTestId('staff-list').waitFor();
    expect(await page.locator('[data-testid=staff-item][data-username="fo.jambi"]').count()).toBe(1);

    await context.setOffline(true);
    await page.getByTestId('staff-offline').waitFor();
    expect(await page.getByTestId('staff-offline').textContent()).toContain('Butuh koneksi');
    await context.close();
  });
});
