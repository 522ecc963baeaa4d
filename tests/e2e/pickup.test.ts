/**
 * KTP-el pickup by scan (seed 001 KTP-el step 5) in real Chromium: the front office prints the receipt (a QR of
 * version ≤ 10), the operator's print batch spoils one blank and prints the card on the next, and the counter tablet's camera (a fake camera fed the printed QR)
 * reads it: the case is found and checked, handed over and closed; the same receipt scanned again is refused.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { account, d1Count, eventually, newContext, residentsOf, sharedBrowser, signIn } from './helpers';
import { launchWithCamera, qrScreenshot, tabletContext, tempDir } from './ikd';

async function push(page: Page, commands: unknown[]): Promise<string[]> {
  return page.evaluate(async (cmds) => {
    const res = await fetch('/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commands: cmds }) });
    return ((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status);
  }, commands);
}

describe('KTP-el pickup by scanning the receipt QR', () => {
  const browser = sharedBrowser();
  const dir = tempDir('loket-pickup-');
  let tablet: Browser | undefined;
  afterAll(async () => {
    await tablet?.close();
  });

  it('print batch: a spoiled blank then a printed card; the camera reads the receipt, the card is handed over and the case closed; a second scan is refused as already collected', async () => {
    const resident = residentsOf('63.09').filter((r) => r.birthDate < '2000-01-01')[9]!;
    const errors: string[] = [];

    // Front office accepts and prints the receipt.
    const foCtx = await newContext(browser());
    const desk = await foCtx.newPage();
    desk.on('pageerror', (e) => errors.push(String(e)));
    await signIn(desk, account('front_office', '63.09'));
    const caseId = uuid7();
    expect(await push(desk, [
      { id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik: resident.nik, reason: 'baru', channel: 'counter' } },
      { id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} },
    ])).toEqual(['applied', 'applied']);
    await desk.goto(`/ktpel/${caseId}/resi`);
    await desk.getByTestId('receipt').waitFor();
    expect(Number(await desk.getByTestId('receipt-qr').getAttribute('data-modules'))).toBeLessThanOrEqual(57); // version ≤ 10
    const png = await qrScreenshot(desk, 'receipt-qr');

    // The SIAK operator's print batch: the first blank spoils (misprint), the second prints.
    const opCtx = await newContext(browser());
    const opPage = await opCtx.newPage();
    opPage.on('pageerror', (e) => errors.push(String(e)));
    await signIn(opPage, account('operator', '63.09'));
    expect(await push(opPage, [{ id: uuid7(), type: 'action', caseId, action: 'record_input', baseVersion: 2, input: {} }])).toEqual(['applied']);
    await opPage.goto('/ktpel');
    await opPage.getByTestId('print-link').click();
    const item = opPage.locator(`[data-testid=print-item][data-case-id="${caseId}"]`);
    await item.waitFor({ timeout: 30_000 });
    const spoil = item.getByTestId('action-spoil_blank');
    await spoil.locator('button[type=submit]').click();
    await spoil.locator('input[name=spoiledSerial]').fill(`S-${caseId.slice(-8)}`);
    await spoil.locator('select[name=spoilReason]').selectOption('misprint');
    await spoil.locator('button[type=submit]').click();
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM ktpel_blanks WHERE case_id = '${caseId}' AND outcome = 'spoiled' AND reason = 'misprint'`)) === 1, 'spoiled blank recorded');
    // The spoiled blank's sync re-renders the item with the case's new version: open the print form once that settled.
    await item.getByText(/blanko rusak sebelumnya/).waitFor({ timeout: 30_000 });
    const print = item.getByTestId('action-hand_to_fo');
    await print.locator('button[type=submit]').click();
    await print.locator('input[name=blankoSerial]').fill(`e2e-${caseId.slice(-8)}`);
    await print.locator('button[type=submit]').click();
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'ready'`)) === 1, 'card printed and at the counter');
    // Serials are kept upper-case, as printed on the blank.
    expect(await d1Count(`SELECT count(*) AS n FROM ktpel_blanks WHERE case_id = '${caseId}' AND outcome = 'used' AND serial = 'E2E-${caseId.slice(-8).toUpperCase()}'`)).toBe(1);

    // The counter tablet, its camera pointed at the printed receipt.
    tablet = await launchWithCamera(dir, 'counter', png);
    const ctx = await tabletContext(tablet);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page, account('front_office', '63.09'));
    await page.goto('/ktpel');
    await page.getByTestId('pickup-link').click();
    await page.waitForURL('**/ktpel/ambil');
    const checked = page.getByTestId('pickup-checked');
    await checked.waitFor({ timeout: 30_000 });
    // The QR carries the name cut to fit version 10; the printed receipt has it whole.
    const shownName = (await page.getByTestId('pickup-name').textContent())!;
    expect(shownName.length).toBeGreaterThan(3);
    expect(resident.name.startsWith(shownName)).toBe(true);
    expect(await checked.textContent()).toContain(caseId);
    expect(await checked.textContent()).not.toContain(resident.nik);

    await page.getByTestId('pickup-hand-over').click();
    await page.getByTestId('pickup-done').waitFor();
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'collected'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM case_steps WHERE case_id = '${caseId}' AND action = 'collect'`)).toBe(1);

    // The same receipt again (a second person with a copy): refused, with the reason in the user's language.
    await page.getByRole('button', { name: /Pindai resi lain/ }).first().click();
    const refused = page.getByTestId('pickup-refused');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.getAttribute('data-code')).toBe('receipt_already_collected');
    expect(await refused.textContent()).toContain('sudah diserahkan');

    expect(errors).toEqual([]);
    await ctx.close();
    await opCtx.close();
    await foCtx.close();
  });
});
