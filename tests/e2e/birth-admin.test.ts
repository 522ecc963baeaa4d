/**
 * The office admin keeps the birth service's data in the PWA: partner organisations, their clerks (accounts with
 * the partner_operator role) and the list of required documents; the server holds what the screens saved.
 */
import { describe, expect, it } from 'vitest';
import { account, d1, sharedBrowser, staffTablet } from './helpers';

const suffix = () => Array.from({ length: 5 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

describe('birth admin screens', () => {
  const browser = sharedBrowser();

  it('adds a partner, refuses a taken name, attaches and detaches a clerk, deactivates the partner', async () => {
    const { context, page, errors } = await staffTablet(browser(), account('admin', '63.09'));

    // A clerk account made on the staff screen, with the partner operator role.
    const username = `bidan.${suffix()}`;
    await page.goto('/staff');
    await page.locator('[data-testid=create-staff]').evaluate((f) => ((f.parentElement as HTMLDetailsElement).open = true));
    await page.fill('[data-testid=create-staff] input[name=username]', username);
    await page.fill('[data-testid=create-staff] input[name=displayName]', 'Bidan Uji');
    await page.fill('[data-testid=create-staff] input[name=password]', 'Bidan-Tanjung-2026!');
    await page.check('[data-testid=create-staff] input[name=roles][value=partner_operator]');
    await page.click('[data-testid=create-staff] button[type=submit]');
    await page.locator(`[data-testid=staff-item][data-username="${username}"]`).waitFor();

    await page.goto('/');
    await page.getByTestId('tile-birth-partners').click();
    await page.waitForURL('**/akta/mitra');
    await page.getByTestId('partner-list').waitFor();

    const name = `Bidan Praktik Mandiri ${suffix()}`;
    await page.fill('input[name=partner-name]', name);
    await page.selectOption('select[name=partner-kind]', 'midwife');
    await page.click('[data-testid=create-partner] button[type=submit]');
    const item = page.locator(`[data-testid=partner-item][data-name="${name}"]`);
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('Bidan mandiri');
    expect(await d1(`SELECT kind, active FROM birth_partners WHERE office_code = '63.09' AND name = '${name}'`)).toEqual([{ kind: 'midwife', active: 1 }]);

    // The same name again: a readable refusal, not a raw code.
    await page.fill('input[name=partner-name]', name);
    await page.click('[data-testid=create-partner] button[type=submit]');
    const taken = page.getByTestId('create-partner-problem');
    await expect(taken.getAttribute('data-code')).resolves.toBe('partner_name_taken');
    await expect(taken.textContent()).resolves.toBe('Nama mitra sudah dipakai.');

    // Attach the new clerk: the server records the partner on the account.
    const userId = (await d1<{ id: string }>(`SELECT id FROM users WHERE username = '${username}'`))[0]!.id;
    await item.locator('select[name=attach-clerk]').selectOption(userId);
    await item.getByRole('button', { name: 'Hubungkan' }).click();
    await item.locator(`[data-testid=partner-clerks] [data-username="${username}"]`).waitFor();
    const partnerId = (await d1<{ id: string }>(`SELECT id FROM birth_partners WHERE name = '${name}'`))[0]!.id;
    expect(await d1(`SELECT partner_id FROM users WHERE id = '${userId}'`)).toEqual([{ partner_id: partnerId }]);

    // Detach it again, then deactivate the partner (its clerks can no longer submit).
    await item.getByRole('button', { name: `Lepas: ${username}` }).click();
    await item.locator(`[data-username="${username}"]`).waitFor({ state: 'detached' });
    expect(await d1(`SELECT partner_id FROM users WHERE id = '${userId}'`)).toEqual([{ partner_id: null }]);
    await item.getByTestId('partner-toggle').click();
    await page.locator(`[data-testid=partner-item][data-name="${name}"][data-active=false]`).waitFor();
    expect(await d1(`SELECT active FROM birth_partners WHERE id = '${partnerId}'`)).toEqual([{ active: 0 }]);

    // Offline, the screen says it needs a connection instead of showing stale data to edit.
    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.getByTestId('partners-offline').waitFor();
    await context.setOffline(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('adds a required document, explains a bad one, and the list is the office data the form reads', async () => {
    const { context, page, errors } = await staffTablet(browser(), account('admin', '63.09'));
    const before = await d1<{ code: string }>("SELECT code FROM birth_requirements WHERE office_code = '63.09' ORDER BY sort");
    await page.goto('/akta/syarat');
    await page.getByTestId('requirements-form').waitFor();
    expect(await page.getByTestId('requirement').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(before.map((r) => r.code));

    // A label too short is refused by the server and shown next to the row, in Indonesian.
    await page.getByTestId('requirement-add').click();
    const row = page.getByTestId('requirement').last();
    await row.locator('input[name=label-id]').fill('Ak');
    await row.locator('input[name=label-en]').fill('Birth letter from the village head');
    await page.getByTestId('requirements-save').click();
    await expect(page.getByTestId('requirements-problem').getAttribute('data-code')).resolves.toBe('validation_failed');
    await row.locator('.error').waitFor();
    expect(await d1Codes()).toEqual(before.map((r) => r.code));

    // Fixed: saved with a code made from the label, optional, last in the list.
    await row.locator('input[name=label-id]').fill('Surat keterangan kepala desa');
    await row.locator('input[name=required]').uncheck();
    await page.getByTestId('requirements-save').click();
    await page.getByTestId('requirements-saved').waitFor();
    expect(await d1(`SELECT code, label_en, required FROM birth_requirements WHERE office_code = '63.09' AND code = 'surat_keterangan_kepala_desa'`)).toEqual([
      { code: 'surat_keterangan_kepala_desa', label_en: 'Birth letter from the village head', required: 0 },
    ]);
    expect(await d1Codes()).toEqual([...before.map((r) => r.code), 'surat_keterangan_kepala_desa']);

    // Moved up one place, then removed again: the office's list is as it was.
    await page.reload();
    await page.getByTestId('requirements-form').waitFor();
    const added = page.locator('[data-testid=requirement][data-code=surat_keterangan_kepala_desa]');
    await added.getByRole('button', { name: 'Naik' }).click();
    await page.getByTestId('requirements-save').click();
    await page.getByTestId('requirements-saved').waitFor();
    const moved = await d1Codes();
    expect(moved.at(-2)).toBe('surat_keterangan_kepala_desa');
    await added.getByTestId('requirement-remove').click();
    await page.getByTestId('requirements-save').click();
    await page.getByTestId('requirements-saved').waitFor();
    expect(await d1Codes()).toEqual(before.map((r) => r.code));
    expect(errors).toEqual([]);
    await context.close();
  });
});

async function d1Codes(): Promise<string[]> {
  return (await d1<{ code: string }>("SELECT code FROM birth_requirements WHERE office_code = '63.09' ORDER BY sort")).map((r) => r.code);
}
