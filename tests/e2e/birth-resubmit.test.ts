/**
 * A returned birth case resubmitted from the partner's device WITH its corrected files (the earlier files kept),
 * and the outbox's uploads under a bad connection: the network cut in the middle of one upload resumes it when
 * the connection returns, while another upload that hangs never holds the rest back. The office then checks
 * the data beside each document.
 */
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { partnerTablet, png, returnedCase } from './birth-kit';
import { account, d1, d1Count, eventually, newContext, sharedBrowser, signIn } from './helpers';

const letters = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

describe('birth resubmit with corrected files', () => {
  const browser = sharedBrowser();

  it('sends the corrected files after a return; a cut upload resumes, a stuck one blocks nothing', async () => {
    const { context, page, errors } = await partnerTablet(browser(), '63.09');

    // A case the partner sent earlier, returned by the office for an unreadable KK and birth letter.
    const caseId = await returnedCase(browser(), context, '63.09', { name: `Ahmad Fauzan ${letters()}`, motherNik: '6309014101950002', daysOld: 4 }, [{ requirement: 'kk', reason: 'KK tidak terbaca' }, { requirement: 'surat_lahir', reason: 'Foto buram' }]);

    // Uploads of attachments pass through here: the KK photo hangs until released; the birth letter's first
    // attempt is held until the network is cut under it.
    const held = new Map<string, Route[]>();
    let releaseKk = false;
    let kkId = '';
    let letterId = '';
    let letterAttempts = 0;
    await context.route('**/api/birth/attachments/*', async (route) => {
      const id = new URL(route.request().url()).pathname.split('/').pop()!;
      if (route.request().method() !== 'PUT') return route.continue();
      if (id === kkId && !releaseKk) return void held.set(id, [...(held.get(id) ?? []), route]);
      if (id === letterId && ++letterAttempts === 1) return void held.set(id, [...(held.get(id) ?? []), route]);
      return route.continue();
    });

    await page.goto(`/akta/${caseId}`);
    await page.locator('[data-testid=case-state][data-state=returned]').waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-testid=resubmit-files] [data-requirement=kk]').getAttribute('data-asked')).resolves.toBe('true');
    await page.getByTestId('fix-kk').setInputFiles({ name: 'kk-baru.png', mimeType: 'image/png', buffer: png(201) });
    await page.getByTestId('fix-surat_lahir').setInputFiles({ name: 'surat-lahir-baru.png', mimeType: 'image/png', buffer: png(202) });
    await page.locator('[data-testid=resubmit-files] li').nth(1).waitFor();
    const correction = (r: string) => page.locator(`[data-testid=resubmit-files] [data-requirement=${r}] li`).getAttribute('data-correction').then((v) => v ?? '');
    kkId = await correction('kk');
    letterId = await correction('surat_lahir');
    await page.locator('button[data-action=resubmit]').click();

    // The resubmit reaches the server declaring both new files; the first files stay (history).
    await eventually(async () => (await d1Count(`SELECT version AS n FROM cases WHERE id = '${caseId}'`)) === 3, 'resubmit applied', 30_000);
    const declared = await d1<{ id: string; requirement: string; declared_version: number }>(`SELECT id, requirement, declared_version FROM birth_attachments WHERE case_id = '${caseId}' ORDER BY declared_version, requirement`);
    expect(declared.map((a) => [a.requirement, a.declared_version])).toEqual([['buku_nikah', 1], ['kk', 1], ['surat_lahir', 1], ['kk', 3], ['surat_lahir', 3]]);
    expect(declared.filter((a) => a.declared_version === 3).map((a) => a.id).sort()).toEqual([kkId, letterId].sort());

    // Both uploads started; the network goes away in the middle of the birth letter's.
    await eventually(() => (held.get(kkId)?.length ?? 0) > 0 && (held.get(letterId)?.length ?? 0) > 0, 'both uploads in flight', 30_000);
    await context.setOffline(true);
    await held.get(letterId)![0]!.abort('internetdisconnected').catch(() => undefined);
    await page.locator(`[data-attachment="${letterId}"][data-status=queued]`).waitFor({ timeout: 20_000 }).catch(() => undefined);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${letterId}' AND uploaded_at IS NOT NULL`)).toBe(0);

    // Back online: the birth letter goes again at once (not after its backoff) and lands, while the KK still hangs.
    await context.setOffline(false);
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${letterId}' AND uploaded_at IS NOT NULL`)) === 1, 'cut upload resumed', 30_000);
    expect(letterAttempts).toBe(2);
    expect(await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)).toBe(0);

    // The KK's connection finally breaks; its retry goes through.
    releaseKk = true;
    for (const r of held.get(kkId) ?? []) await r.abort('connectionreset').catch(() => undefined);
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE id = '${kkId}' AND uploaded_at IS NOT NULL`)) === 1, 'stuck upload retried', 60_000);

    // The office sees all five files; the case is back in the completeness check.
    await page.reload();
    await page.locator('[data-testid=case-state][data-state=submitted]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('attachment-list').locator('li').count()).resolves.toBe(5);
    await page.locator(`[data-attachment="${kkId}"][data-status=uploaded]`).waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // The office compares the data with each document side by side: the KK asked for again opens beside the data.
    const office = await newContext(browser());
    const op = await office.newPage();
    await signIn(op, account('operator', '63.09'));
    await op.goto(`/akta/${caseId}`);
    const sbs = op.getByTestId('side-by-side');
    await sbs.waitFor({ timeout: 30_000 });
    await expect(sbs.locator('[data-fact="child.name"]').textContent()).resolves.toMatch(/^Ahmad Fauzan /);
    await sbs.locator(`[data-sbs-file="${kkId}"]`).click();
    await sbs.locator(`[data-testid=sbs-view][data-showing="${kkId}"] img`).waitFor();
    await op.waitForFunction((id) => {
      const img = document.querySelector<HTMLImageElement>(`[data-showing="${id}"] img`);
      return !!img && img.complete && img.naturalWidth === 48;
    }, kkId, { timeout: 20_000 });
    // Data and document sit next to each other on a desk screen, not one below the other.
    const [left, right] = await Promise.all([sbs.getByTestId('sbs-data').boundingBox(), sbs.locator('.sbs-file').boundingBox()]);
    expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);
    expect(Math.abs(right!.y - left!.y)).toBeLessThan(60);
    await office.close();
  });
});
