/**
 * Issue 9, items 3, 4 and 7 in real Chromium: a NIK with 16 digits but no such region or date is refused on the
 * form with the NIK rules' words; a step without inputs (accept) asks before it acts and says it was recorded after;
 * a step's input in the history reads as labelled words, not keys; lepas perangkat says it was done.
 */
import { calculateJwkThumbprint } from 'jose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { account, d1, d1Count, newContext, residentsOf, sharedBrowser, staffTablet, waitForServiceWorker } from './helpers';
import { PIN, activateOnServer, installDeviceKey } from './ktp-kit';

async function newCase(page: Page, nik: string): Promise<void> {
  await page.goto('/ktpel/new');
  await page.fill('input[name=nik]', nik);
  await page.check('input[name=reason][value=hilang]');
  await page.getByTestId('submit-application').click();
}

describe('confirm before, confirm after; words not keys', () => {
  const browser = sharedBrowser();

  it('refuses a made-up NIK, confirms accept, labels the history', async () => {
    const { context, page, errors } = await staffTablet(browser(), account('front_office', '15.71'));

    // item 4: sixteen digits are not a NIK
    await newCase(page, '1234567890123456');
    await expect(page.getByTestId('error-nik').textContent()).resolves.toMatch(/wilayah|tanggal/i);
    expect(page.url()).toMatch(/\/ktpel\/new$/);

    const residents = residentsOf('15.71').filter((r) => r.birthDate < '2000-01-01');
    await page.fill('input[name=nik]', residents.at(-7)!.nik);
    await page.getByTestId('submit-application').click();
    await page.waitForURL(/\/ktpel\/[0-9a-f-]{36}$/);
    const caseId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });

    // item 4 + 3: return without a reason says which field and what; with one, the history labels it
    const back = page.getByTestId('action-return_incomplete');
    await back.locator('button[type=submit]').click();
    await back.locator('button[type=submit]').click();
    await expect(back.locator('small.error').first().textContent()).resolves.toMatch(/Alasan dikembalikan (wajib diisi|paling sedikit)/);
    await back.locator('input[name=returnReason]').fill('Fotokopi KK belum ada');
    await back.locator('button[type=submit]').click();
    await expect(page.getByTestId('action-done').getAttribute('data-action')).resolves.toBe('return_incomplete');
    const history = page.locator('ol.timeline li[data-action=return_incomplete]').first();
    const reason = history.locator('[data-field=returnReason]');
    await reason.waitFor({ timeout: 30_000 });
    await expect(reason.locator('dt').textContent()).resolves.toBe('Alasan dikembalikan');
    await expect(reason.locator('dd').textContent()).resolves.toBe('Fotokopi KK belum ada');
    await expect(history.textContent()).resolves.not.toMatch(/returnReason/);

    // item 7: a second case, accepted only after the confirmation; Cancel leaves it as it was
    await newCase(page, residents.at(-8)!.nik);
    await page.waitForURL((u) => u.pathname !== `/ktpel/${caseId}` && /\/ktpel\/[0-9a-f-]{36}$/.test(u.pathname));
    const second = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    const accept = page.getByTestId('action-accept');
    await accept.locator('button[type=submit]').click();
    await expect(accept.getByTestId('action-confirm').textContent()).resolves.toMatch(/tidak dapat dibatalkan/);
    await accept.getByRole('button', { name: 'Batal' }).click();
    await expect(page.getByTestId('case-state').getAttribute('data-state')).resolves.toBe('submitted');
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${second}' AND state = 'accepted'`)).toBe(0);

    await accept.locator('button[type=submit]').click();
    await accept.getByTestId('action-confirm-yes').click();
    const done = page.getByTestId('action-done');
    await expect(done.getAttribute('data-action')).resolves.toBe('accept');
    await expect.poll(() => done.getAttribute('data-synced'), { timeout: 30_000 }).toBe('true');
    await expect(done.textContent()).resolves.toMatch(/Tercatat: Berkas lengkap, beri resi\. Sudah tersimpan di server/);
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${second}' AND state = 'accepted'`)).toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('lepas perangkat asks first and says it was done', async () => {
    const resident = residentsOf('63.09').filter((r) => r.birthDate < '2000-01-01' && r.ektpRecorded).at(-7)!;
    const context = await newContext(browser());
    const page = await context.newPage();
    // /ktp opens the app's IndexedDB (the IKD entry page no longer does on a first visit).
    await page.goto('/ktp');
    await page.getByTestId('ktp-no-device').waitFor();
    await waitForServiceWorker(page);
    const jwk = await installDeviceKey(page, resident.nik);
    await activateOnServer(d1, resident.nik, '63.09', jwk, await calculateJwkThumbprint(jwk), 'e2e-release');

    await page.goto('/ikd/masuk');
    await page.fill('input[name=nik]', resident.nik);
    await page.fill('input[name=pin]', PIN);
    await page.getByTestId('ikd-signin-submit').click();
    await page.waitForURL((u) => u.pathname === '/ikd/akun');

    await page.getByTestId('release-device').locator('summary').click();
    await page.fill('input[name=releasePin]', PIN);
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await page.getByTestId('release-device').locator('button[type=submit]').click();
    await page.getByTestId('ikd-released-done').waitFor({ timeout: 20_000 });
    expect(asked[0]).toMatch(/melepas ponsel/);
    await expect(page.getByTestId('ikd-released-done').textContent()).resolves.toMatch(/Perangkat dilepas/);
    await context.close();
  });
});
