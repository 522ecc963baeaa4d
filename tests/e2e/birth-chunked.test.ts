/**
 * A partner's file larger than one upload part (a scanned PDF) goes in parts; the network is cut in the middle of
 * the second part. When the connection returns the PWA asks the server what it has and sends only the rest: the
 * first part is never sent twice, and the file lands whole (its SHA-256 checked by the server).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_PART_BYTES } from '../../schema/workflows/birth';
import { kkCutMidPart, letters, partnerTablet, returnedCase, scannedPdf } from './birth-kit';
import { d1, d1Count, eventually, sharedBrowser } from './helpers';

describe('birth attachment in parts', () => {
  const browser = sharedBrowser();

  it('a cut in the middle of a part: after the network returns only the missing parts are sent', async () => {
    const tablet = await partnerTablet(browser(), '63.09');
    const { context, page, errors, serverErrors } = tablet;

    // A case returned for its KK: the clerk sends a scanned KK of three parts with the resubmit.
    const caseId = await returnedCase(browser(), context, '63.09', { name: `Rizky Maulana ${letters()}`, motherNik: '6309014101950003', daysOld: 3 }, [{ requirement: 'kk', reason: 'KK terpotong' }]);

    const scan = scannedPdf(2 * ATTACHMENT_PART_BYTES + 123_456);
    const { kkId, traffic } = await kkCutMidPart(tablet, caseId, scan);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)).toBe(0);

    // Back online: the PWA asks what the server has and resumes from part 1.
    await context.setOffline(false);
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)) === 1, 'upload resumed and completed', 60_000);
    expect(Object.fromEntries(traffic.sent)).toEqual({ '0': 1, '1': 2, '2': 1 });
    const [row] = await d1<{ sha256: string; size: number }>(`SELECT sha256, size FROM birth_attachments WHERE id = '${kkId}'`);
    expect(row).toEqual({ sha256: createHash('sha256').update(scan).digest('hex'), size: scan.length });
    expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(0);
    await page.locator(`[data-attachment="${kkId}"][data-status=uploaded]`).waitFor({ timeout: 20_000 });
    expect(serverErrors).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
