/**
 * The checkers' own IndexedDB store (web/src/features/ktp/checker-idb.ts) in Chromium: a first visit to /cek never
 * creates the app's Dexie database nor loads Dexie; a checker installed before the store existed, whose lists sit
 * in the app database (rows as the old checker wrote them), keeps them after the update with its network cut, and
 * the one-time copy never brings an old list back over a newer one.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, newContext, sharedBrowser, waitForServiceWorker, watchedPage } from './helpers';

const fetchedAt = (page: Page, id: 'jwks-age' | 'blocked-age') => page.getByTestId(id).getAttribute('data-fetched-at');

/** Every row of a store of a database, read with the raw API (the app's code is bundled, not importable here). */
function readStore(page: Page, database: string, store: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    ([database, store]) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const req = indexedDB.open(database!);
        req.onsuccess = () => {
          const all = req.result.transaction(store!, 'readonly').objectStore(store!).getAll();
          all.onsuccess = () => {
            req.result.close();
            resolve(all.result as Record<string, unknown>[]);
          };
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
    [database, store],
  );
}

describe('checker store', () => {
  const browser = sharedBrowser();

  it('a first visit to /cek opens only the small store: no app database, no Dexie chunk', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname); });
    await page.goto('/cek');
    await eventually(async () => ((await fetchedAt(page, 'jwks-age')) ?? '') !== '', 'office keys cached');
    await eventually(async () => ((await fetchedAt(page, 'blocked-age')) ?? '') !== '', 'blocked list cached');
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
    expect(names).toEqual(['loket-checker']);
    // Dexie's chunk is named after its entry module (dexie/import-wrapper.mjs); the app database module is db.ts.
    expect(scripts.filter((s) => /\/(import-wrapper|dexie|db)-[\w-]+\.js$/.test(s))).toEqual([]);
    await context.close();
  });

  it('an installed checker keeps its cached lists and seen nonces from the app database after the update, offline', async () => {
    const { context, page, errors } = await watchedPage(browser());
    // The resident's KTP screen creates the app database (Dexie, its current version) and installs the worker.
    await page.goto('/ktp');
    await page.getByTestId('ktp-no-device').waitFor();
    await waitForServiceWorker(page);

    // The old checker's rows, as it stored them in the app database: the real office keys and blocked list as the
    // server gives them (plus one thumbprint only this copy has), a revocation list, and nonces it had accepted.
    const now = Date.now();
    const old = { jwksAt: now - 3 * 3600_000, blockedAt: now - 2 * 3600_000, crlAt: now - 3600_000 };
    await page.evaluate(async ({ jwksAt, blockedAt, crlAt, now }) => {
      const jwks = await (await fetch('/.well-known/jwks.json')).json();
      const blocked = await (await fetch('/api/ktp/blocked')).json();
      blocked.thumbprints = [...blocked.thumbprints, 'thumbprint-blocked-before-the-update'];
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('loket');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['ktpLists', 'birthLists', 'ktpNonces'], 'readwrite');
        tx.objectStore('ktpLists').put({ name: 'jwks', value: jwks, fetchedAt: jwksAt });
        tx.objectStore('ktpLists').put({ name: 'blocked', value: blocked, fetchedAt: blockedAt, generatedAt: blocked.generatedAt });
        tx.objectStore('birthLists').put({ name: 'crl:63.09', value: { officeCode: '63.09', revoked: ['AKTA-1'], issuedAt: crlAt }, fetchedAt: crlAt });
        tx.objectStore('birthLists').put({ name: 'req:63.09', value: [], fetchedAt: crlAt });
        tx.objectStore('ktpNonces').put({ key: 'nonce-accepted-before-the-update', expiresAt: now + 10 * 60_000 });
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, { ...old, now });
    expect(await page.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === 'loket-checker'))).toBe(false);

    // ── the network is cut: the updated checker opens from the service worker and reads its lists from the device ──
    await context.setOffline(true);
    await page.goto('/cek');
    await page.getByTestId('checker-page').waitFor();
    await eventually(async () => (await fetchedAt(page, 'jwks-age')) === String(old.jwksAt), 'office keys from before the update');
    expect(await fetchedAt(page, 'blocked-age')).toBe(String(old.blockedAt));
    await expect(page.getByTestId('jwks-age').textContent()).resolves.toMatch(/3 jam/);

    const lists = await readStore(page, 'loket-checker', 'lists');
    const byName = new Map(lists.map((r) => [r.name, r]));
    expect([...byName.keys()].filter((n) => !String(n).startsWith('#')).sort()).toEqual(['blocked', 'crl:63.09', 'jwks']);
    expect((byName.get('blocked')!.value as { thumbprints: string[] }).thumbprints).toContain('thumbprint-blocked-before-the-update');
    expect(((byName.get('jwks')!.value as { keys: unknown[] }).keys).length).toBeGreaterThan(0);
    expect(byName.get('crl:63.09')).toMatchObject({ fetchedAt: old.crlAt, value: { revoked: ['AKTA-1'] } });
    const nonces = await readStore(page, 'loket-checker', 'nonces');
    expect(nonces).toEqual([{ key: 'nonce-accepted-before-the-update', expiresAt: now + 10 * 60_000 }]);
    // The app database is left as it was (the staff app and the service worker still use it).
    expect((await readStore(page, 'loket', 'ktpLists')).length).toBe(2);

    // ── online again: the lists are refreshed into the small store; offline once more, the old copy stays old ──
    await context.setOffline(false);
    await page.reload();
    await eventually(async () => Number(await fetchedAt(page, 'jwks-age')) > now, 'office keys refreshed');
    await eventually(async () => Number(await fetchedAt(page, 'blocked-age')) > now, 'blocked list refreshed');
    const refreshed = await fetchedAt(page, 'jwks-age');
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('checker-page').waitFor();
    await eventually(async () => (await fetchedAt(page, 'jwks-age')) === refreshed, 'the refreshed keys, not the migrated ones');
    const blockedNow = (await readStore(page, 'loket-checker', 'lists')).find((r) => r.name === 'blocked')!;
    expect((blockedNow.value as { thumbprints: string[] }).thumbprints).not.toContain('thumbprint-blocked-before-the-update');

    expect(errors).toEqual([]);
    await context.close();
  });
});
