/**
 * The birth service end to end in Chromium: a partner clerk fills the form offline with three photo attachments,
 * reloads, the network returns, the case and its files reach the server; the office accepts, enters, verifies and
 * signs (re-entering the password); the parent's messages are queued; the certificate's QR verifies offline on
 * /v/akta, and the public page accepts the signed PDF and refuses a copy with one changed byte.
 */
import { describe, expect, it } from 'vitest';
import { b64u } from '../../schema/ktp/bytes';
import { account, baseUrl, cutNetwork, d1, d1Count, eventually, newContext, restoreNetwork, sharedBrowser, signIn, stackFetch, waitForServiceWorker } from './helpers';
import type { Page } from 'playwright-core';
import { partnerTablet, png } from './birth-kit';

async function act(page: Page, action: string) {
  await page.locator(`button[data-action=${action}]`).click();
  await page.getByTestId('notice').waitFor();
}

describe('birth certificate through a partner', () => {
  const browser = sharedBrowser();

  it('offline submission with three photos → signed PDF → QR checked offline, PDF checked online', async () => {
    // Letters only (names take no digits); a fresh suffix per run keeps the duplicate check out of the way.
    const childName = `Nur'aini Siti-Ḥasanah ${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
    const { context, page, errors } = await partnerTablet(browser(), '15.71');
    // Once online: the office's list of required documents is cached for the offline form.
    await page.goto('/akta/baru');
    await page.locator('[data-requirement=kk]').waitFor();

    // ── offline ──
    await cutNetwork(context);
    await page.reload();
    await page.locator('[data-requirement=kk]').waitFor();
    const birthDate = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('input[name="child.name"]', childName);
    await page.fill('input[name="child.birthDate"]', birthDate);
    await page.fill('input[name="child.birthTime"]', '07:45');
    await page.fill('input[name="child.birthPlace"]', 'RSUD Raden Mattaher, Jambi');
    await page.fill('input[name="child.birthOrder"]', '1');
    await page.fill('input[name="child.weightGrams"]', '3100');
    await page.fill('input[name="child.lengthCm"]', '49');
    await page.check('input[name="child.sex"][value=P]');
    await page.fill('input[name="mother.nik"]', '1571014101950001');
    await page.fill('input[name="mother.name"]', 'Siti Aminah');
    await page.fill('input[name="kkNumber"]', '1571010101200001');
    await page.fill('input[name="reporter.name"]', 'Siti Aminah');
    await page.fill('input[name="reporter.phone"]', '081200000099');
    await page.fill('input[name="reporter.email"]', 'ibu.aminah@example.test');
    for (const [i, req] of ['surat_lahir', 'buku_nikah', 'kk'].entries()) {
      await page.getByTestId(`file-${req}`).setInputFiles({ name: `foto-${req}.png`, mimeType: 'image/png', buffer: png(i + 1) });
      await page.locator(`[data-requirement=${req}] li`).waitFor();
    }
    // Reload offline: the draft and the three photos are still on the device.
    await page.reload();
    await page.locator('[data-requirement=kk] li').waitFor();
    expect(await page.inputValue('input[name="child.name"]')).toBe(childName);
    await page.getByTestId('birth-submit').click();
    await Promise.race([
      page.waitForURL(/\/akta\/[0-9a-f-]{36}$/),
      page.getByTestId('form-problem').waitFor().then(async () => {
        throw new Error(`form refused: ${await page.getByTestId('form-problem').textContent()}`);
      }),
    ]);
    const caseId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}'`)).toBe(0);
    await page.reload();
    await page.getByTestId('attachment-list').locator('li').nth(2).waitFor();

    // ── the network returns: the case, then each file ──
    await restoreNetwork(context);
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM birth_attachments WHERE case_id = '${caseId}' AND uploaded_at IS NOT NULL`)) === 3, 'three files uploaded', 60_000);
    await context.close();

    // ── the office walks the case ──
    const steps: [string, string[]][] = [['operator', ['accept', 'record_input']], ['verifier', ['request_signature']]];
    for (const [role, actions] of steps) {
      const ctx = await newContext(browser());
      const p = await ctx.newPage();
      await signIn(p, account(role as 'operator', '15.71'));
      await p.goto('/akta');
      await p.locator(`[data-case="${caseId}"] a`).click();
      for (const a of actions) {
        const before = await d1Count(`SELECT version AS n FROM cases WHERE id = '${caseId}'`);
        await act(p, a);
        await eventually(async () => (await d1Count(`SELECT version AS n FROM cases WHERE id = '${caseId}'`)) === before + 1, `${a} applied`);
        await p.reload();
      }
      await ctx.close();
    }
    const kadisCtx = await newContext(browser());
    const kadis = await kadisCtx.newPage();
    await signIn(kadis, account('head_of_office', '15.71'));
    await kadis.goto(`/akta/${caseId}`);
    await kadis.getByTestId('sign-password').fill('wrong-password');
    await kadis.getByTestId('sign-submit').click();
    await kadis.getByTestId('problem').waitFor();
    await kadis.getByTestId('sign-password').fill('Loket-Demo-2026');
    await kadis.getByTestId('sign-submit').click();
    await kadis.getByTestId('notice').waitFor();
    await kadis.locator('[data-testid=certificates] [data-status=issued]').waitFor({ timeout: 30_000 });
    await kadisCtx.close();

    const [cert] = await d1<{ register_no: string; qr: string; pdf_sha256: string; r2_key: string }>(`SELECT register_no, qr, pdf_sha256, r2_key FROM birth_certificates WHERE case_id = '${caseId}'`);
    expect(cert!.register_no).toMatch(/^1571-LT-\d{8}-\d{4}$/);
    const messages = await d1<{ channel: string; recipient: string }>(`SELECT channel, recipient FROM notifications WHERE case_id = '${caseId}' AND subject = 'Akta kelahiran sudah terbit' ORDER BY channel`);
    expect(messages).toEqual([{ channel: 'email', recipient: 'ibu.aminah@example.test' }, { channel: 'whatsapp', recipient: '081200000099' }]);

    // The parent's link gives the PDF.
    const [msg] = await d1<{ body: string }>(`SELECT body FROM notifications WHERE case_id = '${caseId}' AND channel = 'email' AND subject = 'Akta kelahiran sudah terbit'`);
    const link = /\/api\/documents\/\S+/.exec(msg!.body)![0];
    const pdf = Buffer.from(await (await stackFetch(link)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // ── a checker: keys cached online once, then the QR checks offline ──
    const checkCtx = await newContext(browser());
    const checker = await checkCtx.newPage();
    await checker.goto('/v/akta');
    await waitForServiceWorker(checker);
    await checker.goto('/cek');
    await checker.getByTestId('jwks-age').waitFor();
    await eventually(async () => (await checker.getByTestId('jwks-age').getAttribute('data-fetched-at')) !== '', 'keys cached');
    await cutNetwork(checkCtx);
    await checker.goto(`/v/akta#q=${cert!.qr}`);
    await checker.getByTestId('birth-verdict').waitFor();
    expect(await checker.getByTestId('birth-verdict').getAttribute('data-status')).toBe('valid');
    expect(await checker.getByTestId('birth-verdict').textContent()).toContain(cert!.register_no);
    // A QR with one changed byte is refused.
    const bytes = b64u.decode(cert!.qr);
    bytes[12] = bytes[12]! ^ 1;
    await checker.goto(`/v/akta#q=${b64u.encode(bytes)}`);
    await checker.reload();
    await checker.getByTestId('birth-verdict').waitFor();
    expect(await checker.getByTestId('birth-verdict').getAttribute('data-status')).not.toBe('valid');

    // ── online: the public page accepts the signed PDF and refuses a copy with one changed byte ──
    await restoreNetwork(checkCtx);
    await checker.goto('/v/akta');
    await checker.getByTestId('verify-pdf').setInputFiles({ name: 'akta.pdf', mimeType: 'application/pdf', buffer: pdf });
    await checker.getByTestId('pdf-verdict').waitFor();
    expect(await checker.getByTestId('pdf-verdict').getAttribute('data-match')).toBe('true');
    const changed = Buffer.from(pdf);
    const mid = Math.floor(changed.length / 2);
    changed[mid] = changed[mid]! ^ 1;
    await checker.getByTestId('verify-pdf').setInputFiles({ name: 'akta-ubah.pdf', mimeType: 'application/pdf', buffer: changed });
    await eventually(async () => (await checker.getByTestId('pdf-verdict').getAttribute('data-match')) === 'false', 'changed PDF refused');
    await checkCtx.close();
    expect(errors).toEqual([]);
    expect(baseUrl()).toBeTruthy();
  });
});
