/**
 * The KTP-el receipt (seed 001 KTP-el step 2): the front office accepts an application and prints the receipt;
 * anyone with a phone opens its QR link and sees GENUINE, also offline once the office keys are cached, and a
 * forged receipt is called out.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { account, cutNetwork, newContext, residentsOf, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

/** Pushes commands through the signed-in page's own session (same origin, as the app does). */
async function push(page: Page, commands: unknown[]): Promise<string[]> {
  return page.evaluate(async (cmds) => {
    const res = await fetch('/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commands: cmds }) });
    return ((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status);
  }, commands);
}

describe('KTP-el receipt with a QR that checks offline', () => {
  const browser = sharedBrowser();

  it('prints after accept; the QR link says GENUINE online and offline, and FAKE when the signature is changed', async () => {
    const resident = residentsOf('63.09').filter((r) => r.birthDate < '2000-01-01')[5]!;
    const fo = await newContext(browser());
    const page = await fo.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page, account('front_office', '63.09'));

    const caseId = uuid7();
    expect(await push(page, [{ id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik: resident.nik, reason: 'rusak', channel: 'counter' } }])).toEqual(['applied']);
    await page.goto(`/ktpel/${caseId}`);
    await page.getByTestId('case-state').waitFor();
    // No receipt before the documents are accepted.
    await expect(page.getByTestId('receipt-link').count()).resolves.toBe(0);

    expect(await push(page, [{ id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} }])).toEqual(['applied']);
    await page.reload();
    await page.getByTestId('receipt-link').click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    await page.getByTestId('receipt-qr').waitFor();
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain(resident.name);
    expect(text).toContain(caseId);
    expect(text).not.toContain(resident.nik);
    const checkUrl = (await receipt.getAttribute('data-check-url'))!;
    const link = new URL(checkUrl);
    expect(link.pathname).toBe('/v/resi');

    // A phone that scans the printed QR: no account, the link opens the check page.
    const phone = await newContext(browser());
    const checker = await phone.newPage();
    checker.on('pageerror', (e) => errors.push(String(e)));
    const statusOf = async () => {
      const el = checker.getByTestId('receipt-check');
      await el.waitFor();
      return el.getAttribute('data-status');
    };
    await checker.goto(`${link.pathname}${link.hash}`);
    expect(await statusOf()).toBe('valid');
    expect(await checker.getByTestId('receipt-check-name').textContent()).toBe(resident.name);
    // Times in the issuing office's zone (Tabalong, WITA), whatever the phone's own zone.
    expect(await checker.getByTestId('receipt-check').textContent()).toContain('WITA');
    await waitForServiceWorker(checker);

    // Offline: the app shell from the service worker, the office keys from IndexedDB.
    await cutNetwork(phone);
    await checker.goto('/');
    await checker.goto(`${link.pathname}${link.hash}`);
    expect(await statusOf()).toBe('valid');

    // The compact receipt (#r=, a version ≤ 10 QR) with one character of the signature changed.
    expect(link.hash.startsWith('#r=')).toBe(true);
    const token = link.hash.slice('#r='.length);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const forged = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    await checker.goto(`${link.pathname}#r=${forged}`);
    await checker.reload();
    expect(await statusOf()).toBe('tampered');

    expect(errors).toEqual([]);
    await phone.close();
    await fo.close();
  });
});
