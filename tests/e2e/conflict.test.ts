/**
 * Two counter tablets, one case: tablet B accepts it offline while tablet A returns it for missing documents and the
 * resident resubmits. B's push comes back as a conflict with the server's state; the user re-applies on the new
 * version and it lands once.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { account, d1Count, eventually, newContext, residentsOf, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

async function createOnline(page: Page, nik: string): Promise<string> {
  await page.goto('/ktpel/new');
  await page.fill('input[name=nik]', nik);
  await page.check('input[name=reason][value=rusak]');
  await page.getByTestId('submit-application').click();
  await page.waitForURL(/\/ktpel\/[0-9a-f-]{36}$/);
  await page.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Clicks an action; actions with inputs open their form on the first click, those without ask to confirm. */
async function act(page: Page, action: string, inputs: Record<string, string> = {}): Promise<void> {
  const form = page.getByTestId(`action-${action}`);
  await form.locator('button[type=submit]').click();
  for (const [name, value] of Object.entries(inputs)) {
    await form.locator(`input[name=${name}]`).fill(value);
  }
  if (Object.keys(inputs).length === 0) await form.getByTestId('action-confirm').waitFor();
  await form.locator('button[type=submit]').click();
}

async function stateOf(page: Page): Promise<string | null> {
  return page.getByTestId('case-state').getAttribute('data-state');
}

describe('conflicting changes from two tablets', () => {
  const browser = sharedBrowser();

  it('shows the conflict with the server state and re-applies the action on the new version', async () => {
    const fo = account('front_office', '15.71');
    const nik = residentsOf('15.71').filter((r) => r.birthDate < '2000-01-01')[3]!.nik;
    const [ctxA, ctxB] = [await newContext(browser()), await newContext(browser())];
    const [a, b] = [await ctxA.newPage(), await ctxB.newPage()];
    await signIn(a, fo);
    await signIn(b, fo);
    const caseId = await createOnline(a, nik);

    // B sees the case through pull, then loses the network and accepts it.
    await waitForServiceWorker(b);
    await b.goto('/ktpel');
    await b.locator(`[data-case-id="${caseId}"]`).waitFor({ timeout: 30_000 });
    await b.goto(`/ktpel/${caseId}`);
    await ctxB.setOffline(true);
    // Act only once the page itself knows it is offline, or the accept may still go out over the network.
    await eventually(async () => (await b.getByTestId('net-status').getAttribute('data-online')) === 'false', 'B offline');
    await act(b, 'accept');
    await b.getByTestId('badge-unsynced').waitFor();
    expect(await stateOf(b)).toBe('accepted'); // optimistic, not yet synced

    // Meanwhile A returns it as incomplete and, documents brought, resubmits: server version 3.
    await a.goto(`/ktpel/${caseId}`);
    await act(a, 'return_incomplete', { returnReason: 'Fotokopi KK belum ada' });
    await eventually(async () => (await stateOf(a)) === 'returned' && (await a.getByTestId('badge-unsynced').count()) === 0, 'A returned');
    await act(a, 'resubmit');
    await eventually(async () => (await stateOf(a)) === 'submitted' && (await a.getByTestId('badge-unsynced').count()) === 0, 'A resubmitted');
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'submitted' AND version = 3`)).toBe(1);

    // B comes back: its accept was based on version 1 → conflict, kept in the outbox with the server's state.
    await ctxB.setOffline(false);
    await b.goto('/outbox');
    const item = b.locator('[data-testid=outbox-item][data-status=conflict]');
    // Chromium's Background Sync may already have pushed the accept from the service worker while the page was
    // emulated offline; the page's own push then gets the stored conflict again and must still show it.
    await item.waitFor({ timeout: 30_000 });
    const help = await item.getByTestId('conflict-help').textContent();
    expect(help).toContain('Berkas diajukan'); // the server's current state, by its Indonesian label
    expect(help).toContain('versi 3');
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'accepted'`)).toBe(0);

    // Accepting is still allowed from "submitted": re-apply on version 3.
    await item.getByTestId('reapply').click();
    await b.getByTestId('outbox-empty').waitFor({ timeout: 30_000 });
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'accepted' AND version = 4`)) === 1, 'accepted at v4');
    expect(await d1Count(`SELECT count(*) AS n FROM case_steps WHERE case_id = '${caseId}' AND action = 'accept'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM commands WHERE subject_id = 'staff:${fo.id}' AND status = 'conflict'`)).toBe(1);

    await b.goto(`/ktpel/${caseId}`);
    expect(await stateOf(b)).toBe('accepted');
    await ctxA.close();
    await ctxB.close();
  });

  it('keeps a rejected application visible with the reason and turns it back into an editable draft', async () => {
    const fo = account('front_office', '15.71');
    const known = new Set(residentsOf('15.71').map((r) => r.nik));
    // A well-formed NIK of this city that is not in the office's population data.
    let stranger = '1571015501900001';
    for (let serial = 1; known.has(stranger); serial++) stranger = `15710155019${String(serial).padStart(5, '0')}`;
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, fo);
    await page.goto('/ktpel/new');
    await page.fill('input[name=nik]', stranger);
    await page.check('input[name=reason][value=baru]');
    await page.fill('textarea[name=notes]', 'Pemohon pindahan');
    await page.getByTestId('submit-application').click();
    await page.waitForURL(/\/ktpel\/[0-9a-f-]{36}$/);

    await page.getByRole('link', { name: 'Kotak keluar' }).click();
    const item = page.locator('[data-testid=outbox-item][data-status=rejected]');
    await item.waitFor({ timeout: 30_000 });
    const help = (await item.getByTestId('rejected-help').textContent()) ?? '';
    expect(help).toMatch(/NIK tidak (ditemukan|valid)/);
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE resident_nik = '${stranger}'`)).toBe(0);

    await item.getByRole('button', { name: 'Perbaiki' }).click();
    await page.waitForURL('**/ktpel/new');
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.inputValue('input[name=nik]')).toBe(stranger);
    expect(await page.inputValue('textarea[name=notes]')).toBe('Pemohon pindahan');
    await page.goto('/outbox');
    await page.getByTestId('outbox-empty').waitFor();
    await context.close();
  });
});
