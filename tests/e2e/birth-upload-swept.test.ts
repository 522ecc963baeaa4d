/**
 * A chunked upload swept as abandoned while its device was away (issue 10 leftover): the partner's tablet sent the
 * first part of a scanned KK, lost its connection, and came back after the server's hourly sweep had deleted the
 * parts (nothing had arrived for more than 7 days). The PWA sees that the server holds fewer parts than it sent,
 * says the file goes again from the start, sends every part again and the file lands whole; no answer is a 5xx.
 */
import { createHash } from 'node:crypto';
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { uuid7 } from '../../schema/ids';
import { ATTACHMENT_PART_BYTES } from '../../schema/workflows/birth';
import { apiSignIn, pushCommands, submittedCase } from './birth-kit';
import { account, d1, d1Count, eventually, newContext, sharedBrowser, signIn, sweepUploadsNow, waitForServiceWorker } from './helpers';

const letters = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

function scannedPdf(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 137 + (i >> 10)) & 0xff;
  Buffer.from('%PDF-1.7\n').copy(b, 0);
  Buffer.from('\n%%EOF\n').copy(b, size - 7);
  return b;
}

describe('birth attachment in parts, swept while the device was away', () => {
  const browser = sharedBrowser();

  it('the device starts the file over, says so, and completes it', async () => {
    const mitra = account('partner_operator', '63.09');
    const context = await newContext(browser());
    const page = await context.newPage();
    const errors: string[] = [];
    const serverErrors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    context.on('response', (r) => {
      if (r.url().includes('/api/') && r.status() >= 500) serverErrors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await signIn(page, mitra);
    await waitForServiceWorker(page);

    const birthDate = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
    const caseId = await submittedCase(context, { childName: `Siti Khadijah ${letters()}`, motherNik: '6309014101950003', birthDate });
    const officeCtx = await newContext(browser());
    await apiSignIn(officeCtx, account('operator', '63.09').username, DEMO_PASSWORD);
    await pushCommands(officeCtx, [{ id: uuid7(), type: 'action', caseId, action: 'return_incomplete', baseVersion: 1, input: { reasons: [{ requirement: 'kk', reason: 'KK terpotong' }] } }]);
    await officeCtx.close();

    const scan = scannedPdf(2 * ATTACHMENT_PART_BYTES + 54_321);
    const sent = new Map<string, number>();
    let held: Route | undefined;
    let heldAgain: Route | undefined;
    await context.route('**/api/birth/attachments/*/parts/*', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      const n = new URL(route.request().url()).pathname.split('/').pop()!;
      sent.set(n, (sent.get(n) ?? 0) + 1);
      if (n === '1' && sent.get(n) === 1) return void (held = route);
      // The first part sent again after the sweep: held a moment, so the note can be read while the file goes.
      if (n === '0' && sent.get(n) === 2) return void (heldAgain = route);
      return route.continue();
    });

    await page.goto(`/akta/${caseId}`);
    await page.locator('[data-testid=case-state][data-state=returned]').waitFor({ timeout: 30_000 });
    await page.getByTestId('fix-kk').setInputFiles({ name: 'kk-scan.pdf', mimeType: 'application/pdf', buffer: scan });
    await page.locator('[data-testid=resubmit-files] [data-requirement=kk] li').first().waitFor();
    const kkId = (await page.locator('[data-testid=resubmit-files] [data-requirement=kk] li').first().getAttribute('data-correction'))!;
    await page.locator('button[data-action=resubmit]').click();

    await eventually(() => held !== undefined, 'second part in flight', 60_000);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(1);
    await context.setOffline(true);
    await held!.abort('internetdisconnected').catch(() => undefined);
    await page.locator(`[data-attachment="${kkId}"][data-status=queued]`).waitFor({ timeout: 20_000 });
    await expect(page.locator(`[data-attachment="${kkId}"] [data-testid=upload-parts]`).textContent()).resolves.toMatch(/1/);

    // Eight days pass without a part; the hourly sweep deletes what the server held of the file.
    await d1(`UPDATE birth_upload_parts SET received_at = received_at - ${8 * 86_400_000} WHERE attachment_id = '${kkId}'`);
    const swept = await sweepUploadsNow();
    expect(swept.uploads).toBeGreaterThanOrEqual(1);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(0);

    // Back online: the server holds no part of it, so the device says the file starts over and sends part 0 again.
    await context.setOffline(false);
    await eventually(() => heldAgain !== undefined, 'first part sent again', 60_000);
    const note = page.locator(`[data-attachment="${kkId}"] .error`);
    await expect(note.textContent({ timeout: 20_000 })).resolves.toMatch(/dari awal|from the start/);
    await heldAgain!.continue();

    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)) === 1, 'upload started over and completed', 60_000);
    expect(Object.fromEntries(sent)).toEqual({ '0': 2, '1': 2, '2': 1 });
    const [row] = await d1<{ sha256: string; size: number }>(`SELECT sha256, size FROM birth_attachments WHERE id = '${kkId}'`);
    expect(row).toEqual({ sha256: createHash('sha256').update(scan).digest('hex'), size: scan.length });
    expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(0);
    await page.locator(`[data-attachment="${kkId}"][data-status=uploaded]`).waitFor({ timeout: 20_000 });
    await expect(page.locator(`[data-attachment="${kkId}"] .error`).count()).resolves.toBe(0);
    expect(serverErrors).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
