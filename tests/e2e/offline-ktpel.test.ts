/**
 * The offline proof: a front-office clerk loses the network, takes a KTP-el application, reloads the app (shell
 * from the service worker, draft and outbox from IndexedDB), gets the network back, and the application reaches
 * D1 exactly once.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { account, d1, d1Count, eventually, newContext, residentsOf, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

describe('KTP-el application taken offline', () => {
  const browser = sharedBrowser();

  it('survives a reload offline and syncs exactly once when the network returns', async () => {
    const fo = account('front_office', '15.71');
    // An adult resident of the clerk's office, from the same generator the seed used.
    const resident = residentsOf('15.71').find((r) => r.birthDate < '2000-01-01');
    expect(resident, 'demo population has an adult in Kota Jambi').toBeDefined();
    const nik = resident!.nik;
    const count = d1Count;
    expect(await count(`SELECT count(*) AS n FROM cases WHERE resident_nik = '${nik}'`)).toBe(0);

    const context = await newContext(browser());
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    await signIn(page, fo);
    await page.getByTestId('tile-ktpel').waitFor();
    await waitForServiceWorker(page);

    // ── the network goes away ──
    await context.setOffline(true);
    await eventually(async () => (await page.getByTestId('net-status').getAttribute('data-online')) === 'false', 'offline indicator');

    await page.getByRole('link', { name: 'KTP-el' }).first().click();
    await page.getByTestId('new-application').click();
    await page.waitForURL('**/ktpel/new');

    // Half-typed form, then a reload: the shell comes from the service worker, the draft from Dexie.
    await page.fill('input[name=nik]', nik);
    await page.check('input[name=reason][value=hilang]');
    await page.getByTestId('draft-saved').waitFor();
    // Reload only once the last keystroke's draft write has landed in IndexedDB (a save takes a few ms).
    await eventually(
      () =>
        page.evaluate(
          () =>
            new Promise<boolean>((resolve) => {
              const open = indexedDB.open('loket');
              open.onsuccess = () => {
                const all = open.result.transaction('drafts', 'readonly').objectStore('drafts').getAll();
                all.onsuccess = () => resolve((all.result as { fields: { reason?: string } }[]).some((d) => d.fields.reason === 'hilang'));
              };
              open.onerror = () => resolve(false);
            }),
        ),
      'draft with the reason saved',
    );
    await page.reload();
    await expect(page.title()).resolves.toBe('Loket — Disdukcapil');
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.inputValue('input[name=nik]')).toBe(nik);
    expect(await page.isChecked('input[name=reason][value=hilang]')).toBe(true);

    await page.fill('input[name=phone]', '081234567890');
    await page.fill('textarea[name=notes]', 'Diajukan saat jaringan putus');
    await page.getByTestId('submit-application').click();
    await page.waitForURL(/\/ktpel\/[0-9a-f-]{36}$/);
    const caseId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('badge-unsynced').waitFor();
    expect(await page.getByTestId('case-state').getAttribute('data-state')).toBe('submitted');
    // The draft became the command: no draft is left, one command waits.
    const local = await page.evaluate(async () => {
      const open = indexedDB.open('loket');
      const db: IDBDatabase = await new Promise((res, rej) => {
        open.onsuccess = () => res(open.result);
        open.onerror = () => rej(open.error);
      });
      const countOf = (store: string) =>
        new Promise<number>((res, rej) => {
          const r = db.transaction(store).objectStore(store).count();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
      const out = { drafts: await countOf('drafts'), outbox: await countOf('outbox') };
      db.close();
      return out;
    });
    expect(local).toEqual({ drafts: 0, outbox: 1 });

    // Reload again while offline: still there, still unsynced, nothing reached the server.
    await page.reload();
    await page.getByTestId('badge-unsynced').waitFor();
    expect(await page.getByTestId('unsent-count').textContent()).toContain('1');
    expect(await count(`SELECT count(*) AS n FROM cases WHERE resident_nik = '${nik}'`)).toBe(0);

    // ── the network comes back ──
    await context.setOffline(false);
    await page.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('unsent-count').waitFor({ state: 'detached' });

    await eventually(async () => (await count(`SELECT count(*) AS n FROM cases WHERE resident_nik = '${nik}'`)) === 1, 'case in D1');
    // A second sync and another reload must not send it again.
    await page.goto('/outbox');
    await page.getByTestId('outbox-empty').waitFor();
    await page.getByTestId('sync-now').click();
    await page.reload();
    await page.getByTestId('outbox-empty').waitFor();
    await page.getByTestId('recent-item').first().waitFor();

    expect(await count(`SELECT count(*) AS n FROM cases WHERE resident_nik = '${nik}'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'submitted' AND version = 1`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM case_steps WHERE case_id = '${caseId}'`)).toBe(1);
    // One command for this case (the account is shared with other tests, so count by case).
    expect(await count(`SELECT count(*) AS n FROM commands WHERE result_json LIKE '%"caseId":"${caseId}"%'`)).toBe(1);

    // The synced case shows the server's deadline for the step.
    await page.goto(`/ktpel/${caseId}`);
    expect(await page.getByTestId('case-state').getAttribute('data-state')).toBe('submitted');
    expect(await page.getByTestId('badge-unsynced').count()).toBe(0);
    expect(['left', 'overrun']).toContain(await page.getByTestId('time-left').getAttribute('data-kind'));

    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('stops on a 401 without losing the outbox, asks to sign in again, then delivers', async () => {
    const fo = account('front_office', '63.09');
    const nik = residentsOf('63.09').find((r) => r.birthDate < '2000-01-01')!.nik;
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, fo);
    await waitForServiceWorker(page);

    await context.setOffline(true);
    await page.goto('/ktpel/new');
    await page.fill('input[name=nik]', nik);
    await page.check('input[name=reason][value=baru]');
    await page.getByTestId('submit-application').click();
    await page.getByTestId('badge-unsynced').waitFor();

    // While the tablet is offline the office revokes its session (e.g. signed out everywhere).
    await d1(`UPDATE sessions SET revoked_at = ${Date.now()} WHERE subject_id = '${fo.id}'`);
    await context.setOffline(false);

    await page.waitForURL('**/login**', { timeout: 30_000 });
    await page.getByTestId('session-ended').waitFor();
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE resident_nik = '${nik}'`)).toBe(0);
    const outbox = await page.evaluate(async () => {
      const open = indexedDB.open('loket');
      const db: IDBDatabase = await new Promise((res, rej) => {
        open.onsuccess = () => res(open.result);
        open.onerror = () => rej(open.error);
      });
      const rows = await new Promise<{ status: string }[]>((res, rej) => {
        const r = db.transaction('outbox').objectStore('outbox').getAll();
        r.onsuccess = () => res(r.result as { status: string }[]);
        r.onerror = () => rej(r.error);
      });
      db.close();
      return rows.map((r) => r.status);
    });
    expect(outbox).toEqual(['pending']);

    await page.fill('input[name=username]', fo.username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM cases WHERE resident_nik = '${nik}'`)) === 1, 'delivered after signing in again');
    await page.goto('/outbox');
    await page.getByTestId('outbox-empty').waitFor();
    await context.close();
  });
});
