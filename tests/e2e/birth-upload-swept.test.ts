/**
 * A chunked upload swept as abandoned while its device was away (issue 10 leftover): the partner's tablet sent the
 * first part of a scanned KK, lost its connection, and came back after the server's hourly sweep had deleted the
 * parts (nothing had arrived for more than 7 days). The PWA sees that the server holds fewer parts than it sent,
 * says the file goes again from the start, sends every part again and the file lands whole; no answer is a 5xx.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_PART_BYTES } from '../../schema/workflows/birth';
import { kkCutMidPart, letters, partnerTablet, returnedCase, scannedPdf } from './birth-kit';
import { d1, d1Count, eventually, sharedBrowser, sweepUploadsNow } from './helpers';

describe('birth attachment in parts, swept while the device was away', () => {
  const browser = sharedBrowser();

  it('the device starts the file over, says so, and completes it', async () => {
    // The tablet's watch for 5xx starts before sign-in (partnerTablet): no answer of the whole run may be one.
    const tablet = await partnerTablet(browser(), '63.09');
    const { context, page, errors, serverErrors } = tablet;
    const caseId = await returnedCase(browser(), context, '63.09', { name: `Siti Khadijah ${letters()}`, motherNik: '6309014101950003', daysOld: 4 }, [{ requirement: 'kk', reason: 'KK terpotong' }]);

    const scan = scannedPdf(2 * ATTACHMENT_PART_BYTES + 54_321);
    // The first part sent again after the sweep is held a moment too, so the note can be read while the file goes.
    const { kkId, traffic } = await kkCutMidPart(tablet, caseId, scan, (part, tries) => part === '0' && tries === 2);

    // Eight days pass without a part; the hourly sweep deletes what the server held of the file.
    await d1(`UPDATE birth_upload_parts SET received_at = received_at - ${8 * 86_400_000} WHERE attachment_id = '${kkId}'`);
    const swept = await sweepUploadsNow();
    expect(swept.uploads).toBeGreaterThanOrEqual(1);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(0);

    // Back online: the server holds no part of it, so the device says the file starts over and sends part 0 again.
    await context.setOffline(false);
    await eventually(() => traffic.held.length === 2, 'first part sent again', 60_000);
    const note = page.locator(`[data-attachment="${kkId}"] .error`);
    await expect(note.textContent({ timeout: 20_000 })).resolves.toMatch(/dari awal|from the start/);
    await traffic.held[1]!.continue();

    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)) === 1, 'upload started over and completed', 60_000);
    expect(Object.fromEntries(traffic.sent)).toEqual({ '0': 2, '1': 2, '2': 1 });
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
