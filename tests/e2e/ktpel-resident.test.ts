/**
 * Issue 12: a resident with an active IKD applies for a KTP-el from the phone. The draft is typed with the network
 * really cut, survives a reload, waits for the signal when sent, goes exactly once when the signal returns, and the
 * resident follows its steps (standard time, due time) as the office moves it on.
 */
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { account, cutNetwork, d1, d1Count, newContext, residentsOf, restoreNetwork, sharedBrowser, signIn, waitForServiceWorker } from './helpers';
import { PIN, activateOnServer, installDeviceKey } from './ktp-kit';

describe('KTP-el application from the resident\'s phone', () => {
  const browser = sharedBrowser();

  it('typed offline, kept through a reload, sent once when the signal returns, then followed step by step', async () => {
    const resident = residentsOf('63.09').filter((r) => r.birthDate < '2000-01-01' && r.ektpRecorded).at(-12)!;
    const count = () => d1Count(`SELECT count(*) AS n FROM cases WHERE service = 'ktpel' AND resident_nik = '${resident.nik}'`);
    const before = await count();
    const phone = await newContext(browser());
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('/ktp');
    await page.getByTestId('ktp-no-device').waitFor();
    await waitForServiceWorker(page);
    const jwk = await installDeviceKey(page, resident.nik);
    await activateOnServer(d1, resident.nik, '63.09', jwk, await calculateJwkThumbprint(jwk), 'e2e-rktpel');
    await page.goto('/ikd/masuk');
    await page.fill('input[name=nik]', resident.nik);
    await page.fill('input[name=pin]', PIN);
    await page.getByTestId('ikd-signin-submit').click();
    await page.waitForURL((u) => u.pathname === '/ikd/akun');
    await page.getByTestId('rktpel-link').click();
    await page.waitForURL((u) => u.pathname === '/ikd/akun/ktpel');
    await page.getByTestId('rktpel-form').waitFor();
    await page.getByTestId('rktpel-none').waitFor();

    // No signal: a refused submit says what is missing, then the draft is typed and kept through a reload.
    await cutNetwork(phone);
    await page.getByTestId('rktpel-submit').click();
    await expect(page.locator('#rktpel-reason-error').textContent()).resolves.toMatch(/Alasan/);
    await page.locator('input[name=reason][value=rusak]').check();
    await page.fill('textarea[name=notes]', 'Kartu retak di pojok kanan');
    await page.getByTestId('rktpel-draft-saved').waitFor();
    await page.reload();
    await page.getByTestId('rktpel-form').waitFor();
    expect(await page.locator('input[name=reason][value=rusak]').isChecked()).toBe(true);
    expect(await page.locator('textarea[name=notes]').inputValue()).toBe('Kartu retak di pojok kanan');

    // Sent without signal: it waits on the phone, and nothing reached the office.
    await page.getByTestId('rktpel-submit').click();
    await expect(page.getByTestId('rktpel-waiting').textContent()).resolves.toMatch(/Tidak ada sinyal/);
    expect(await count()).toBe(before);

    // The signal returns: sent by itself, once; the steps show with the current one's due time.
    await restoreNetwork(phone);
    await page.getByTestId('rktpel-sent').waitFor({ timeout: 30_000 });
    const card = page.getByTestId('rktpel-case').first();
    await expect(card.getAttribute('data-state')).resolves.toBe('submitted');
    await expect(card.locator('[aria-current=step]').textContent()).resolves.toMatch(/Diajukan|submitted/i);
    await expect(card.getByTestId('rktpel-due').textContent()).resolves.toMatch(/Target selesai .*(WITA|WIB|WIT)/);
    expect(await count()).toBe(before + 1);
    const caseId = (await card.getAttribute('data-case'))!;
    const [row] = await d1<{ data_json: string; created_by: string }>(`SELECT data_json, created_by FROM cases WHERE id = '${caseId}'`);
    expect(JSON.parse(row!.data_json)).toMatchObject({ reason: 'rusak', channel: 'online', notes: 'Kartu retak di pojok kanan' });

    // The front office accepts it; the resident sees the next step after a reload; still one application.
    const office = await newContext(browser());
    const counter = await office.newPage();
    await signIn(counter, account('front_office', '63.09'));
    const accepted = await counter.evaluate(async (command) => {
      const res = await fetch('/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commands: [command] }) });
      return ((await res.json()) as { results: { status: string }[] }).results[0]?.status;
    }, { id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} });
    expect(accepted).toBe('applied');
    await office.close();
    await page.reload();
    await expect.poll(() => page.getByTestId('rktpel-case').first().getAttribute('data-state'), { timeout: 20_000 }).toBe('accepted');
    expect(await count()).toBe(before + 1);
    expect(errors).toEqual([]);
    await phone.close();
  });
});
