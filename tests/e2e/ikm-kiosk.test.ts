/**
 * The IKM kiosk on a counter tablet: the head of division opens a kiosk from the dashboard, the tablet (no account)
 * opens its link once, keeps the token and forgets it from the address bar, and takes walk-in answers one after
 * another: a second answer inside the kiosk's 20-second gap is held on the tablet and sent once the gap has passed.
 */
import { describe, expect, it } from 'vitest';
import { account, d1Count, eventually, newContext, sharedBrowser, signIn } from './helpers';

const OFFICE = '63.09';

describe('IKM kiosk mode', () => {
  const browser = sharedBrowser();

  it('opens a kiosk from the dashboard and takes two walk-in answers on a tablet without an account', async () => {
    const pageErrors: string[] = [];
    const staffContext = await newContext(browser());
    const sp = await staffContext.newPage();
    sp.on('pageerror', (e) => pageErrors.push(String(e)));
    await signIn(sp, account('head_of_division', OFFICE));
    await sp.goto('/dasbor');
    await sp.getByTestId('ikm-service').selectOption('ktpel');
    await sp.locator('summary', { hasText: /kios/i }).click();
    await sp.getByRole('button', { name: /kios/i }).first().click();
    const link = sp.getByTestId('kiosk-link');
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/ikm\/kios#t=[\w-]{20,}$/);

    const count = () => d1Count(`SELECT count(*) AS n FROM ikm_responses WHERE office_code = '${OFFICE}' AND source = 'kiosk' AND service = 'ktpel'`);
    const before = await count();

    const tablet = await newContext(browser());
    const tp = await tablet.newPage();
    tp.on('pageerror', (e) => pageErrors.push(String(e)));
    await tp.goto(href);
    await tp.getByTestId('ikm-form').waitFor();
    // The token stays on the tablet, not in the address bar (no one reads it off the screen or the history).
    await eventually(() => !tp.url().includes('#t='), 'token taken out of the address');
    const answer = async (answers: number[]) => {
      for (const [i, a] of answers.entries()) await tp.check(`input[name=u${i + 1}][value="${a}"]`);
      await tp.getByTestId('ikm-submit').click();
      return (await tp.getByTestId('ikm-done').textContent()) ?? '';
    };
    expect(await answer([4, 4, 3, 4, 3, 4, 4, 3, 4])).toMatch(/Terima kasih/);
    // Stored by now: the gap counts from here at the latest.
    const firstAt = Date.now();
    // The next visitor gets a fresh form.
    await tp.getByRole('button', { name: /berikut|next/i }).click();
    await tp.getByTestId('ikm-form').waitFor();
    expect(await tp.locator('input[type=radio]:checked').count()).toBe(0);
    // A second answer within the kiosk's 20-second gap is refused by the server (429) and kept on the tablet.
    expect(await answer([2, 3, 3, 2, 3, 3, 4, 2, 3])).toMatch(/tersimpan/i);
    expect(await count()).toBe(before + 1);
    // Once the gap has passed, the kept answer goes out (the page flushes its outbox when it opens).
    await new Promise((r) => setTimeout(r, Math.max(0, firstAt + 22_000 - Date.now())));
    await tp.reload();
    await eventually(async () => (await count()) === before + 2, 'the kept kiosk answer stored after the gap', 60_000);
    expect(pageErrors).toEqual([]);
    await staffContext.close();
    await tablet.close();
  }, 180_000);
});
