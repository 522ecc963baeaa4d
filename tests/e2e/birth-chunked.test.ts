/**
 * A partner's file larger than one upload part (a scanned PDF) goes in parts; the network is cut in the middle of
 * the second part. When the connection returns the PWA asks the server what it has and sends only the rest: the
 * first part is never sent twice, and the file lands whole (its SHA-256 checked by the server).
 */
import { createHash } from 'node:crypto';
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_PART_BYTES } from '../../schema/workflows/birth';
import { partnerTablet, returnedCase } from './birth-kit';
import { d1, d1Count, eventually, sharedBrowser } from './helpers';

const letters = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

/** A PDF of `size` bytes (a scan: the PWA keeps PDFs as they are, so the size is what is sent). */
function scannedPdf(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + (i >> 9)) & 0xff;
  Buffer.from('%PDF-1.7\n').copy(b, 0);
  Buffer.from('\n%%EOF\n').copy(b, size - 7);
  return b;
}

describe('birth attachment in parts', () => {
  const browser = sharedBrowser();

  it('a cut in the middle of a part: after the network returns only the missing parts are sent', async () => {
    const { context, page, errors } = await partnerTablet(browser(), '63.09');

    // A case returned for its KK: the clerk sends a scanned KK of three parts with the resubmit.
    const caseId = await returnedCase(browser(), context, '63.09', { name: `Rizky Maulana ${letters()}`, motherNik: '6309014101950003', daysOld: 3 }, [{ requirement: 'kk', reason: 'KK terpotong' }]);

    const scan = scannedPdf(2 * ATTACHMENT_PART_BYTES + 123_456);
    // Every part request is counted; the first try of part 1 is held, then the network is cut under it.
    const sent = new Map<string, number>();
    let held: Route | undefined;
    await context.route('**/api/birth/attachments/*/parts/*', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      const n = new URL(route.request().url()).pathname.split('/').pop()!;
      sent.set(n, (sent.get(n) ?? 0) + 1);
      if (n === '1' && sent.get(n) === 1) return void (held = route);
      return route.continue();
    });

    await page.goto(`/akta/${caseId}`);
    await page.locator('[data-testid=case-state][data-state=returned]').waitFor({ timeout: 30_000 });
    await page.getByTestId('fix-kk').setInputFiles({ name: 'kk-scan.pdf', mimeType: 'application/pdf', buffer: scan });
    await page.locator('[data-testid=resubmit-files] [data-requirement=kk] li').first().waitFor();
    const kkId = (await page.locator('[data-testid=resubmit-files] [data-requirement=kk] li').first().getAttribute('data-correction'))!;
    await page.locator('button[data-action=resubmit]').click();

    // Part 0 arrives; part 1 is in flight when the connection goes.
    await eventually(() => held !== undefined, 'second part in flight', 60_000);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(1);
    await context.setOffline(true);
    await held!.abort('internetdisconnected').catch(() => undefined);
    await page.locator(`[data-attachment="${kkId}"][data-status=queued]`).waitFor({ timeout: 20_000 });
    await expect(page.locator(`[data-attachment="${kkId}"] [data-testid=upload-parts]`).textContent()).resolves.toMatch(/1/);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)).toBe(0);

    // Back online: the PWA asks what the server has and resumes from part 1.
    await context.setOffline(false);
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)) === 1, 'upload resumed and completed', 60_000);
    expect(Object.fromEntries(sent)).toEqual({ '0': 1, '1': 2, '2': 1 });
    const [row] = await d1<{ sha256: string; size: number }>(`SELECT sha256, size FROM birth_attachments WHERE id = '${kkId}'`);
    expect(row).toEqual({ sha256: createHash('sha256').update(scan).digest('hex'), size: scan.length });
    expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(0);
    await page.locator(`[data-attachment="${kkId}"][data-status=uploaded]`).waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
