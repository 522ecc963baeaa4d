/** The admin keeps the office's hours and holidays on the "Kantor" screen; the server holds what was saved. */
import { describe, expect, it } from 'vitest';
import { account, d1, sharedBrowser, staffTablet } from './helpers';

describe('office settings screen', () => {
  const browser = sharedBrowser();

  it('adds next year’s holiday, explains unreadable hours and a repeated date, and keeps what was saved', async () => {
    const { context, page, errors } = await staffTablet(browser(), account('admin', '63.09'));
    await page.getByTestId('tile-office').click();
    await page.waitForURL('**/kantor');
    const friday = page.locator('input[name=hours-fri]');
    // Seed 004: Friday 08.00–10.30 WITA.
    await expect(friday.inputValue()).resolves.toBe('08.00-10.30');

    // Unreadable hours are caught on the tablet, next to the day.
    await friday.fill('8 sampai setengah 11');
    await page.getByTestId('office-save').click();
    await expect(page.locator('label:has(input[name=hours-fri]) .error').textContent()).resolves.toContain('08.00-12.00');
    await friday.fill('08.00-10.30');

    // Next year's New Year, typed twice: the server refuses the repeated date and nothing is saved.
    const before = (await d1<{ holidays_json: string }>("SELECT holidays_json FROM offices WHERE code = '63.09'"))[0]!.holidays_json;
    for (const name of ['Tahun Baru 2027 Masehi', 'Tahun Baru lagi']) {
      await page.getByTestId('add-holiday').click();
      const row = page.getByTestId('holiday').last();
      await row.locator('input[name=holiday-date]').fill('2027-01-01');
      await row.locator('input[name=holiday-name]').fill(name);
    }
    await page.getByTestId('office-save').click();
    await expect(page.getByTestId('office-problem').getAttribute('data-code')).resolves.toBe('validation_failed');
    expect((await d1<{ holidays_json: string }>("SELECT holidays_json FROM offices WHERE code = '63.09'"))[0]!.holidays_json).toBe(before);

    await page.getByTestId('holiday').last().getByRole('button').click();
    await page.getByTestId('office-save').click();
    await page.getByTestId('office-saved').waitFor();
    const saved = JSON.parse((await d1<{ holidays_json: string }>("SELECT holidays_json FROM offices WHERE code = '63.09'"))[0]!.holidays_json) as { date: string; name: string }[];
    expect(saved).toHaveLength((JSON.parse(before) as unknown[]).length + 1);
    expect(saved).toContainEqual({ date: '2027-01-01', name: 'Tahun Baru 2027 Masehi' });

    // After a reload the screen shows what the server holds, sorted by date.
    await page.reload();
    await page.getByTestId('office-form').waitFor();
    // Past days are folded away (they still count for old cases); the box shows them, sorted with the rest.
    const dates = () => page.locator('input[name=holiday-date]').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
    const upcoming = await dates();
    expect(upcoming).toContain('2027-01-01');
    expect(upcoming.every((d) => d >= new Date().toISOString().slice(0, 10))).toBe(true);
    await page.getByTestId('show-past').check();
    const all = await dates();
    expect(all).toHaveLength(saved.length);
    expect(all).toEqual([...all].sort());
    await expect(page.getByTestId('office-updated').textContent()).resolves.toMatch(/Terakhir diubah/);
    // A cheap phone's 360 px: nothing sticks out sideways.
    await page.setViewportSize({ width: 360, height: 640 });
    const rightmost = () => page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('main *'), (el) => el.getBoundingClientRect().right)));
    await expect(rightmost()).resolves.toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sets the RETAS early-recording period; a period beyond 12 months is refused with a readable reason and not saved', async () => {
    const { context, page, errors } = await staffTablet(browser(), account('admin', '63.09'));
    await page.goto('/kantor');
    const early = page.getByTestId('retas-early');
    await expect(early.inputValue()).resolves.toBe('0');
    await early.fill('13');
    await page.getByTestId('office-save').click();
    const problem = page.getByTestId('office-problem');
    await expect(problem.getAttribute('data-code')).resolves.toBe('retas_early_months_invalid');
    await expect(problem.textContent()).resolves.toContain('0 sampai 12 bulan');
    const period = async () => (await d1<{ m: number }>("SELECT retas_early_months AS m FROM offices WHERE code = '63.09'"))[0]!.m;
    expect(await period()).toBe(0);
    await early.fill('12');
    await page.getByTestId('office-save').click();
    await page.getByTestId('office-saved').waitFor();
    expect(await period()).toBe(12);
    await page.reload();
    await expect(page.getByTestId('retas-early').inputValue()).resolves.toBe('12');
    // Back to the seed's value: other browser tests propose RETAS events in this office.
    await page.getByTestId('retas-early').fill('0');
    await page.getByTestId('office-save').click();
    await page.getByTestId('office-saved').waitFor();
    expect(await period()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
