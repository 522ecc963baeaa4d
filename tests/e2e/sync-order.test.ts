/**
 * Commands reach the server in the order the user made them, even when the tablet's clock is set back between
 * two of them (UUIDv7 ids then sort the other way): a KTP-el application and its acceptance, made offline with the
 * clock moved back 2 hours in between, both apply, in order, exactly once.
 */
import { describe, expect, it } from 'vitest';
import { account, d1Count, eventually, newContext, residentsOf, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

describe('outbox order with a device clock set back', () => {
  const browser = sharedBrowser();

  it('create, clock −2 h, accept: both applied in the order made', async () => {
    const fo = account('front_office', '63.09');
    const nik = residentsOf('63.09').filter((r) => r.birthDate < '2000-01-01')[5]!.nik;
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, fo);
    await waitForServiceWorker(page);

    await context.setOffline(true);
    await page.goto('/ktpel/new');
    await page.fill('input[name=nik]', nik);
    await page.check('input[name=reason][value=rusak]');
    await page.getByTestId('submit-application').click();
    await page.waitForURL(/\/ktpel\/[0-9a-f-]{36}$/);
    const caseId = new URL(page.url()).pathname.split('/').pop()!;

    // The tablet's clock jumps back two hours (a cheap tablet resyncing badly) and the app is opened again: ids
    // are monotonic within one page only, so ids made after the reload sort before the create's.
    await page.clock.setSystemTime(new Date(Date.now() - 2 * 60 * 60_000));
    await page.reload();
    await page.getByTestId('action-accept').waitFor();
    await page.getByTestId('action-accept').locator('button[type=submit]').click();
    await page.getByTestId('action-confirm-yes').click(); // a step without inputs asks first (issue 9)
    const ids = await page.evaluate(async () => {
      const open = indexedDB.open('loket');
      const db: IDBDatabase = await new Promise((res, rej) => {
        open.onsuccess = () => res(open.result);
        open.onerror = () => rej(open.error);
      });
      const rows = await new Promise<{ id: string; seq: number; type: string }[]>((res, rej) => {
        const r = db.transaction('outbox').objectStore('outbox').getAll();
        r.onsuccess = () => res(r.result as { id: string; seq: number; type: string }[]);
        r.onerror = () => rej(r.error);
      });
      db.close();
      return rows.sort((a, b) => a.seq - b.seq).map((r) => ({ type: r.type, id: r.id }));
    });
    expect(ids.map((r) => r.type)).toEqual(['create', 'action']);
    expect(ids[1]!.id < ids[0]!.id, 'the action id sorts before the create id').toBe(true);

    await context.setOffline(false);
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'accepted' AND version = 2`)) === 1, 'both applied');
    expect(await d1Count(`SELECT count(*) AS n FROM case_steps WHERE case_id = '${caseId}'`)).toBe(2);
    expect(await d1Count(`SELECT count(*) AS n FROM commands WHERE result_json LIKE '%"caseId":"${caseId}"%' AND status = 'applied'`)).toBe(2);
    await page.goto('/outbox');
    await page.getByTestId('outbox-empty').waitFor();
    await context.close();
  });
});
